"""A new database of its own (the `empty_database` fixture), and one brought to an older
migration, for the tests of a migration on the rows an older release left."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Model, connections
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from domain.store.db import tortoise_config
from domain.store.sql import db_values, insert, is_postgres


@contextlib.asynccontextmanager
async def new_database(database_url: str, folder: Path) -> AsyncIterator[str]:
    """A new, empty database of `database_url`'s kind for the block (SQLite: a file in
    `folder`), dropped after it."""
    if database_url.startswith("sqlite"):
        yield f"sqlite://{folder / 'migration.sqlite3'}"
        return
    name = f"glowpath_migration_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def migrated_to(url: str, target: str) -> AsyncIterator[dict[str, Any]]:
    """The ORM on the database at `url`, migrated up to `target` (e.g. "models.0024_task_change"),
    for the block. Yields the configuration `migrate(config=...)` takes to run the rest."""
    config = tortoise_config(url)
    async with TortoiseContext() as context:
        await context.init(config=config)
        await migrate(config=config, target=target)
        yield config


async def old_row(model: type[Model], **row: Any) -> None:
    """Writes a row of `model` with the columns given only, as an older release did: the model
    may name columns a later migration adds, which the ORM would write."""
    db = connections.get("default")
    columns = list(row)
    await db.execute_query(
        insert(is_postgres(db), model._meta.db_table, columns), db_values(model, row, columns)
    )
