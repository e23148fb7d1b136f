"""Runtime settings, read once from ``GLOWPATH_*`` variables (or from their ``_FILE`` twins)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from domain.store.db import DatabaseTls
from server.photo_settings import PARSERS as PHOTO_STORE_PARSERS
from server.photo_settings import photo_store_problem
from server.setting_sources import (
    SourceError,
    parse_certificates,
    parse_private_key,
    parse_ssl_mode,
    raw_value,
    with_password,
)
from server.setting_values import (
    DEV_SECRET_KEY,
    MAX_TOKEN_TTL_SECONDS,
    SettingsError,
    is_loopback,
    parse_address,
    parse_bool,
    parse_database_url,
    parse_durations,
    parse_int,
    parse_log_format,
    parse_log_level,
    parse_origins,
    parse_previous_secrets,
    parse_secret,
)
from workflows.connect import TemporalSecurity
from workflows.sticky_cache import DEFAULT_MAX_CACHED_WORKFLOWS
from workflows.update_admission import DEFAULT_JOURNEY_IN_FLIGHT

PREFIX = "GLOWPATH_"


def env_name(field: str) -> str:
    """The variable that sets ``field``: ``http_port`` -> ``GLOWPATH_HTTP_PORT``."""
    return PREFIX + field.upper()


@dataclass(frozen=True)
class Settings:
    # Out of the repr: it holds GLOWPATH_DATABASE_PASSWORD, put into it percent-encoded.
    database_url: str = field(default="sqlite://var/glowpath.sqlite3", repr=False)
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "glowpath-journeys"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    secret_key: str = field(default=DEV_SECRET_KEY, repr=False)
    token_ttl_seconds: int = 43200
    graphiql: bool = False
    introspection: bool = False  # on under `glowpath dev`; elsewhere only when turned on
    follow_up_schedule: tuple[int, ...] | None = None  # seconds; None: the clinic default
    data_dir: Path = Path("var")
    dev_temporal_port: int = 7233
    log_level: str = "INFO"
    log_format: str = "json"  # one JSON object per line; "text" for people (default of `dev`)
    cors_origins: tuple[str, ...] = ()  # browser origins allowed besides the API's own
    otel_enabled: bool = False
    temporal_metrics_bind: str = ""  # host:port of the Temporal SDK's Prometheus endpoint
    worker_http_port: int = 0  # the worker's /healthz, /readyz, /metrics; 0: none
    shutdown_timeout_seconds: int = 20
    # Journeys the worker keeps in memory between their tasks; the rest are replayed from their
    # history when they wake. Chosen from `python -m bench.parked_bench` (see the README).
    worker_max_cached_workflows: int = DEFAULT_MAX_CACHED_WORKFLOWS
    # Steps one API process sends to one journey at once (`workflows.update_admission`); keep
    # API processes x this at 8 or below (Temporal takes 10 per workflow: room for the desk).
    journey_updates_in_flight: int = DEFAULT_JOURNEY_IN_FLIGHT
    previous_secret_keys: tuple[str, ...] = field(default=(), repr=False)  # verify, never sign
    trusted_proxy_hops: int = 0  # proxies in front that append to X-Forwarded-For
    ops_port: int = 0  # /healthz, /readyz, /metrics on their own port; 0: on the public port
    temporal_tls: bool = False  # TLS with the system's roots even without a CA or a key
    temporal_tls_ca: str = ""  # PEM: the CA that signed the frontend's certificate
    temporal_tls_cert: str = ""  # PEM: this client's certificate (mutual TLS)
    temporal_tls_key: str = field(default="", repr=False)  # PEM: its private key
    temporal_tls_server_name: str = ""  # the name to verify, when it differs from the address
    temporal_api_key: str = field(default="", repr=False)  # e.g. Temporal Cloud's
    database_sslmode: str = ""  # libpq's sslmode; "": the driver's default
    database_sslrootcert: str = ""  # PEM: the CA that signed PostgreSQL's certificate
    photo_dir: Path | None = None  # where photos are stored; None: <data_dir>/photos
    photo_max_bytes: int = 10 * 1024**2  # the largest photo accepted
    photo_link_seconds: int = 300  # how long a link to a photo works
    photo_store: str = "local"  # "local": photo_directory; "s3": the bucket below
    s3_endpoint_url: str = ""  # any S3-compatible service; "": AWS S3 of the region
    s3_bucket: str = ""
    s3_region: str = ""  # "": us-east-1
    s3_access_key_id: str = field(default="", repr=False)  # "" (both): boto3's own chain
    s3_secret_access_key: str = field(default="", repr=False)
    s3_key_prefix: str = ""  # e.g. "clinic-a/photos": the objects are <prefix>/<photo id>
    # `migrate --grant-to ROLE` creates the services' role with it when the role is missing.
    app_db_password: str | None = field(default=None, repr=False)
    # Put into database_url's user part, percent-encoded: any character may be in it.
    database_password: str = field(default="", repr=False)

    @property
    def photo_directory(self) -> Path:
        return self.photo_dir if self.photo_dir is not None else self.data_dir / "photos"

    @property
    def temporal_security(self) -> TemporalSecurity:
        return TemporalSecurity(
            tls=self.temporal_tls,
            server_ca=self.temporal_tls_ca,
            client_cert=self.temporal_tls_cert,
            client_key=self.temporal_tls_key,
            server_name=self.temporal_tls_server_name,
            api_key=self.temporal_api_key,
        )

    @property
    def database_tls(self) -> DatabaseTls:
        return DatabaseTls(mode=self.database_sslmode, root_cert=self.database_sslrootcert)

    @property
    def uses_dev_secret(self) -> bool:
        return self.secret_key == DEV_SECRET_KEY

    def exposure_problem(self) -> str | None:
        """Why this process must not start: the public development key on an address others
        reach would let anyone sign a token for any account."""
        if not self.uses_dev_secret or is_loopback(self.http_host):
            return None
        return (
            f"{env_name('secret_key')} is not set, and {env_name('http_host')}="
            f"{self.http_host or '(all addresses)'} is not a loopback address: tokens would be "
            "signed with the public development key. Set GLOWPATH_SECRET_KEY to a random "
            "secret of at least 32 characters (python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'), or listen on 127.0.0.1."
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Build settings from ``environ``; empty variables count as unset.

        The default database follows ``data_dir``: ``sqlite://<data_dir>/glowpath.sqlite3``.
        """
        values: dict[str, Any] = {}
        for name, parse in _PARSERS.items():
            try:
                raw = raw_value(environ, env_name(name))
            except SourceError as exc:
                raise SettingsError(str(exc)) from None
            if not raw:
                continue
            try:
                values[name] = parse(raw)
            except ValueError as exc:  # SettingsError included
                raise SettingsError(f"{env_name(name)}: {exc}") from None
        _check_connections(values)
        if values.get("database_password"):
            values["database_url"] = _url_with_password(values)
        data_dir = values.get("data_dir", cls.data_dir)
        values.setdefault("database_url", f"sqlite://{data_dir}/glowpath.sqlite3")
        if values.get("secret_key", DEV_SECRET_KEY) in values.get("previous_secret_keys", ()):
            raise SettingsError(
                f"{env_name('previous_secret_keys')}: must not contain the current "
                f"{env_name('secret_key')}"
            )
        return cls(**values)


def _url_with_password(values: Mapping[str, Any]) -> str:
    url, password = env_name("database_url"), env_name("database_password")
    try:
        return with_password(values.get("database_url", ""), values["database_password"])
    except ValueError as exc:
        raise SettingsError(f"{password} is set: {url}: {exc}") from None


def _check_connections(values: Mapping[str, Any]) -> None:
    """Settings that only make sense together, named in the message."""
    cert, key = env_name("temporal_tls_cert"), env_name("temporal_tls_key")
    if bool(values.get("temporal_tls_cert")) != bool(values.get("temporal_tls_key")):
        given, missing = (cert, key) if values.get("temporal_tls_cert") else (key, cert)
        raise SettingsError(f"{given} is set but {missing} is not: mutual TLS needs both")
    secured = [
        name
        for name in ("temporal_tls_ca", "temporal_tls_cert", "temporal_tls_server_name")
        if values.get(name)
    ]
    if values.get("temporal_tls") is False and secured:
        raise SettingsError(
            f"{env_name('temporal_tls')}=false contradicts {', '.join(map(env_name, secured))}"
        )
    ops, http = values.get("ops_port", 0), values.get("http_port", Settings.http_port)
    if ops and ops == http:
        raise SettingsError(
            f"{env_name('ops_port')} and {env_name('http_port')} are both {ops}: the operations "
            "port must differ from the public one"
        )
    tls_db = [n for n in ("database_sslmode", "database_sslrootcert") if values.get(n)]
    if tls_db and str(values.get("database_url", "sqlite:")).startswith("sqlite"):
        raise SettingsError(
            f"{', '.join(map(env_name, tls_db))} apply to PostgreSQL only, and "
            f"{env_name('database_url')} is SQLite"
        )
    if values.get("database_sslmode") == "disable" and values.get("database_sslrootcert"):
        raise SettingsError(
            f"{env_name('database_sslmode')}=disable contradicts {env_name('database_sslrootcert')}"
        )
    photo_problem = photo_store_problem(values)
    if photo_problem is not None:
        raise SettingsError(photo_problem)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "database_url": parse_database_url,
    "temporal_address": parse_address,
    "temporal_namespace": str,
    "task_queue": str,
    "journey_updates_in_flight": partial(parse_int, lo=1, hi=8),
    "http_host": str,
    "http_port": partial(parse_int, lo=0, hi=65535),
    "secret_key": parse_secret,
    "token_ttl_seconds": partial(parse_int, lo=60, hi=MAX_TOKEN_TTL_SECONDS),
    "graphiql": parse_bool,
    "introspection": parse_bool,
    "follow_up_schedule": parse_durations,
    "data_dir": Path,
    "dev_temporal_port": partial(parse_int, lo=1, hi=65535 - 1000),  # UI listens on port+1000
    "log_level": parse_log_level,
    "log_format": parse_log_format,
    "cors_origins": parse_origins,
    "otel_enabled": parse_bool,
    "temporal_metrics_bind": parse_address,
    "worker_http_port": partial(parse_int, lo=0, hi=65535),
    "shutdown_timeout_seconds": partial(parse_int, lo=0, hi=3600),
    "worker_max_cached_workflows": partial(parse_int, lo=0, hi=100_000),
    "previous_secret_keys": parse_previous_secrets,
    "trusted_proxy_hops": partial(parse_int, lo=0, hi=10),
    "ops_port": partial(parse_int, lo=0, hi=65535),
    "temporal_tls": parse_bool,
    "temporal_tls_ca": parse_certificates,
    "temporal_tls_cert": parse_certificates,
    "temporal_tls_key": parse_private_key,
    "temporal_tls_server_name": str,
    "temporal_api_key": str,
    "database_sslmode": parse_ssl_mode,
    "database_sslrootcert": parse_certificates,
    "photo_dir": Path,
    "photo_max_bytes": partial(parse_int, lo=1024, hi=100 * 1024**2),
    "photo_link_seconds": partial(parse_int, lo=10, hi=3600),
    "app_db_password": str,
    "database_password": str,
    **PHOTO_STORE_PARSERS,
}
assert set(_PARSERS) == {f.name for f in fields(Settings)}, "every field needs a parser"
