"""A database of its own for each test that breaks the audit trail to see the break caught: the
suite's shared database must keep chains that verify."""

from __future__ import annotations

import contextlib
import secrets
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


@pytest.fixture
async def scratch_database(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """A new database on the suite's own server (SQLite: a new file), at the latest migration."""
    if not _on_postgres(database_url):
        url = f"sqlite://{tmp_path / 'scratch.sqlite3'}"
        await apply_migrations(url)
        yield url
        return
    name = f"glowpath_scratch_{secrets.token_hex(4)}"
    await _admin(database_url, f'CREATE DATABASE "{name}"')
    try:
        url = urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
        await apply_migrations(url)
        yield url
    finally:
        await _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[TortoiseContext]:
    """The models talk to `url` inside the block (and to the suite's database again after)."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        yield context
