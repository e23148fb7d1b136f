"""The projection's per-step statements, as SQL written once per database instead of per call.

Every journey step writes its event and refreshes its journey row (`store.projection`). Built
by Tortoise's query builder, those few statements cost more CPU than the database spent running
them: py-spy on the step benchmark put the builder's filters, SQL rendering and JSON
encoding at most of the write's share of the worker, and the write is most of what a step
costs beyond Temporal's own update. Here the statements are plain SQL strings made once for
each dialect; the values still go through each model field's own `to_db_value`, so a row
written here is the row Tortoise would have written (dates, JSON and flags alike; see
`store.sql`). The request path reads the journey row here too, before and after its step.

The event goes in with `ON CONFLICT (journey_id, seq) DO NOTHING`: one statement both checks
that the event is new and appends it (the id it returns, or none, tells which), and a concurrent
writer of the same event waits for the first and then writes nothing. A `record_id` clash is
still an error: it names another event.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.store.models import Journey, JourneyEvent
from domain.store.sql import (
    as_models,
    columns_of,
    db_values,
    encode,
    insert,
    is_postgres,
    marks,
)

# An event's line in the journey's log; the row also keeps the facts the event left.
LOG_COLUMNS = (
    "journey_id",
    "seq",
    "action",
    "from_stage",
    "to_stage",
    "actor_id",
    "actor_role",
    "at",
    "summary",
    "record_id",
)
EVENT_COLUMNS = (*LOG_COLUMNS, "facts")
# What the counters need of the row as it was: the writer compares it with the row it leaves.
LOCKED_COLUMNS = ("clinic_id", "stage", "active", "stuck", "last_event_seq")


@functools.cache
def _insert_event(postgres: bool) -> str:
    return insert(postgres, "journey_event", EVENT_COLUMNS, unique="journey_id, seq")


@functools.cache
def _lock_journey(postgres: bool) -> str:
    (mark,) = marks(postgres, 1)
    # FOR UPDATE on PostgreSQL; SQLite has one writer at a time anyway (see `apply_change`).
    lock = " FOR UPDATE" if postgres else ""
    return f"SELECT {', '.join(LOCKED_COLUMNS)} FROM journey WHERE id = {mark}{lock}"


@functools.cache
def _select_journey(postgres: bool, in_clinic: bool) -> str:
    mark, clinic_mark = marks(postgres, 2)
    clinic = f" AND clinic_id = {clinic_mark}" if in_clinic else ""
    return f"SELECT {', '.join(columns_of(Journey))} FROM journey WHERE id = {mark}{clinic}"


@functools.cache
def _update_journey(postgres: bool, columns: tuple[str, ...]) -> str:
    *value_marks, id_mark = marks(postgres, len(columns) + 1)
    pairs = zip(columns, value_marks, strict=True)
    sets = ", ".join(f"{column} = {mark}" for column, mark in pairs)
    return f"UPDATE journey SET {sets} WHERE id = {id_mark}"


def encode_facts(facts: Mapping[str, Any]) -> str:
    """The facts column's JSON, made once for the event and the row (both take it as it is)."""
    encoded: str = encode(Journey, "facts", facts)
    return encoded


async def append_event(connection: BaseDBAsyncClient, event: Mapping[str, Any]) -> bool:
    """Appends the event (a value for each of `EVENT_COLUMNS`, the facts by `encode_facts`);
    False when it was there."""
    sql = _insert_event(is_postgres(connection))
    values = db_values(JourneyEvent, event, EVENT_COLUMNS, encoded=("facts",))
    rows = await connection.execute_query_dict(sql, values)
    return bool(rows)


async def lock_journey(connection: BaseDBAsyncClient, journey_id: str) -> Mapping[str, Any] | None:
    """The journey row's `LOCKED_COLUMNS`, locked until the commit; None before its first event."""
    _, rows = await connection.execute_query(_lock_journey(is_postgres(connection)), [journey_id])
    if not rows:
        return None
    row: Mapping[str, Any] = rows[0]
    # SQLite hands flags back as 0 and 1
    return {**row, "active": bool(row["active"]), "stuck": bool(row["stuck"])}


async def update_journey(
    connection: BaseDBAsyncClient, journey_id: str, values: Mapping[str, Any]
) -> None:
    """Sets the journey row's columns to `values` (column name to value; the facts by
    `encode_facts`)."""
    columns = tuple(values)
    sql = _update_journey(is_postgres(connection), columns)
    encoded = db_values(Journey, values, columns, encoded=("facts",))
    await connection.execute_query(sql, [*encoded, journey_id])


async def journey_row(journey_id: str, clinic_id: str | None = None) -> Journey | None:
    """The journey's read-model row (only if it is `clinic_id`'s, when given); None if none."""
    connection = Journey._meta.db
    sql = _select_journey(is_postgres(connection), clinic_id is not None)
    params = [journey_id] if clinic_id is None else [journey_id, clinic_id]
    _, rows = await connection.execute_query(sql, params)
    found = as_models(Journey, rows)
    return found[0] if found else None
