"""The projection's per-step statements, as SQL written once per database instead of per call.

Every journey step writes its event and refreshes its journey row (`store.projection`). Built
by Tortoise's query builder, those few statements cost more CPU than the database spent running
them: py-spy on the step benchmark put the builder's filters, SQL rendering and JSON
encoding at most of the write's share of the worker, and the write is most of what a step
costs beyond Temporal's own update. Here the statements are plain SQL strings made once for
each dialect; the values still go through each model field's own `to_db_value`, so a row
written here is the row Tortoise would have written (dates, JSON and flags alike).

The event goes in with `ON CONFLICT (journey_id, seq) DO NOTHING`: one statement both checks
that the event is new and appends it (the id it returns, or none, tells which), and a concurrent
writer of the same event waits for the first and then writes nothing. A `record_id` clash is
still an error: it names another event.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.store.models import Journey, JourneyEvent

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


def _marks(postgres: bool, count: int) -> list[str]:
    return [f"${n}" for n in range(1, count + 1)] if postgres else ["?"] * count


@functools.cache
def _insert_event(postgres: bool) -> str:
    values = ", ".join(_marks(postgres, len(EVENT_COLUMNS)))
    return (
        f"INSERT INTO journey_event ({', '.join(EVENT_COLUMNS)}) VALUES ({values})"
        " ON CONFLICT (journey_id, seq) DO NOTHING RETURNING id"
    )


@functools.cache
def _lock_journey(postgres: bool) -> str:
    (mark,) = _marks(postgres, 1)
    # FOR UPDATE on PostgreSQL; SQLite has one writer at a time anyway (see `apply_change`).
    lock = " FOR UPDATE" if postgres else ""
    return f"SELECT {', '.join(LOCKED_COLUMNS)} FROM journey WHERE id = {mark}{lock}"


@functools.cache
def _update_journey(postgres: bool, columns: tuple[str, ...]) -> str:
    marks = _marks(postgres, len(columns) + 1)
    sets = ", ".join(f"{column} = {mark}" for column, mark in zip(columns, marks[:-1], strict=True))
    return f"UPDATE journey SET {sets} WHERE id = {marks[-1]}"


def _is_postgres(connection: BaseDBAsyncClient) -> bool:
    return connection.capabilities.dialect == "postgres"


def _db_values(
    model: type[JourneyEvent] | type[Journey], row: Mapping[str, Any], columns: Sequence[str]
) -> list[Any]:
    fields = model._meta.fields_map
    return [fields[name].to_db_value(row[name], model) for name in columns]


async def append_event(connection: BaseDBAsyncClient, event: Mapping[str, Any]) -> bool:
    """Appends the event (a value for each of `EVENT_COLUMNS`); False when it was there."""
    sql = _insert_event(_is_postgres(connection))
    # Read as rows: for an INSERT, Tortoise's PostgreSQL client reports a count it misreads.
    rows = await connection.execute_query_dict(sql, _db_values(JourneyEvent, event, EVENT_COLUMNS))
    return bool(rows)


async def lock_journey(connection: BaseDBAsyncClient, journey_id: str) -> Mapping[str, Any] | None:
    """The journey row's `LOCKED_COLUMNS`, locked until the commit; None before its first event."""
    _, rows = await connection.execute_query(_lock_journey(_is_postgres(connection)), [journey_id])
    if not rows:
        return None
    row: Mapping[str, Any] = rows[0]
    # SQLite hands flags back as 0 and 1
    return {**row, "active": bool(row["active"]), "stuck": bool(row["stuck"])}


async def update_journey(
    connection: BaseDBAsyncClient, journey_id: str, values: Mapping[str, Any]
) -> None:
    """Sets the journey row's columns to `values` (column name to value)."""
    columns = tuple(values)
    sql = _update_journey(_is_postgres(connection), columns)
    await connection.execute_query(sql, [*_db_values(Journey, values, columns), journey_id])
