"""The reminder of a recheck booked at the handover, written with the handover's event (same
transaction), so a rewrite of the event finds it and writes nothing.

It falls due a day before the recheck (`recheck_booking.reminder_due`), on the list of whoever
makes the clinic's after-care calls (`caller_assignment`): like the calls, it follows the
journey's owner and the clinic's setting as later events of the journey are written. A
correction of the booking (`amendRecord` on the handover's record) moves an open reminder, in
the amendment's transaction. It is settled by `completeTask`, or by the check-in of the recheck
visit that keeps the booking (`recheck_visits`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery

from domain.aftercare.recheck_booking import booking_as_corrected, reminder_due
from domain.aftercare.tasks import (
    FollowUpAssignee,
    TaskKind,
    TaskStatus,
    caller_assignment,
    task_id,
)
from domain.journey.facts import JourneyChange
from domain.journey.table import Action
from domain.store.aftercare import FollowUpTask, TaskChangeLog, clinic_setting
from domain.store.callers import calling_consultant
from domain.store.models import Journey, JourneyEvent, JourneyRecord
from domain.store.staff_locks import accounts_named

# The handover's record kind (`handOver`'s `record_kind`), and that of its corrections.
HANDOVER_RECORD = "handover"
HANDOVER_CORRECTION = f"{HANDOVER_RECORD}_amendment"


def recheck_task_id(journey_id: str) -> str:
    return task_id(journey_id, None, TaskKind.RECHECK)


def books_a_recheck(change: JourneyChange) -> bool:
    """Whether the event may have booked one: a handover with its record."""
    return change.event.action == Action.HAND_OVER.value and bool(change.event.record_id)


def _correction(body: object) -> object:
    return body.get("correction") if isinstance(body, dict) else None


async def booking_of(record: JourneyRecord) -> datetime | None:
    """The recheck the handover's record books, as its latest correction says."""
    amendments = JourneyRecord.filter(amends_id=record.id).order_by("created_at", "id")
    corrections = [_correction(body) for body in await amendments.values_list("body", flat=True)]
    return booking_as_corrected(record.body, corrections)


async def booked_rechecks(journey_ids: Collection[str]) -> dict[str, datetime]:
    """The recheck each journey's handover booked, as corrected (journeys that booked none are
    left out): in one query, for a page of journeys."""
    handed_over = JourneyEvent.filter(
        journey_id__in=list(journey_ids), action=Action.HAND_OVER.value, record_id__not_isnull=True
    ).values("record_id")
    rows = await (
        JourneyRecord.filter(
            Q(id__in=Subquery(handed_over)) | Q(kind=HANDOVER_CORRECTION),
            journey_id__in=list(journey_ids),
        )
        .order_by("created_at", "id")
        .values_list("journey_id", "amends_id", "body")
    )
    originals: dict[str, object] = {}
    corrections: dict[str, list[object]] = defaultdict(list)
    for journey_id, amends_id, body in rows:
        if amends_id is None:
            originals[str(journey_id)] = body
        else:
            corrections[str(journey_id)].append(_correction(body))
    found = {j: booking_as_corrected(body, corrections[j]) for j, body in originals.items()}
    return {j: booked for j, booked in found.items() if booked is not None}


async def write_recheck_task(
    change: JourneyChange, policy: FollowUpAssignee, caller: str | None
) -> None:
    """`caller`: the consultant who calls under `policy` (`calling_consultant`)."""
    facts, event = change.facts, change.event
    if not books_a_recheck(change):
        return
    record = await JourneyRecord.get_or_none(id=event.record_id)
    booked = await booking_of(record) if record else None
    if booked is None:
        return
    due = reminder_due(booked, event.at)
    columns = _reminder(facts.clinic_id, facts.journey_id, caller, policy, due)
    await FollowUpTask.get_or_create(
        id=recheck_task_id(facts.journey_id),
        defaults={**columns, "journey_seq": event.seq, "updated_at": event.at},
    )


def _reminder(
    clinic_id: str,
    journey_id: str,
    consultant_id: str | None,
    policy: FollowUpAssignee,
    due: datetime,
) -> dict[str, Any]:
    """A new reminder's columns: open, due at `due`, on the list of whoever makes the calls."""
    assignment = caller_assignment(consultant_id, policy)
    return {
        "clinic_id": clinic_id,
        "journey_id": journey_id,
        "kind": TaskKind.RECHECK.value,
        "status": TaskStatus.OPEN.value,
        "due_at": due,
        "assignee_role": assignment.role.value,
        "assignee_id": assignment.account_id,
    }


async def reassign_recheck_task(
    change: JourneyChange, policy: FollowUpAssignee, caller: str | None
) -> None:
    """An open reminder goes where the journey's calls go as of this event (its owner, the
    clinic's setting); written with the event's seq, so `tasksChanged` pushes it with it."""
    facts, event = change.facts, change.event
    task = await FollowUpTask.get_or_none(
        id=recheck_task_id(facts.journey_id), status=TaskStatus.OPEN.value
    )
    if task is None or task.journey_seq >= event.seq:
        return
    assignment = caller_assignment(caller, policy)
    if (task.assignee_role, task.assignee_id) == (assignment.role.value, assignment.account_id):
        return  # no news: not pushed again with each of the journey's events
    await FollowUpTask.filter(id=task.id, status=TaskStatus.OPEN.value).update(
        assignee_role=assignment.role.value,
        assignee_id=assignment.account_id,
        journey_seq=event.seq,
        updated_at=event.at,
    )


async def follow_booking_correction(
    journey: Journey, handover: JourneyEvent, record: JourneyRecord, at: datetime
) -> None:
    """The handover's record was just corrected (in this transaction, under the journey's
    lock): its reminder follows the booking as it now stands. An open one moves; one settled
    stays as it was; a booking a correction adds where the handover booked none gets one. A
    change is logged for `tasksChanged` (no journey event carries it)."""
    booked = await booking_of(record)
    if booked is None:
        return
    # Held before the reminder is read: it may name them (`staff_locks`).
    await accounts_named([journey.consultant_id])
    due = reminder_due(booked, handover.at)
    the_id = recheck_task_id(journey.id)
    task = await FollowUpTask.get_or_none(id=the_id)
    if task is None:
        await _remind_anew(journey, handover, due, at)
    elif not await _moved(task, due, at):
        return
    await TaskChangeLog.create(clinic_id=journey.clinic_id, task_id=the_id, at=at)


async def _moved(task: FollowUpTask, due: datetime, at: datetime) -> bool:
    """Whether the reminder moved: an open one due at another time."""
    if task.status != TaskStatus.OPEN.value or task.due_at == due:
        return False
    # Still open: one closed by hand meanwhile (`completeTask`) keeps what it was closed as.
    still_open = FollowUpTask.filter(id=task.id, status=TaskStatus.OPEN.value)
    return bool(await still_open.update(due_at=due, updated_at=at))


async def _remind_anew(
    journey: Journey, handover: JourneyEvent, due: datetime, at: datetime
) -> None:
    """A reminder for a booking a correction added, to whoever makes the journey's calls."""
    setting = await clinic_setting(journey.clinic_id)
    policy = FollowUpAssignee(setting.follow_up_assignee)
    caller = await calling_consultant(journey.clinic_id, journey.consultant_id, policy)
    columns = _reminder(journey.clinic_id, journey.id, caller, policy, due)
    await FollowUpTask.create(
        id=recheck_task_id(journey.id), **columns, journey_seq=handover.seq, updated_at=at
    )
