"""What a database's schema is made of, as facts two databases can be compared by: a database
the migrations' way back brought to a migration holds the same tables, columns, keys, indexes,
triggers and views as one the migrations brought up to it, and records the same migrations, so
whatever runs on the one runs on the other. The order of columns, and the names SQLite gives
the indexes of UNIQUE constraints, are left out: SQLite rebuilds a table to change it."""

from __future__ import annotations

import re
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.store.sql import is_postgres

Shape = dict[str, list[tuple[Any, ...]]]

_POSTGRES = {
    "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default"
    " FROM information_schema.columns WHERE table_schema = current_schema()",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes"
    " WHERE schemaname = current_schema()",
    "constraints": "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
    " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
    " WHERE n.nspname = current_schema()",
    "triggers": "SELECT t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid)"
    " FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid"
    " JOIN pg_namespace n ON n.oid = r.relnamespace"
    " WHERE n.nspname = current_schema() AND NOT t.tgisinternal",
    "functions": "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prosrc"
    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE n.nspname = current_schema()",
    "views": "SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema()",
}


async def shape_of(db: BaseDBAsyncClient) -> Shape:
    shape = await (_postgres(db) if is_postgres(db) else _sqlite(db))
    applied = await _rows(db, "SELECT app, name FROM tortoise_migrations ORDER BY id")
    shape["migrations"] = [(row["app"], row["name"]) for row in applied]
    return shape


def differences(one: Shape, other: Shape) -> dict[str, tuple[list[Any], list[Any]]]:
    """The facts of each part found in one shape only, (in `one`, in `other`), each named by
    its first two fields: its table and name, or its kind and name (a fact changed in place is
    in both)."""
    found = {}
    for part in sorted(set(one) | set(other)):
        ones, others = one.get(part, []), other.get(part, [])
        if ones != others:
            found[part] = (
                sorted(fact[:2] for fact in ones if fact not in others),
                sorted(fact[:2] for fact in others if fact not in ones),
            )
    return found


async def _postgres(db: BaseDBAsyncClient) -> Shape:
    shape: Shape = {}
    for part, query in _POSTGRES.items():
        shape[part] = sorted(tuple(row.values()) for row in await _rows(db, query))
    return shape


async def _sqlite(db: BaseDBAsyncClient) -> Shape:
    shape: Shape = {part: [] for part in ("columns", "indexes", "foreign keys", "code")}
    objects = await _rows(
        db,
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
        " WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL",
    )
    for table in (o["name"] for o in objects if o["type"] == "table"):
        for column in await _rows(db, f'PRAGMA table_xinfo("{table}")'):
            shape["columns"].append(
                (table, column["name"], column["type"], column["notnull"], column["dflt_value"])
            )
        for index in await _rows(db, f'PRAGMA index_list("{table}")'):
            named = "" if index["name"].startswith("sqlite_autoindex_") else index["name"]
            covered = await _rows(db, f'PRAGMA index_info("{index["name"]}")')
            columns = ",".join(c["name"] for c in sorted(covered, key=lambda c: c["seqno"]))
            shape["indexes"].append(
                (table, named, index["unique"], index["origin"], index["partial"], columns)
            )
        for key in await _rows(db, f'PRAGMA foreign_key_list("{table}")'):
            shape["foreign keys"].append(
                (table, key["from"], key["table"], key["to"], key["on_update"], key["on_delete"])
            )
    # (an index's SQL says what PRAGMA does not: the expression or condition it is made of)
    for code in (o for o in objects if o["type"] in ("trigger", "view", "index")):
        words = re.sub(r"\s+", " ", code["sql"]).strip()
        shape["code"].append((code["type"], code["name"], code["tbl_name"], words))
    return {part: sorted(facts, key=repr) for part, facts in shape.items()}


async def _rows(db: BaseDBAsyncClient, sql: str) -> list[dict[str, Any]]:
    return [dict(row) for row in await db.execute_query_dict(sql)]
