"""Settings for production connections: `_FILE` twins, Temporal TLS, PostgreSQL TLS, safe defaults.

Each invalid combination stops the program with a message naming the variables involved.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from domain.store.db import DatabaseTls, connection_config
from domain.store.pg_pool import DEFAULT_POOL_SIZE, PooledConnection
from server.cli import dev_conveniences
from server.settings import Settings, SettingsError
from tests.api.tls_proxy import make_pki

PG = "postgres://glowpath:pw@db.example:5432/glowpath"
SECRET = "s" * 40


@pytest.fixture(scope="module")
def pki_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    return {
        "ca": pki.ca.read_text(),
        "cert": pki.client_cert.read_text(),
        "key": pki.client_key.read_text(),
    }


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text)
    return str(path)


def test_any_setting_may_come_from_a_file(tmp_path: Path) -> None:
    # Given a secret and a plain setting as files, with the trailing newline editors add
    env = {
        "GLOWPATH_SECRET_KEY_FILE": _write(tmp_path, "key", SECRET + "\n"),
        "GLOWPATH_HTTP_PORT_FILE": _write(tmp_path, "port", "9000\n"),
    }
    settings = Settings.from_env(env)
    assert (settings.secret_key, settings.http_port) == (SECRET, 9000)


def test_a_value_and_its_file_twin_together_is_an_error(tmp_path: Path) -> None:
    env = {
        "GLOWPATH_SECRET_KEY": SECRET,
        "GLOWPATH_SECRET_KEY_FILE": _write(tmp_path, "key", SECRET),
    }
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    assert "GLOWPATH_SECRET_KEY and GLOWPATH_SECRET_KEY_FILE are both set" in str(refused.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "cannot read"), ("", "is empty"), ("  \n", "is empty")],
)
def test_a_missing_or_empty_file_names_its_variable(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "key"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SettingsError, match=f"^GLOWPATH_SECRET_KEY_FILE: .*{expected}"):
        Settings.from_env({"GLOWPATH_SECRET_KEY_FILE": str(path)})


def test_a_value_read_from_a_file_is_validated_like_any_other(tmp_path: Path) -> None:
    env = {"GLOWPATH_SECRET_KEY_FILE": _write(tmp_path, "key", "short")}
    with pytest.raises(SettingsError, match=r"^GLOWPATH_SECRET_KEY: at least 32 characters"):
        Settings.from_env(env)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"GLOWPATH_TEMPORAL_TLS_CERT": "x"},
            "GLOWPATH_TEMPORAL_TLS_CERT: expected PEM certificate text",
        ),
        (
            {"GLOWPATH_TEMPORAL_TLS_CA": "/etc/ssl/ca.pem"},
            "GLOWPATH_TEMPORAL_TLS_CA: expected PEM certificate text .* _FILE twin",
        ),
        (
            {"GLOWPATH_TEMPORAL_TLS_KEY": "not a key"},
            "GLOWPATH_TEMPORAL_TLS_KEY: expected an unencrypted PEM private key",
        ),
        (
            {"GLOWPATH_TEMPORAL_TLS": "maybe"},
            "GLOWPATH_TEMPORAL_TLS: expected true/false",
        ),
        (
            {"GLOWPATH_DATABASE_URL": PG, "GLOWPATH_DATABASE_SSLMODE": "strict"},
            "GLOWPATH_DATABASE_SSLMODE: expected one of disable, allow, prefer, require",
        ),
        (
            {"GLOWPATH_DATABASE_SSLMODE": "require"},
            "GLOWPATH_DATABASE_SSLMODE apply to PostgreSQL only, and GLOWPATH_DATABASE_URL is",
        ),
        (
            {"GLOWPATH_DATABASE_URL": PG + "?sslmode=require"},
            "GLOWPATH_DATABASE_URL: sslmode in the URL: PostgreSQL's TLS is set by "
            "GLOWPATH_DATABASE_SSLMODE and GLOWPATH_DATABASE_SSLROOTCERT",
        ),
        (
            {"GLOWPATH_DATABASE_URL": PG + "?maxsize=4&sslrootcert=/etc/ca.pem"},
            "GLOWPATH_DATABASE_URL: sslrootcert in the URL",
        ),
        (
            {"GLOWPATH_DATABASE_URL": PG + "?pool_size=4"},
            "GLOWPATH_DATABASE_URL: pool_size in the URL is not a setting of the driver's; it "
            "takes .*maxsize",
        ),
        ({"GLOWPATH_OPS_PORT": "70000"}, "GLOWPATH_OPS_PORT: expected a number from 0 to 65535"),
        (
            {"GLOWPATH_OPS_PORT": "8000"},
            "GLOWPATH_OPS_PORT and GLOWPATH_HTTP_PORT are both 8000",
        ),
    ],
)
def test_invalid_connection_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_a_client_certificate_needs_its_key_and_the_reverse(pki_texts: dict[str, str]) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"GLOWPATH_TEMPORAL_TLS_CERT": pki_texts["cert"]})
    assert str(refused.value) == (
        "GLOWPATH_TEMPORAL_TLS_CERT is set but GLOWPATH_TEMPORAL_TLS_KEY is not: "
        "mutual TLS needs both"
    )
    with pytest.raises(SettingsError, match=r"^GLOWPATH_TEMPORAL_TLS_KEY is set but"):
        Settings.from_env({"GLOWPATH_TEMPORAL_TLS_KEY": pki_texts["key"]})


def test_tls_off_contradicts_a_ca(pki_texts: dict[str, str]) -> None:
    env = {"GLOWPATH_TEMPORAL_TLS": "false", "GLOWPATH_TEMPORAL_TLS_CA": pki_texts["ca"]}
    with pytest.raises(SettingsError, match="GLOWPATH_TEMPORAL_TLS=false contradicts"):
        Settings.from_env(env)


def test_secrets_stay_out_of_the_settings_repr(pki_texts: dict[str, str]) -> None:
    settings = Settings.from_env(
        {
            "GLOWPATH_SECRET_KEY": SECRET,
            "GLOWPATH_TEMPORAL_API_KEY": "api-key-value-123",
            "GLOWPATH_TEMPORAL_TLS_CERT": pki_texts["cert"],
            "GLOWPATH_TEMPORAL_TLS_KEY": pki_texts["key"],
            "GLOWPATH_DATABASE_URL": "postgres://glowpath_app@db.example:5432/glowpath",
            "GLOWPATH_DATABASE_PASSWORD": "db-password-value",
        }
    )
    text = repr(settings) + repr(settings.temporal_security)
    assert SECRET not in text
    assert "api-key-value-123" not in text
    assert "PRIVATE KEY" not in text
    # (the password is put into the URL, which therefore stays out too)
    assert "db-password-value" in settings.database_url
    assert "db-password-value" not in text


def test_introspection_and_graphiql_are_off_unless_turned_on() -> None:
    settings = Settings.from_env({})
    assert (settings.introspection, settings.graphiql) == (False, False)
    on = Settings.from_env({"GLOWPATH_INTROSPECTION": "true", "GLOWPATH_GRAPHIQL": "true"})
    assert (on.introspection, on.graphiql) == (True, True)


def test_glowpath_dev_turns_both_on_unless_a_variable_says_otherwise() -> None:
    assert dev_conveniences(Settings(), {}).introspection is True
    assert dev_conveniences(Settings(), {}).graphiql is True
    chosen = {"GLOWPATH_INTROSPECTION": "false"}
    kept = dev_conveniences(Settings.from_env(chosen), chosen)
    assert (kept.introspection, kept.graphiql) == (False, True)


def test_postgres_tls_settings_reach_the_driver(tmp_path: Path, pki_texts: dict[str, str]) -> None:
    # Given verify-full with the provider's root certificate as a file
    settings = Settings.from_env(
        {
            "GLOWPATH_DATABASE_URL": PG,
            "GLOWPATH_DATABASE_SSLMODE": "verify-full",
            "GLOWPATH_DATABASE_SSLROOTCERT_FILE": _write(tmp_path, "root.pem", pki_texts["ca"]),
        }
    )
    # Then Tortoise's connection carries an SSL context that checks the chain and the host
    connection = connection_config(settings.database_url, settings.database_tls)
    assert isinstance(connection, dict)
    credentials = connection["credentials"]
    assert (credentials["host"], credentials["database"]) == ("db.example", "glowpath")
    context = credentials["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert any(ca["subject"] == ((("commonName", "ca"),),) for ca in context.get_ca_certs())


@pytest.mark.parametrize(
    ("tls", "verify", "hostname"),
    [
        (DatabaseTls("require"), ssl.CERT_NONE, False),
        (DatabaseTls("verify-ca"), ssl.CERT_REQUIRED, False),
        (DatabaseTls("verify-full"), ssl.CERT_REQUIRED, True),
    ],
)
def test_sslmode_means_what_libpq_says(
    tls: DatabaseTls, verify: ssl.VerifyMode, hostname: bool
) -> None:
    context = tls.driver_ssl()
    assert isinstance(context, ssl.SSLContext)
    assert (context.verify_mode, context.check_hostname) == (verify, hostname)


def test_sslmode_edge_cases(pki_texts: dict[str, str]) -> None:
    assert DatabaseTls().driver_ssl() is None  # asyncpg's own default
    untouched = connection_config(PG)
    assert isinstance(untouched, dict) and "ssl" not in untouched["credentials"]
    assert DatabaseTls("disable").driver_ssl() is False
    assert DatabaseTls("prefer").driver_ssl() == "prefer"
    # libpq: `require` with a root certificate verifies the chain
    required = DatabaseTls("require", pki_texts["ca"]).driver_ssl()
    assert isinstance(required, ssl.SSLContext)
    assert (required.verify_mode, required.check_hostname) == (ssl.CERT_REQUIRED, False)


def test_postgres_pool_defaults_and_the_size_in_the_url_wins() -> None:
    # Given PostgreSQL without a pool size, then with one in the URL
    default = connection_config(PG)
    chosen = connection_config(PG + "?maxsize=3")
    # Then the pool is 10 connections of the lean kind, unless the URL says otherwise
    assert isinstance(default, dict) and isinstance(chosen, dict)
    assert default["credentials"]["maxsize"] == DEFAULT_POOL_SIZE == 10
    assert default["credentials"]["connection_class"] is PooledConnection
    assert chosen["credentials"]["maxsize"] == "3"
    # And SQLite keeps its URL as it is
    assert connection_config("sqlite://var/x.sqlite3") == "sqlite://var/x.sqlite3"
