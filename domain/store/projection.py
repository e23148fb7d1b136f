"""Writes journey changes into the read model. At-least-once safe: keyed on (journey, seq).

The write rides in the journey's workflow task as a local activity, so it can run again: a
retried attempt finds its event logged and writes nothing. It can also have run in a workflow
task Temporal then lost (a worker that died before reporting it; a task the server dropped
while refusing updates past its in-flight limit): the journey may then apply its steps in
another order, and the event the lost task logged at a sequence number is not the one the
journey holds there. The log is append-only, so that event stays and the journey's own is not
logged; the writer says so (ERROR, "does not match the journey's event") instead of failing on
every retry (a clash on the record once did, and the journey's later writes waited behind it for
good), and writes the journey's row, stays, counters and after-care from the journey's change
all the same where the row stands at that event: staff act on the row, and the write that comes
second is the run that survived. A row a lost task moved further on follows once the journey's
own events reach it; a lost task's late write never moves a row back.
`glowpath reconcile` reports the log's difference. `workflows.update_admission` keeps API
processes below the limit that made this happen in the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyChange, JourneyEvent, JourneyFacts
from domain.journey.sla import next_breach
from domain.store.journey_sql import (
    encode_facts,
    event_statement,
    lock_statement,
    locked_row,
    logged_statement,
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

log = logging.getLogger(__name__)


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
        "stuck_reason_code": code.value if (code := facts.stuck_reason_code) else None,
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


def _written_before(event: JourneyEvent, logged: Sequence[Mapping[str, Any]]) -> bool:
    """Whether `logged` (this journey's events at the event's sequence number or with its
    record) is this event, written before; if not, says so at ERROR."""
    if [row["seq"] for row in logged] == [event.seq] and _same(event, logged[0]):
        return True
    log.error(
        "journey %s: the read model's log at event %s does not match the journey's event (%s "
        "by %s, record %s); found %s. The log keeps what it has (a workflow task Temporal lost "
        "writes so); the journey's row follows the journey",
        event.journey_id,
        event.seq,
        event.action,
        event.actor.user_id,
        event.record_id,
        [(row["seq"], row["action"], row["actor_id"], row["record_id"]) for row in logged],
    )
    return False


def _same(event: JourneyEvent, row: Mapping[str, Any]) -> bool:
    from_stage = event.from_stage.value if event.from_stage else None
    return (
        row["action"],
        row["actor_id"],
        row["record_id"],
        row["from_stage"],
        row["to_stage"],
        row["summary"],
    ) == (
        event.action,
        event.actor.user_id,
        event.record_id,
        from_stage,
        event.to_stage.value,
        event.summary[:500],
    )


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
            "clinic_id": facts.clinic_id,
            "facts": values["facts"],
        },
    )
    unmatched = False  # the log holds another event where this one goes (module docstring)
    if not appended:
        logged = yield logged_statement(postgres, event.journey_id, event.seq, event.record_id)
        if not logged:  # the clash is with another journey's row: a fault, not a lost task
            raise IntegrityError(f"event {event.seq} of journey {event.journey_id} clashes")
        if _written_before(event, logged):
            return None
        unmatched = True
    # Locked until the commit (PostgreSQL): a concurrent writer of the same journey waits,
    # then reads the row this one leaves, so each counts its own difference once.
    before = locked_row((yield lock_statement(postgres, facts.journey_id)))
    if before is None:
        yield Unread(*row_insert_statement(postgres, facts.journey_id, values))
        was: dict[Key, Pair] = {}
    elif before["last_event_seq"] < facts.event_seq or (
        unmatched and before["last_event_seq"] == facts.event_seq
    ):
        yield Unread(*update_statement(postgres, facts.journey_id, values))
        was = contribution(before["clinic_id"], before["stage"], before["active"], before["stuck"])
    else:
        return []  # a newer event wrote the row: it, and the counters, stay as they are
    now = contribution(facts.clinic_id, values["stage"], values["active"], values["stuck"])
    return differences(was, now)
