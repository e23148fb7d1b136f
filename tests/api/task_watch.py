"""Follow-up calls written straight to the read model, as a journey's writer or `completeTask`
would, for the tests of what `tasksChanged` says of them (the feed is fed by hand:
`tests.api.live.HandFed`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.store.aftercare import FollowUpTask, TaskChangeLog
from domain.store.models import Journey
from tests.api.alert_support import event_row, facts_of
from tests.api.live import Pushes

TASK_STATES = "subscription { tasksChanged { change task { id status journeyId assigneeRole } } }"


def call_of(journey_id: str, clinic_id: str, seq: int) -> FollowUpTask:
    """The journey's first call (unsaved), on the follow-up staff's shared list, written by
    its event `seq`."""
    now = datetime.now(UTC)
    return FollowUpTask(
        id=f"fu-1-{journey_id}",
        clinic_id=clinic_id,
        journey_id=journey_id,
        follow_up_id="fu-1",
        kind="FOLLOW_UP_CALL",
        label="24h",
        status="OPEN",
        due_at=now,
        assignee_role="FOLLOW_UP_STAFF",
        journey_seq=seq,
        updated_at=now,
    )


async def in_follow_up(journey_id: str, clinic_id: str) -> JourneyFacts:
    """The journey's facts in the follow-ups, kept on its row as its writer keeps them: a list
    read by anyone of the clinic (a supervisor's, in another test) reads a call's plan there."""
    facts = facts_of(Stage.FOLLOW_UP, journey_id, clinic_id)
    await Journey.filter(id=journey_id).update(stage=facts.stage.value, facts=facts_to_json(facts))
    return facts


async def falls_due(journey_id: str, clinic_id: str, seq: int = 1) -> FollowUpTask:
    """The journey's event `seq`, with the call it makes due."""
    call = call_of(journey_id, clinic_id, seq)
    async with in_transaction():
        facts = await in_follow_up(journey_id, clinic_id)
        await event_row(journey_id, seq, facts, datetime.now(UTC), "follow_up_due").save()
        await call.save()
    return call


async def handed_to_a_supervisor(call: FollowUpTask, seq: int) -> None:
    """As a third missed call hands it on: the journey's event `seq` moves it to the
    supervisors' list, in one transaction."""
    facts = facts_of(Stage.FOLLOW_UP, call.journey_id, call.clinic_id)
    async with in_transaction():
        await event_row(call.journey_id, seq, facts, datetime.now(UTC), "complete_follow_up").save()
        await FollowUpTask.filter(id=call.id).update(
            assignee_role="SUPERVISOR", attempts=3, escalated=True, journey_seq=seq
        )


async def closed_by_hand(call: FollowUpTask) -> None:
    """As `completeTask` closes it: the row and its log row, in one transaction."""
    async with in_transaction():
        await FollowUpTask.filter(id=call.id).update(status="DONE", updated_at=datetime.now(UTC))
        await TaskChangeLog.create(clinic_id=call.clinic_id, task_id=call.id, at=call.due_at)


async def said_until(pushes: Pushes, marker_id: str) -> list[tuple[str, str]]:
    """The (change, status) of each push up to the marker's, which is left out."""
    said = await pushed_until(pushes, marker_id)
    return [
        (update["change"], update["task"]["status"] if update["task"] else "-") for update in said
    ]


async def pushed_until(pushes: Pushes, marker_id: str) -> list[dict[str, Any]]:
    """Each push up to the marker's, which is left out."""
    said: list[dict[str, Any]] = []
    while True:
        update: dict[str, Any] = await pushes.next()
        task = update["task"]
        if task is not None and task["id"] == marker_id:
            return said
        said.append(update)
