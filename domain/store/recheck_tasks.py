"""The reminder of a recheck booked at the handover, written with the handover's event (same
transaction), so a rewrite of the event finds it and writes nothing.

It falls due a day before the recheck (`recheck_booking.reminder_due`), on the list of whoever
makes the clinic's after-care calls (`caller_assignment`). It is settled by `completeTask`: a
recheck started at reception names no journey it comes back for, so its start cannot settle it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from tortoise.expressions import Subquery

from domain.aftercare.recheck_booking import booked_recheck, reminder_due
from domain.aftercare.tasks import (
    FollowUpAssignee,
    TaskKind,
    TaskStatus,
    caller_assignment,
    task_id,
)
from domain.journey.facts import JourneyChange
from domain.journey.table import Action
from domain.store.aftercare import FollowUpTask
from domain.store.models import JourneyEvent, JourneyRecord


def recheck_task_id(journey_id: str) -> str:
    return task_id(journey_id, None, TaskKind.RECHECK)


def books_a_recheck(change: JourneyChange) -> bool:
    """Whether the event may have booked one: a handover with its record."""
    return change.event.action == Action.HAND_OVER.value and bool(change.event.record_id)


async def booked_rechecks(journey_ids: Collection[str]) -> dict[str, datetime]:
    """The recheck each journey's handover booked (journeys that booked none are left out): in
    one query, for a page of journeys."""
    handed_over = JourneyEvent.filter(
        journey_id__in=list(journey_ids), action=Action.HAND_OVER.value, record_id__not_isnull=True
    ).values("record_id")
    rows = await JourneyRecord.filter(
        id__in=Subquery(handed_over), journey_id__in=list(journey_ids)
    ).values_list("journey_id", "body")
    found = {str(journey_id): booked_recheck(body) for journey_id, body in rows}
    return {j: booked for j, booked in found.items() if booked is not None}


async def write_recheck_task(change: JourneyChange, policy: FollowUpAssignee) -> None:
    facts, event = change.facts, change.event
    if not books_a_recheck(change):
        return
    record = await JourneyRecord.get_or_none(id=event.record_id)
    booked = booked_recheck(record.body if record else None)
    if booked is None:
        return
    assignment = caller_assignment(facts.consultant_id, policy)
    await FollowUpTask.get_or_create(
        id=recheck_task_id(facts.journey_id),
        defaults={
            "clinic_id": facts.clinic_id,
            "journey_id": facts.journey_id,
            "kind": TaskKind.RECHECK.value,
            "status": TaskStatus.OPEN.value,
            "due_at": reminder_due(booked, event.at),
            "assignee_role": assignment.role.value,
            "assignee_id": assignment.account_id,
            "journey_seq": event.seq,
            "updated_at": event.at,
        },
    )
