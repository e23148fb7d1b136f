"""A recheck booked at a handover, kept by the visit the client came for.

Reception starting a recheck (`startJourney(recheck: true)`) for a client with a booking still
to be kept names that booking's journey (`open_booking`): the visit's `linked_journey_id`, and
its reception record's `BOOKED_RECHECK_OF`. When the client is checked in for it (a walk-in at
its start, a booking at `checkIn`; never a no-show), the read model records the booking as kept
(`RecheckKept`) and closes its reminder if still open, with a closing row as `completeTask`
writes, in the transaction of the visit's check-in event: a rewrite of that event writes nothing.

A visit days early or late is still the booking's: a client comes when they can, and a recheck
they come for is the one booked (there is no other to be kept). Of two bookings still to be
kept (two treatments, each booked), the visit keeps the one booked nearest to its start.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.aftercare.tasks import TaskStatus
from domain.journey.facts import JourneyChange
from domain.journey.table import Action
from domain.store.aftercare import (
    FollowUpTask,
    RecheckKept,
    TaskChangeLog,
    TaskClosing,
    request_of_its_own,
)
from domain.store.models import Journey, JourneyRecord
from domain.store.recheck_tasks import booked_rechecks, recheck_task_id

# The reception record's field naming the booking's journey the visit comes to keep: a linked
# recheck a complication or a warranty claim opened carries no such field, and keeps nothing.
BOOKED_RECHECK_OF = "booked_recheck_of"


async def open_booking(client_id: str, clinic_id: str, at: datetime) -> str | None:
    """The journey of the client's booked recheck still to be kept that is booked nearest to
    `at` (of two as near, the earlier booking); None when the client has none."""
    journeys = await Journey.filter(client_id=client_id, clinic_id=clinic_id).values_list(
        "id", flat=True
    )
    booked = await booked_rechecks([str(j) for j in journeys])
    if not booked:
        return None
    kept = RecheckKept.filter(booking_journey_id__in=list(booked))
    for journey_id in await kept.values_list("booking_journey_id", flat=True):
        booked.pop(str(journey_id), None)
    if not booked:
        return None
    return min(booked, key=lambda j: (abs(booked[j] - at), booked[j]))


def may_keep_a_booking(change: JourneyChange) -> bool:
    """Whether the event may keep a booking: a visit naming a journey, its client checked in."""
    return change.event.action == Action.CHECK_IN.value and bool(change.facts.linked_journey_id)


async def keep_booking(change: JourneyChange) -> None:
    """Called inside the transaction that appends the visit's check-in event."""
    facts, event = change.facts, change.event
    booking = facts.linked_journey_id
    if not may_keep_a_booking(change) or booking is None or not facts.attached_records:
        return
    opening = await JourneyRecord.get_or_none(id=facts.attached_records[0])
    if opening is None or _booking_named(opening.body) != booking:
        return
    kept, _ = await RecheckKept.get_or_create(
        booking_journey_id=booking,
        defaults={
            "clinic_id": facts.clinic_id,
            "visit_journey_id": facts.journey_id,
            "kept_at": event.at,
        },
    )
    if kept.visit_journey_id != facts.journey_id:
        return  # kept by another visit already: this one leaves its reminder as it is
    reminder = FollowUpTask.filter(id=recheck_task_id(booking), status=TaskStatus.OPEN.value)
    closed = await reminder.update(
        status=TaskStatus.DONE.value, linked_journey_id=facts.journey_id, updated_at=event.at
    )
    if not closed:
        return  # none booked it, or closed by hand before the client came: as it was closed
    task = await FollowUpTask.get(id=recheck_task_id(booking))
    await TaskClosing.create(
        task_id=task.id,
        clinic_id=task.clinic_id,
        journey_id=task.journey_id,
        kind=task.kind,
        closed_by=event.actor.user_id,
        closed_by_role=event.actor.role.value,
        closed_at=event.at,
        note=f"kept: the client came for the recheck (journey {facts.journey_id})",
        request_id=request_of_its_own(),
    )
    # The task is the booking journey's, which this event is not: pushed by its log row.
    await TaskChangeLog.create(clinic_id=task.clinic_id, task_id=task.id, at=event.at)


def _booking_named(body: Any) -> str | None:
    value = body.get(BOOKED_RECHECK_OF) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


async def kept_by(booking_journey_ids: list[str]) -> dict[str, str]:
    """The visit that kept each booking, by the booking's journey (those not kept left out)."""
    rows = RecheckKept.filter(booking_journey_id__in=booking_journey_ids)
    found = await rows.values_list("booking_journey_id", "visit_journey_id")
    return {str(booking): str(visit) for booking, visit in found}
