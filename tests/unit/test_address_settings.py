"""Addresses in the settings: the database URL, `host:port` pairs and browser origins.

A value that cannot work is refused at start, naming the variable, instead of failing later
with a traceback (a port that is no number) or quietly reaching something else (a PostgreSQL URL
without a database name opens the database named after the operating system's user).
"""

from __future__ import annotations

import pytest

from server.settings import Settings, SettingsError


@pytest.mark.parametrize(
    "url",
    [
        "postgres://glowpath:pw@db.example:5432/glowpath",
        "postgresql://db.example/glowpath?maxsize=20",
        "postgres:///glowpath?host=/var/run/postgresql",
        "sqlite://var/glowpath.sqlite3?synchronous=FULL",
        "sqlite://:memory:",
    ],
)
def test_a_usable_database_url_is_taken(url: str) -> None:
    assert Settings.from_env({"GLOWPATH_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    "url",
    [
        "postgres://glowpath:secret-pw@db.example:abc/glowpath",
        "postgres://glowpath:secret-pw@db.example:99999/glowpath",
        "postgres://glowpath:secret-pw@db.example:5432",
        "postgres://",
        "sqlite://",
        "sqlite://?synchronous=FULL",
    ],
)
def test_an_unusable_database_url_names_the_variable_not_the_password(url: str) -> None:
    with pytest.raises(SettingsError, match="GLOWPATH_DATABASE_URL") as refused:
        Settings.from_env({"GLOWPATH_DATABASE_URL": url})
    assert "secret-pw" not in str(refused.value)


@pytest.mark.parametrize("name", ["GLOWPATH_TEMPORAL_ADDRESS", "GLOWPATH_TEMPORAL_METRICS_BIND"])
@pytest.mark.parametrize(
    "address", ["localhost:99999", "localhost:0", "http://localhost:7233", "temporal host:7233"]
)
def test_an_unusable_host_and_port_names_the_variable(name: str, address: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: address})


@pytest.mark.parametrize("address", ["temporal.internal:7233", "[::1]:7233", "0.0.0.0:9464"])
def test_a_host_and_port_is_taken(address: str) -> None:
    assert Settings.from_env({"GLOWPATH_TEMPORAL_ADDRESS": address}).temporal_address == address


def test_an_origin_whose_port_no_browser_sends_is_refused() -> None:
    with pytest.raises(SettingsError, match="GLOWPATH_CORS_ORIGINS"):
        Settings.from_env({"GLOWPATH_CORS_ORIGINS": "https://app.example.com:99999"})
    taken = Settings.from_env({"GLOWPATH_CORS_ORIGINS": "https://app.example.com:8443"})
    assert taken.cors_origins == ("https://app.example.com:8443",)


@pytest.mark.parametrize("schedule", ["367d", "99999999999999999999w", "24h,53w"])
def test_a_follow_up_past_a_year_names_the_variable(schedule: str) -> None:
    # A procedure type's follow-ups run to 1 year (366 d): the clinic's schedule is held to it
    with pytest.raises(SettingsError, match="GLOWPATH_FOLLOW_UP_SCHEDULE"):
        Settings.from_env({"GLOWPATH_FOLLOW_UP_SCHEDULE": schedule})


def test_the_readme_example_schedule_is_taken() -> None:
    taken = Settings.from_env({"GLOWPATH_FOLLOW_UP_SCHEDULE": "24h,3d,1w,2w,30d,90d,180d,365d"})
    assert taken.follow_up_schedule is not None
    assert taken.follow_up_schedule[-1] == 365 * 86400
