"""The signing-key settings: length, previous keys for rotation, and where the development key
may be used at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import DEV_SECRET_KEY, Settings, SettingsError, is_loopback
from tests.unit.test_cli_unreachable import glowpath

GOOD = "s" * 32
OLD = "o" * 40


def test_a_short_secret_key_is_refused_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="GLOWPATH_SECRET_KEY: at least 32 characters"):
        Settings.from_env({"GLOWPATH_SECRET_KEY": "s" * 31})
    assert Settings.from_env({"GLOWPATH_SECRET_KEY": GOOD}).secret_key == GOOD


def test_previous_keys_are_a_comma_separated_list_of_good_keys() -> None:
    settings = Settings.from_env(
        {"GLOWPATH_SECRET_KEY": GOOD, "GLOWPATH_PREVIOUS_SECRET_KEYS": f" {OLD} , {'p' * 33},"}
    )
    assert settings.previous_secret_keys == (OLD, "p" * 33)


@pytest.mark.parametrize(
    ("previous", "problem"),
    [
        ("short", "at least 32 characters"),
        (DEV_SECRET_KEY, "the development key cannot be a previous key"),
        (GOOD, "must not contain the current GLOWPATH_SECRET_KEY"),
    ],
)
def test_bad_previous_keys_are_refused(previous: str, problem: str) -> None:
    environ = {"GLOWPATH_SECRET_KEY": GOOD, "GLOWPATH_PREVIOUS_SECRET_KEYS": previous}
    with pytest.raises(SettingsError, match=f"GLOWPATH_PREVIOUS_SECRET_KEYS: .*{problem}"):
        Settings.from_env(environ)


def test_token_lifetime_is_capped_at_thirty_days() -> None:
    assert Settings.from_env({"GLOWPATH_TOKEN_TTL_SECONDS": "2592000"}).token_ttl_seconds == 2592000
    with pytest.raises(SettingsError, match="GLOWPATH_TOKEN_TTL_SECONDS"):
        Settings.from_env({"GLOWPATH_TOKEN_TTL_SECONDS": "2592001"})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("10.0.0.4", False),
        ("api.internal", False),
    ],
)
def test_which_hosts_only_this_machine_reaches(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_development_key_is_refused_off_loopback_only() -> None:
    exposed = Settings.from_env({"GLOWPATH_HTTP_HOST": "0.0.0.0"})
    problem = exposed.exposure_problem()
    assert problem is not None
    assert "GLOWPATH_SECRET_KEY is not set" in problem
    assert "GLOWPATH_HTTP_HOST=0.0.0.0" in problem
    assert Settings.from_env({}).exposure_problem() is None  # 127.0.0.1: `glowpath dev`
    keyed = Settings.from_env({"GLOWPATH_HTTP_HOST": "0.0.0.0", "GLOWPATH_SECRET_KEY": GOOD})
    assert keyed.exposure_problem() is None
    # Setting the development key explicitly is no better than leaving it unset
    explicit = {"GLOWPATH_HTTP_HOST": "10.0.0.4", "GLOWPATH_SECRET_KEY": DEV_SECRET_KEY}
    assert Settings.from_env(explicit).exposure_problem() is not None


def test_trusted_proxy_hops_are_a_small_number() -> None:
    assert Settings.from_env({"GLOWPATH_TRUSTED_PROXY_HOPS": "2"}).trusted_proxy_hops == 2
    with pytest.raises(SettingsError, match="GLOWPATH_TRUSTED_PROXY_HOPS"):
        Settings.from_env({"GLOWPATH_TRUSTED_PROXY_HOPS": "-1"})


def test_commands_that_sign_no_token_do_not_warn_of_the_key(tmp_path: Path) -> None:
    # Given no GLOWPATH_SECRET_KEY, and commands that never sign or check a token
    commands = [["migrate"], ["audit", "verify"], ["export-schema", "--output", "schema.graphql"]]
    for command in commands:
        done = glowpath(tmp_path, *command)
        # Then each does its work without a warning an operator would learn to ignore
        assert done.returncode == 0, done.stderr
        assert "GLOWPATH_SECRET_KEY" not in done.stdout + done.stderr, command
