"""The projection's per-step statements, as SQL written once per database instead of per call.

Every journey step writes its event and refreshes its journey row (`store.projection`). Built
by Tortoise's query builder, those few statements cost more CPU than the database spent running
them: py-spy on the step benchmark put the builder's filters, SQL rendering and JSON
encoding at most of the write's share of the worker, and the write is most of what a step
costs beyond Temporal's own update. Here the statements are plain SQL strings made once for
each dialect; the values still go through each model field's own `to_db_value`, so a row
written here is the row Tortoise would have written (dates, JSON and flags alike; see
`store.sql`). The request path reads the journey row here too, before and after its step.

The event goes in with `ON CONFLICT DO NOTHING`: one statement both checks that the event is
new and appends it (the id it returns, or none, tells which), and a concurrent writer of the
same event waits for the first and then writes nothing. An event that clashes (on its sequence
number or on its record) with another is not this event written before: the writer reads what
is there (`logged_statement`) to tell the two apart (`store.projection`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from domain.store.models import Journey, JourneyEvent
from domain.store.one_trip import Plan, Statement, in_one_trip
from domain.store.sql import (
    as_models,
    columns_of,
    db_values,
    encode,
    insert,
    is_postgres,
    marks,
)

# An event's line in the journey's log; the row also keeps the facts the event left ...
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
# ... and its journey's clinic, by which a clinic's events are read (`log_replay`).
EVENT_COLUMNS = (*LOG_COLUMNS, "clinic_id", "facts")
# What the counters need of the row as it was: the writer compares it with the row it leaves.
LOCKED_COLUMNS = ("clinic_id", "stage", "active", "stuck", "last_event_seq")


@functools.cache
def _insert_event(postgres: bool) -> str:
    # Any clash, not only on (journey_id, seq): a record clash is told apart by the writer too.
    return f"{insert(postgres, 'journey_event', EVENT_COLUMNS)} ON CONFLICT DO NOTHING RETURNING id"


@functools.cache
def _select_logged(postgres: bool) -> str:
    journey, seq, record = marks(postgres, 3)
    return (
        f"SELECT {', '.join(LOG_COLUMNS)} FROM journey_event WHERE journey_id = {journey} "
        f"AND (seq = {seq} OR record_id = {record}) ORDER BY seq"
    )


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
def _insert_journey(postgres: bool, columns: tuple[str, ...]) -> str:
    return insert(postgres, "journey", columns)


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


def event_statement(postgres: bool, event: Mapping[str, Any]) -> Statement:
    """Appends the event (a value for each of `EVENT_COLUMNS`, the facts by `encode_facts`);
    its rows are the new event's id, or none when the event was there."""
    values = db_values(JourneyEvent, event, EVENT_COLUMNS, encoded=("facts",))
    return _insert_event(postgres), values


def logged_statement(postgres: bool, journey_id: str, seq: int, record_id: str | None) -> Statement:
    """The journey's logged events at `seq` or carrying `record_id` (`LOG_COLUMNS`)."""
    return _select_logged(postgres), [journey_id, seq, record_id]


def lock_statement(postgres: bool, journey_id: str) -> Statement:
    """The journey row's `LOCKED_COLUMNS`, locked until the commit (read by `locked_row`)."""
    return _lock_journey(postgres), [journey_id]


def locked_row(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """What `lock_statement` read; None before the journey's first event."""
    if not rows:
        return None
    row = rows[0]
    # SQLite hands flags back as 0 and 1
    return {name: row[name] for name in LOCKED_COLUMNS} | {
        "active": bool(row["active"]),
        "stuck": bool(row["stuck"]),
    }


def row_insert_statement(postgres: bool, journey_id: str, values: Mapping[str, Any]) -> Statement:
    """Inserts the journey's row: `values` holds every other column (the facts by
    `encode_facts`), as `update_statement` takes them."""
    columns = ("id", *values)
    encoded = db_values(Journey, {"id": journey_id, **values}, columns, encoded=("facts",))
    return _insert_journey(postgres, columns), encoded


def update_statement(postgres: bool, journey_id: str, values: Mapping[str, Any]) -> Statement:
    """Sets the journey row's columns to `values` (column name to value; the facts by
    `encode_facts`)."""
    columns = tuple(values)
    encoded = db_values(Journey, values, columns, encoded=("facts",))
    return _update_journey(postgres, columns), [*encoded, journey_id]


def row_plan(postgres: bool, journey_id: str, clinic_id: str | None = None) -> Plan[Journey | None]:
    """Reads the journey's row (only if it is `clinic_id`'s, when given); None if none."""
    params = [journey_id] if clinic_id is None else [journey_id, clinic_id]
    rows = yield _select_journey(postgres, clinic_id is not None), params
    found = as_models(Journey, rows)
    return found[0] if found else None


async def journey_row(journey_id: str, clinic_id: str | None = None) -> Journey | None:
    """The journey's read-model row (only if it is `clinic_id`'s, when given); None if none."""
    return await in_one_trip(
        Journey, lambda db: row_plan(is_postgres(db), journey_id, clinic_id), atomic=False
    )
