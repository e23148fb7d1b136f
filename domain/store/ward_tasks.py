"""The ward's tasks after an operation in the read model (`domain.aftercare.ward`): written with
the operation's event (`completeTreatment` of a SURGERY journey, same transaction), settled by
the ward's records (`recordPostOpObservation`, `recordWardRound`, and their corrections).

The readings are the nurses' (anyone of the role, as the photos are); the round is the doctor's
who operated (`treating_doctor`: the performer, else the approving expert, while still a doctor
of the clinic; else any doctor). A task settled is logged in `task_change` in the record's
transaction: no journey event says so, and `tasksChanged` must hear of it. A reading or a round
that was missed stays open, and overdue, until it is closed by hand with what came of it
(`completeTask`): no later record can be taken in its place. A record marked entered in error,
or corrected to another hour, gives back the task it settled (`ward_reopening`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from domain.aftercare import ward
from domain.aftercare.tasks import TaskKind, TaskStatus, task_id
from domain.client_file.kinds import EntryKind
from domain.journey.facts import JourneyChange
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, TaskChangeLog
from domain.store.models import Clinic
from domain.store.treating_doctor import treating_doctor

WARD_KINDS = (TaskKind.WARD_READING, TaskKind.WARD_ROUND)


def ward_task_id(journey_id: str, code: str, kind: TaskKind) -> str:
    return task_id(journey_id, code, kind)


async def write_ward_tasks(change: JourneyChange) -> None:
    """At the operation's end: its hourly readings and the next day's round (a rewrite, the
    event's retried write, leaves them as they are)."""
    facts, event = change.facts, change.event
    clinic = await Clinic.get(id=facts.clinic_id)
    zone = ZoneInfo(clinic.timezone)
    doctor = await treating_doctor(
        facts.journey_id, facts.clinic_id, facts.expert_id, still_here=True
    )
    due = [(TaskKind.WARD_READING, reading) for reading in ward.readings_due(event.at)]
    due.append((TaskKind.WARD_ROUND, ward.round_due(event.at, zone)))
    for kind, task in due:
        is_round = kind is TaskKind.WARD_ROUND
        await FollowUpTask.get_or_create(
            id=ward_task_id(facts.journey_id, task.code, kind),
            defaults={
                "clinic_id": facts.clinic_id,
                "journey_id": facts.journey_id,
                "kind": kind.value,
                "label": task.label,
                "status": TaskStatus.OPEN.value,
                "due_at": task.due_at,
                "assignee_role": (Role.EXPERT if is_round else Role.NURSE).value,
                "assignee_id": doctor if is_round else None,
                "journey_seq": event.seq,
                "updated_at": event.at,
            },
        )


async def settle_ward_tasks(journey_id: str, kind: EntryKind, body: Any) -> int:
    """Marks done the task the record answers (an observation: the readings due within half an
    hour of it; a round: the round), in the caller's transaction; the number settled."""
    if kind is EntryKind.POST_OP_OBSERVATION:
        observed = record_moment(body, "observed_at")
        if observed is None:
            return 0
        after, upto = ward.answered_between(observed)
        waiting = FollowUpTask.filter(
            journey_id=journey_id, kind=TaskKind.WARD_READING.value, due_at__gt=after
        ).filter(due_at__lte=upto)
    elif kind is EntryKind.WARD_ROUND:
        waiting = FollowUpTask.filter(journey_id=journey_id, kind=TaskKind.WARD_ROUND.value)
    else:
        return 0
    settled = await waiting.filter(status=TaskStatus.OPEN.value).values_list("id", "clinic_id")
    now = datetime.now(UTC)
    done = 0
    async with in_transaction():  # the caller's, when it has one (a correction has none)
        for the_id, clinic_id in settled:
            # Only a task that turns DONE here is logged: a record settling it at once did.
            still_open = FollowUpTask.filter(id=the_id, status=TaskStatus.OPEN.value)
            if await still_open.update(status=TaskStatus.DONE.value, updated_at=now):
                await TaskChangeLog.create(clinic_id=clinic_id, task_id=the_id, at=now)
                done += 1
    return done


def record_moment(body: Any, name: str) -> datetime | None:
    value = body.get(name) if isinstance(body, dict) else None
    return datetime.fromisoformat(value) if isinstance(value, str) else None


async def close_ward_tasks(change: JourneyChange) -> None:
    """A journey ended otherwise than completed (cancelled, refunded): its ward's tasks go with
    it."""
    facts = change.facts
    if not facts.stage.is_terminal or facts.stage is Stage.COMPLETED:
        return
    waiting = FollowUpTask.filter(
        journey_id=facts.journey_id,
        kind__in=[kind.value for kind in WARD_KINDS],
        status=TaskStatus.OPEN.value,
    )
    await waiting.update(status=TaskStatus.CLOSED.value, journey_seq=change.event.seq)
