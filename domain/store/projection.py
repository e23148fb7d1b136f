"""Writes journey changes into the read model. At-least-once safe: keyed on (journey, seq)."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyChange, JourneyFacts
from domain.journey.sla import next_breach
from domain.store.journey_sql import (
    encode_facts,
    event_statement,
    lock_statement,
    locked_row,
    row_insert_statement,
    update_statement,
)
from domain.store.models import Journey
from domain.store.one_trip import Plan, Unread, drive, in_one_trip
from domain.store.sql import is_postgres
from domain.store.stage_counts import (
    Key,
    Pair,
    contribution,
    counters_moved,
    differences,
)
from domain.store.stage_stays import stays_recorded
from domain.store.task_projection import aftercare_to_project, project_aftercare


def journey_values(facts: JourneyFacts) -> dict[str, Any]:
    """The journey row's columns for the workflow's snapshot `facts`."""
    breach = next_breach(facts)
    return {
        "clinic_id": facts.clinic_id,
        "client_id": facts.client_id,
        "consultant_id": facts.consultant_id,
        "stage": facts.stage.value,
        "visit_category": facts.visit_category.value,
        "active": not facts.stage.is_terminal,
        "started_at": facts.started_at,
        "stage_entered_at": facts.stage_entered_at or facts.started_at,
        "last_event_seq": facts.event_seq,
        "facts": facts_to_json(facts),
        "sla_deadline": breach.deadline if breach else None,
        "stuck": facts.stuck_since is not None,
        "stuck_since": facts.stuck_since,
        "stuck_reason": facts.stuck_reason,
    }


async def apply_change(change: JourneyChange, *, fold: bool = True) -> bool:
    """Appends the event and refreshes the journey row; False when it was already written.

    The board's counters and stays change in the same transaction (`store.stage_counts`,
    `store.stage_stays`). A step that leaves after-care alone, nearly all of them, is that one
    transaction of hand-written statements, sent in one trip on SQLite (`store.one_trip`); the
    others also write the after-care through the ORM, inside it. `fold=False` sends each of
    its statements on its own on PostgreSQL (to compare; see `store.one_trip.Unread`).
    """
    values = journey_values(change.facts)
    facts_json = encode_facts(values["facts"])  # once, for the event and the row
    values["facts"] = facts_json
    if not aftercare_to_project(change):
        return await in_one_trip(
            Journey, lambda connection: _projected(connection, change, values), fold=fold
        )
    async with in_transaction() as connection:
        if not await drive(connection, _projected(connection, change, values), fold=fold):
            return False
        await project_aftercare(change)
    return True


def _projected(
    connection: BaseDBAsyncClient, change: JourneyChange, values: dict[str, Any]
) -> Plan[bool]:
    """The event, the journey row, the stays and the counters; False when the event was
    there. The writes it does not read go last, the counters among them, which every step of
    the clinic's journeys moves: on PostgreSQL they are one statement, so the counters' rows are
    locked for that statement and the commit only."""
    postgres = is_postgres(connection)
    moved = yield from _event_and_row(postgres, change, values)
    if moved is None:
        return False
    yield from stays_recorded(postgres, change.event, change.facts.clinic_id)
    yield from counters_moved(postgres, moved)
    return True


def _event_and_row(
    postgres: bool, change: JourneyChange, values: dict[str, Any]
) -> Plan[list[tuple[Key, Pair]] | None]:
    """The event and the journey row; the counters' differences, or None when the event was
    there. `values`: `journey_values`, the facts encoded."""
    event, facts = change.event, change.facts
    appended = yield event_statement(
        postgres,
        {
            "journey_id": event.journey_id,
            "seq": event.seq,
            "action": event.action,
            "from_stage": event.from_stage.value if event.from_stage else None,
            "to_stage": event.to_stage.value,
            "actor_id": event.actor.user_id,
            "actor_role": event.actor.role.value,
            "at": event.at,
            "summary": event.summary[:500],
            "record_id": event.record_id,
            "facts": values["facts"],
        },
    )
    if not appended:
        return None
    # Locked until the commit (PostgreSQL): a concurrent writer of the same journey waits,
    # then reads the row this one leaves, so each counts its own difference once.
    before = locked_row((yield lock_statement(postgres, facts.journey_id)))
    if before is None:
        yield Unread(*row_insert_statement(postgres, facts.journey_id, values))
        was: dict[Key, Pair] = {}
    elif before["last_event_seq"] < facts.event_seq:
        yield Unread(*update_statement(postgres, facts.journey_id, values))
        was = contribution(before["clinic_id"], before["stage"], before["active"], before["stuck"])
    else:
        return []  # a newer event wrote the row: it, and the counters, stay as they are
    now = contribution(facts.clinic_id, values["stage"], values["active"], values["stuck"])
    return differences(was, now)
