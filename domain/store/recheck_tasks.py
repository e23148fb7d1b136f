"""The reminder of a recheck booked at the handover, written with the handover's event (same
transaction), so a rewrite of the event finds it and writes nothing.

Its due time is the recheck's; it is on the list of whoever makes the clinic's after-care
calls (`caller_assignment`), who reminds the client and sees a recheck missed. Nothing settles
it but `completeTask`: the recheck itself is a visit of its own, booked at reception.
"""

from __future__ import annotations

from domain.aftercare.recheck_booking import booked_recheck
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
from domain.store.models import JourneyRecord


def recheck_task_id(journey_id: str) -> str:
    return task_id(journey_id, None, TaskKind.RECHECK)


def books_a_recheck(change: JourneyChange) -> bool:
    """Whether the event may have booked one: a handover with its record."""
    return change.event.action == Action.HAND_OVER.value and bool(change.event.record_id)


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
            "due_at": booked,
            "assignee_role": assignment.role.value,
            "assignee_id": assignment.account_id,
            "journey_seq": event.seq,
            "updated_at": event.at,
        },
    )
