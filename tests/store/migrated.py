"""Rows as an older release wrote them, for the tests of a migration on the rows an older
release left (their database: `migration_templates.migrated_to`, tests/migration_templates.py)."""

from __future__ import annotations

from typing import Any

from tortoise import Model, connections

from domain.store.sql import db_values, insert, is_postgres


async def old_row(model: type[Model], **row: Any) -> None:
    """Writes a row of `model` with the columns given only, as an older release did: the model
    may name columns a later migration adds, which the ORM would write."""
    db = connections.get("default")
    columns = list(row)
    await db.execute_query(
        insert(is_postgres(db), model._meta.db_table, columns), db_values(model, row, columns)
    )
