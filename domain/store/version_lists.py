"""A clinic's versioned lists (consent templates, procedure types) as their answers read them:
each key's newest version picked by the database, in key order, no more than the list holds,
and only the columns the answer needs.

The newest versions were read for every key of the clinic, with every column (a consent
template's texts run to 140 KB a version), and cut to the list's bound afterwards: a clinic with
thousands of keys paid for all of them on each call. Keys are ordered byte by byte (`COLLATE "C"`
on PostgreSQL, SQLite's BINARY), the order Python gives strings, whatever the database's
collation: the same on both databases, and in every locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from tortoise.models import Model

from domain.store.sql import as_models, is_postgres, marks

M = TypeVar("M", bound=Model)


def key_order(postgres: bool, column: str) -> str:
    """`column` ordered byte by byte, whatever the database's collation."""
    return f'{column} COLLATE "C"' if postgres else f"{column} COLLATE BINARY"


def _newest_sql(
    model: type[Model], key: str, columns: Sequence[str], equal: Sequence[str], postgres: bool
) -> str:
    table = model._meta.db_table
    places = iter(marks(postgres, 2 + len(equal)))
    names = ", ".join(f'v."{c}"' for c in columns)
    order = key_order(postgres, f'v."{key}"')
    conditions = " AND ".join(f'v."{c}" = {next(places)}' for c in ("clinic_id", *equal))
    return (
        f"SELECT {names} FROM {table} AS v WHERE {conditions} AND NOT EXISTS (SELECT 1 FROM"
        f' {table} AS newer WHERE newer.clinic_id = v.clinic_id AND newer."{key}" = v."{key}"'
        f" AND newer.version > v.version) ORDER BY {order}"
        f" LIMIT {next(places)}"
    )


async def newest_versions(
    model: type[M],
    clinic_id: str,
    key: str,
    *,
    limit: int,
    columns: Sequence[str],
    equal: Mapping[str, str | None],
) -> list[M]:
    """The newest version (by its `version` number) of each of the clinic's `key`s, in key
    order, at most `limit` of them, read with `columns` only (the model's other fields are left
    unset). `equal` keeps the versions whose column holds the value given (None: any): a
    condition on the newest version, not on the versions before it."""
    wanted = {column: value for column, value in equal.items() if value is not None}
    postgres = is_postgres(model._meta.db)
    sql = _newest_sql(model, key, columns, list(wanted), postgres)
    rows = await model._meta.db.execute_query_dict(sql, [clinic_id, *wanted.values(), limit])
    return as_models(model, rows)
