"""For the tests of `tasksChanged` pushing a task as it turns overdue: a server of a clinic of
its own whose clock and change feed the test moves by hand, and tasks written to its read
model as a journey's writer (or `completeTask`) writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, TaskChangeLog
from tests.api.alert_support import event_row, facts_of
from tests.api.flow import JourneyDriver
from tests.api.hand_clock import HandClock
from tests.api.live import HandFed, Pushes

TASK_NOW = "subscription { tasksChanged { change task { id kind status label dueAt overdue } } }"
OVERDUE_LIST = """
query Overdue($overdue: Boolean) {
  myTasks(overdue: $overdue, first: 100) {
    __typename
    ... on FollowUpTaskConnection { edges { node { id overdue } } }
  }
}
"""


@dataclass(frozen=True)
class Clocked:
    """A clinic of its own, and an API of it whose clock and feed move when the test says."""

    driver: JourneyDriver
    live: HandFed
    clock: HandClock

    async def listed(self, role: Role, overdue: bool) -> dict[str, bool]:
        """`myTasks(overdue:)` of the role now: each task's id and its `overdue`."""
        token = self.driver.token(role)
        data = await self.live.api.run(OVERDUE_LIST, token, overdue=overdue)
        page = data["myTasks"]
        assert page["__typename"] == "FollowUpTaskConnection", page
        return {edge["node"]["id"]: edge["node"]["overdue"] for edge in page["edges"]}


def task(
    journey_id: str,
    clinic_id: str,
    kind: str,
    due_at: datetime,
    role: Role,
    label: str | None = None,
    *,
    number: int = 1,
    assignee_id: str | None = None,
) -> FollowUpTask:
    """An open task of the journey (unsaved), for the role (or the one it names)."""
    return FollowUpTask(
        id=f"{kind.lower()}-{number}-{journey_id}",
        clinic_id=clinic_id,
        journey_id=journey_id,
        follow_up_id=f"fu-{number}" if kind == "FOLLOW_UP_CALL" else None,
        kind=kind,
        label=label,
        status="OPEN",
        due_at=due_at,
        assignee_role=role.value,
        assignee_id=assignee_id,
        updated_at=due_at,
    )


async def written(live: HandFed, at: datetime, seq: int, *tasks: FollowUpTask) -> None:
    """The journey's event `seq` (the first task's journey) writes the tasks, and the feed
    reads it."""
    journey_id = tasks[0].journey_id
    facts = facts_of(Stage.FOLLOW_UP, journey_id, live.clinic_id)
    async with in_transaction():
        await event_row(journey_id, seq, facts, at, "follow_up_due").save()
        for each in tasks:
            each.journey_seq = seq
            await each.save()
    await live.feed.poll_once()


async def moved(live: HandFed, at: datetime, seq: int, call: FollowUpTask, due: datetime) -> None:
    """The journey's event `seq` moves the task to `due` (as a missed call's back-off does)."""
    facts = facts_of(Stage.FOLLOW_UP, call.journey_id, live.clinic_id)
    async with in_transaction():
        await event_row(call.journey_id, seq, facts, at, "complete_follow_up").save()
        await FollowUpTask.filter(id=call.id).update(due_at=due, journey_seq=seq, updated_at=at)
    await live.feed.poll_once()


async def done_by_hand(live: HandFed, at: datetime, done: FollowUpTask) -> None:
    """As `completeTask` closes it: the row and its log row, and the feed reads it."""
    async with in_transaction():
        await FollowUpTask.filter(id=done.id).update(status="DONE", updated_at=at)
        await TaskChangeLog.create(clinic_id=done.clinic_id, task_id=done.id, at=at)
    await live.feed.poll_once()


async def next_task(pushes: Pushes) -> tuple[str, str, str, bool]:
    """The next push: its change, and its task's id, status and `overdue`."""
    update: dict[str, Any] = await pushes.next()
    pushed = update["task"]
    return update["change"], pushed["id"], pushed["status"], pushed["overdue"]
