"""The values a setting may take, each checked by its parser: durations, origins, database URLs,
signing keys, host:port addresses. A parser returns the value to keep or raises `SettingsError`
with what was expected; `server.settings` names the variable it came from."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qs, urlsplit

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import ConfigurationError

from domain.procedures.template import TIERS

DEV_SECRET_KEY = "glowpath-dev-only-secret-never-use-in-production"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("json", "text")
DB_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg", "psycopg")
# What a PostgreSQL URL's query may set: Tortoise's pool and the driver's settings it reads from
# text. Anything else reached asyncpg's connect() and failed every command with a TypeError.
DRIVER_PARAMETERS = (
    "host",  # a Unix socket's folder: postgres:///glowpath?host=/var/run/postgresql
    "maxsize",
    "minsize",
    "max_size",
    "min_size",
    "max_queries",
    "max_inactive_connection_lifetime",
    "timeout",
    "statement_cache_size",
    "max_cached_statement_lifetime",
    "max_cacheable_statement_size",
    "schema",
    "application_name",
    "target_session_attrs",
)
# libpq's TLS parameters (and asyncpg's): given here, they would bypass the settings' checks.
TLS_PARAMETERS = ("ssl", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "sslpassword")

LAST_FOLLOW_UP_SECONDS = TIERS[-1][1]  # a year, the last tier of a procedure type's follow-ups
MIN_SECRET_LENGTH = 32  # HS256 wants a key of at least 256 bits
MAX_TOKEN_TTL_SECONDS = 30 * 86400
LOOPBACK_NAMES = ("localhost",)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(\d+)\s*([smhdw])")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A GLOWPATH_* variable has a value that cannot be used."""


def parse_durations(text: str) -> tuple[int, ...]:
    """Parse ``"24h,3d,1w"`` into seconds: ``(86400, 259200, 604800)``. Units: s, m, h, d, w."""
    result: list[int] = []
    for part in text.split(","):
        match = _DURATION.fullmatch(part.strip().lower())
        if match is None or int(match.group(1)) == 0:
            raise SettingsError(
                f"invalid duration {part.strip()!r} in {text!r}: expected a positive whole "
                "number followed by s, m, h, d or w, e.g. '24h,3d,1w'"
            )
        seconds = int(match.group(1)) * _UNITS[match.group(2)]
        if seconds > LAST_FOLLOW_UP_SECONDS:
            raise SettingsError(
                f"{part.strip()!r} in {text!r} is past a year: follow-ups run to "
                f"{LAST_FOLLOW_UP_SECONDS // 86400}d after treatment, as a procedure type's do"
            )
        result.append(seconds)
    return tuple(result)


def parse_int(text: str, lo: int, hi: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"expected a whole number, got {text!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"expected a number from {lo} to {hi}, got {value}")
    return value


def parse_bool(text: str) -> bool:
    if text.lower() not in _TRUE + _FALSE:
        raise SettingsError(f"expected true/false (or 1/0, yes/no, on/off), got {text!r}")
    return text.lower() in _TRUE


def parse_log_level(text: str) -> str:
    if text.upper() not in LOG_LEVELS:
        raise SettingsError(f"expected one of {', '.join(LOG_LEVELS)}, got {text!r}")
    return text.upper()


def parse_log_format(text: str) -> str:
    if text.lower() not in LOG_FORMATS:
        raise SettingsError(f"expected one of {', '.join(LOG_FORMATS)}, got {text!r}")
    return text.lower()


_ORIGIN = re.compile(r"https?://[a-z0-9.\-]+(:\d{1,5})?|https?://\[[0-9a-f:.]+\](:\d{1,5})?")


def _port_in_range(origin: str) -> bool:
    host_and_port = origin.partition("://")[2]
    port = host_and_port.rpartition(":")[2] if not host_and_port.endswith("]") else ""
    return not port.isdigit() or 1 <= int(port) <= 65535


def parse_origins(text: str) -> tuple[str, ...]:
    """``"https://a.example, http://localhost:5173"`` -> normalised origins; ``*`` allows any."""
    origins: list[str] = []
    for part in text.split(","):
        origin = part.strip().lower().rstrip("/")
        if not origin:
            continue
        if origin != "*" and not (_ORIGIN.fullmatch(origin) and _port_in_range(origin)):
            raise SettingsError(
                f"invalid origin {part.strip()!r}: expected scheme://host[:port] "
                "(no path), e.g. 'https://app.example.com', or '*'"
            )
        origins.append(origin)
    return tuple(origins)


def parse_database_url(text: str) -> str:
    """Checked as Tortoise reads it, so a URL that cannot work stops the start; the messages
    never repeat the URL, which may hold a password."""
    scheme, sep, _ = text.partition("://")
    if not sep or scheme not in DB_SCHEMES:
        raise SettingsError(
            f"expected a URL starting with one of {', '.join(s + '://' for s in DB_SCHEMES)}"
        )
    try:
        credentials = expand_db_url(text)["credentials"]
    except (ConfigurationError, ValueError):  # sqlite:// without a file, a port of letters
        raise SettingsError(
            "cannot read the URL: expected sqlite://<path> or "
            "postgres://user:pass@host:5432/db, with a port from 1 to 65535"
        ) from None
    if scheme != "sqlite" and not credentials.get("database"):
        # Without one, the driver opens the database named after the user.
        raise SettingsError("the URL names no database: postgres://user:pass@host:5432/db")
    if scheme != "sqlite":
        _check_driver_parameters(text)
    return text


def _check_driver_parameters(url: str) -> None:
    for key in parse_qs(urlsplit(url).query, keep_blank_values=True):
        if key in TLS_PARAMETERS:
            raise SettingsError(
                f"{key} in the URL: PostgreSQL's TLS is set by GLOWPATH_DATABASE_SSLMODE and "
                "GLOWPATH_DATABASE_SSLROOTCERT (with libpq's meaning)"
            )
        if key not in DRIVER_PARAMETERS:
            raise SettingsError(
                f"{key} in the URL is not a setting of the driver's; it takes "
                + ", ".join(DRIVER_PARAMETERS)
            )


def parse_secret(text: str) -> str:
    if len(text) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"at least {MIN_SECRET_LENGTH} characters, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return text


def parse_previous_secrets(text: str) -> tuple[str, ...]:
    """Comma-separated keys that no longer sign tokens but still verify them."""
    keys = tuple(part.strip() for part in text.split(",") if part.strip())
    for key in keys:
        parse_secret(key)
        if key == DEV_SECRET_KEY:
            raise SettingsError("the development key cannot be a previous key")
    return keys


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (``0.0.0.0`` and ``::`` reach everyone)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: assume others can reach it


def parse_address(text: str) -> str:
    host, sep, port = text.rpartition(":")
    if (
        not sep
        or not host
        or "/" in host
        or any(char.isspace() for char in host)
        or not port.isdigit()
        or not 1 <= int(port) <= 65535
    ):
        raise SettingsError(f"expected host:port (no scheme, a port from 1 to 65535), got {text!r}")
    return text
