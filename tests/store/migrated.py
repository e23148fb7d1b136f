"""A database of its own brought to an older migration, for the tests of a migration on the
rows an older release left (the database itself: the `empty_database` fixture)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from tortoise import Model, connections
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from domain.store.db import tortoise_config
from domain.store.sql import db_values, insert, is_postgres


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
