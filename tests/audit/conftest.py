"""A database of its own for each test that breaks the audit trail to see the break caught: the
suite's shared database must keep chains that verify."""

from __future__ import annotations

import contextlib
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from tortoise.context import TortoiseContext

from domain.store.db import apply_migrations, tortoise_config


def _on_postgres(url: str) -> bool:
    return url.startswith(("postgres", "asyncpg", "psycopg"))


async def _admin(url: str, statement: str) -> None:
    parts = urlsplit(url)
    connection = await asyncpg.connect(urlunsplit(parts._replace(scheme="postgres")))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def migrated_template(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """One database at the latest migration, made once per session: each scratch database is a
    copy of it, since running every migration again took seconds per test."""
    if not _on_postgres(database_url):
        path = tmp_path_factory.mktemp("audit-template") / "template.sqlite3"
        await apply_migrations(f"sqlite://{path}")
        yield str(path)
        return
    name = f"glowpath_template_{secrets.token_hex(4)}"
    await _admin(database_url, f'CREATE DATABASE "{name}"')
    try:
        # Migrated, then every connection closed: PostgreSQL copies a template nobody is using.
        await apply_migrations(_named(database_url, name))
        yield name
    finally:
        await _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _named(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


@pytest.fixture
async def scratch_database(
    database_url: str, migrated_template: str, tmp_path: Path
) -> AsyncIterator[str]:
    """A new database on the suite's own server (SQLite: a new file), at the latest migration."""
    if not _on_postgres(database_url):
        path = tmp_path / "scratch.sqlite3"
        # The template's connections are closed; a log SQLite kept beside it goes along.
        for suffix in ("", "-wal"):
            if Path(migrated_template + suffix).exists():
                shutil.copyfile(migrated_template + suffix, f"{path}{suffix}")
        yield f"sqlite://{path}"
        return
    name = f"glowpath_scratch_{secrets.token_hex(4)}"
    await _admin(database_url, f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
    try:
        yield _named(database_url, name)
    finally:
        await _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[TortoiseContext]:
    """The models talk to `url` inside the block (and to the suite's database again after)."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        yield context
