"""Tortoise set-up shared by the API and the worker processes."""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from domain.store import sqlite_snapshot
from domain.store.compat import sqlite_pragmas  # fixes Tortoise's SQLite client on import
from domain.store.pg_pool import ASYNCPG_ENGINE, tune_pool
from domain.store.schema_version import MIGRATIONS_MODULE, require_current_schema

MODELS_MODULE = "domain.store.models"
TRIAGE_MODELS_MODULE = "domain.store.triage_models"
AUDIT_MODELS_MODULE = "domain.store.audit_models"
CLIENT_FILE_MODELS_MODULE = "domain.store.client_file"
CONSENT_MODELS_MODULE = "domain.store.consents"
CATALOG_MODELS_MODULE = "domain.store.catalog"
PHOTO_MODELS_MODULE = "domain.store.photos"
AFTERCARE_MODELS_MODULE = "domain.store.aftercare"
PROCEDURE_MODELS_MODULE = "domain.store.procedures"
BILLING_MODELS_MODULE = "domain.store.billing"
PARTNER_MODELS_MODULE = "domain.store.partners"
DISCLOSURE_MODELS_MODULE = "domain.store.disclosures"
COMPLAINT_MODELS_MODULE = "domain.store.complaints"
CLINIC_CALENDAR_MODELS_MODULE = "domain.store.clinic_calendar"


@dataclass(frozen=True)
class DatabaseTls:
    """TLS to PostgreSQL with libpq's meaning of ``sslmode`` and ``sslrootcert``.

    ``root_cert`` is PEM text (the settings read the file). An empty ``mode`` leaves the driver's
    default (asyncpg: ``prefer``), or ``verify-full`` when a root certificate is given; like
    libpq, ``require`` with a root certificate verifies the chain (``verify-ca``).
    """

    mode: str = ""
    root_cert: str = ""

    def driver_ssl(self) -> ssl.SSLContext | str | bool | None:
        """asyncpg's ``ssl`` argument; ``None``: leave it out."""
        mode = self.mode or ("verify-full" if self.root_cert else "")
        if mode == "require" and self.root_cert:
            mode = "verify-ca"
        if mode in ("", "allow", "prefer"):
            return mode or None  # asyncpg implements these two itself
        if mode == "disable":
            return False
        context = ssl.create_default_context(cadata=self.root_cert or None)
        if mode == "require":  # encrypted, the server not verified (libpq's meaning)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        elif mode == "verify-ca":  # a trusted chain, any host name
            context.check_hostname = False
        return context


NO_TLS = DatabaseTls()


def connection_config(database_url: str, tls: DatabaseTls = NO_TLS) -> str | dict[str, Any]:
    """Tortoise's connection: the URL itself (SQLite), or its expansion with PostgreSQL's pool
    (see `pg_pool`) and the driver's TLS argument."""
    driver_ssl = tls.driver_ssl()
    connection = expand_db_url(database_url)
    if connection["engine"] != ASYNCPG_ENGINE and driver_ssl is None:
        return database_url
    connection = tune_pool(connection)
    if driver_ssl is not None:
        connection["credentials"]["ssl"] = driver_ssl
    return connection


def tortoise_config(database_url: str, tls: DatabaseTls = NO_TLS) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(sqlite_pragmas(database_url), tls)},
        "apps": {
            "models": {
                "models": [
                    MODELS_MODULE,
                    TRIAGE_MODELS_MODULE,
                    AUDIT_MODELS_MODULE,
                    CLIENT_FILE_MODELS_MODULE,
                    CONSENT_MODELS_MODULE,
                    CATALOG_MODELS_MODULE,
                    PHOTO_MODELS_MODULE,
                    AFTERCARE_MODELS_MODULE,
                    PROCEDURE_MODELS_MODULE,
                    BILLING_MODELS_MODULE,
                    PARTNER_MODELS_MODULE,
                    DISCLOSURE_MODELS_MODULE,
                    COMPLAINT_MODELS_MODULE,
                    CLINIC_CALENDAR_MODELS_MODULE,
                ],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(database_url: str, tls: DatabaseTls = NO_TLS) -> None:
    # The global fallback lets every task use the models: aiohttp handlers and Temporal activity
    # tasks are not all descendants of the task that called init.
    await Tortoise.init(config=tortoise_config(database_url, tls), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def open_current_db(database_url: str, tls: DatabaseTls = NO_TLS) -> None:
    """`init_db` for the API and the worker: refused (SchemaBehind, the database closed again)
    when the schema lacks a migration of this release (`store.schema_version`)."""
    await init_db(database_url, tls)
    try:
        await require_current_schema()
    except BaseException:
        await close_db()
        raise


async def apply_migrations(database_url: str, tls: DatabaseTls = NO_TLS) -> None:
    """Brings the database schema to the latest migration; a no-op when it is current. A new
    SQLite database starts from the migrations' script (`store.sqlite_snapshot`)."""
    async with migrated_connection(database_url, tls):
        pass


@contextlib.asynccontextmanager
async def migrated_connection(
    database_url: str, tls: DatabaseTls = NO_TLS, *, script: bool = True
) -> AsyncIterator[BaseDBAsyncClient]:
    """The database's connection once its schema is at the latest migration, for as long as
    the block runs. `script=False`: a new SQLite database through every migration instead."""
    config = tortoise_config(database_url, tls)
    async with TortoiseContext() as context:
        await context.init(config=config)
        if script:
            await sqlite_snapshot.load_into_new(context.db())
        await migrate(config=config)
        yield context.db()


def __getattr__(name: str) -> Any:
    """`TORTOISE_ORM`, for `tortoise -c domain.store.db.TORTOISE_ORM makemigrations` when the
    models change: made when asked for. Made on import, a GLOWPATH_DATABASE_URL Tortoise could
    not read stopped every `glowpath` command with a traceback before its settings were read
    (and their message, which never repeats the URL, said)."""
    if name == "TORTOISE_ORM":
        return tortoise_config(os.environ.get("GLOWPATH_DATABASE_URL", "sqlite://:memory:"))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
