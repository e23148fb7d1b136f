"""`tasksChanged(announceStart: true)` says when `myTasks` may be read: its first push, STARTED
with no task, goes out once the list it starts from is read, and every later move of the list is
pushed. graphql-transport-ws acknowledges no subscription, so a client told to subscribe and then
read `myTasks` could read it before the server read that list: a task moved in between was in
neither the answer nor any push. Each move is made in its window through the list's read, or
once the client has STARTED, not by timing; without the argument nothing changes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.roles import Role
from schema.aftercare import tasks as aftercare_tasks
from schema.aftercare.types import TaskChange
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.live import WAIT, HandFed, reading
from tests.api.task_watch import falls_due, handed_to_a_supervisor, pushed_until, said_until
from tests.store.money_rows import journey

TASK_FIELDS = "change task { id status journeyId assigneeRole }"
ANNOUNCED = f"subscription {{ tasksChanged(announceStart: true) {{ {TASK_FIELDS} }} }}"
UNANNOUNCED = {
    "without the argument": f"subscription {{ tasksChanged {{ {TASK_FIELDS} }} }}",
    "with it false": f"subscription {{ tasksChanged(announceStart: false) {{ {TASK_FIELDS} }} }}",
}
STARTED = {"change": "STARTED", "task": None}
OPEN_TASKS = """
query { myTasks(first: 100) { ... on FollowUpTaskConnection { edges { node { id } } } } }
"""
# Where the move falls while the subscription starts and the client reads its list.
AS_THE_LIST_IS_READ = "as the list it starts from is read"
ONCE_THE_LIST_IS_READ = "once that list is read, before STARTED goes out"
ONCE_STARTED_IS_HEARD = "once the client has STARTED, before it reads myTasks"


async def _clinic_of(driver: JourneyDriver) -> str:
    me = await driver.api.run(
        "query { me { ... on StaffMember { clinicId } } }", driver.token(Role.NURSE)
    )
    return str(me["me"]["clinicId"])


async def _open_ids(api: Api, token: str) -> set[str]:
    data = await api.run(OPEN_TASKS, token)
    return {edge["node"]["id"] for edge in data["myTasks"]["edges"]}


async def test_a_move_made_once_the_start_is_announced_is_pushed(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a call on the follow-up staff's shared list
    now, clinic_id = datetime.now(UTC), await _clinic_of(driver)
    call = await falls_due(await journey(clinic_id, now), clinic_id)
    marker_journey = await journey(clinic_id, now)
    # When one of them subscribes asking to hear when it started, and the call is handed to a
    # supervisor as soon as they hear it
    watch = api.subscription(ANNOUNCED, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        first = await pushes.next()
        await handed_to_a_supervisor(call, seq=2)
        # (and then another call falls due, to know all that was said)
        marker = await falls_due(marker_journey, clinic_id)
        said = await said_until(pushes, marker.id)
    # Then the first push is STARTED, with no task, and the move is pushed after it
    assert first == STARTED
    assert said == [("LEFT", "OPEN")]


@pytest.mark.parametrize("document", UNANNOUNCED.values(), ids=UNANNOUNCED.keys())
async def test_a_subscription_not_asking_for_the_start_hears_changes_only(
    document: str, driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a call on the follow-up staff's shared list
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    call = await falls_due(await journey(clinic_id, now), clinic_id)
    marker_journey = await journey(clinic_id, now)
    # When one of them subscribes as before, and the call is handed to a supervisor once the
    # feed serves the subscription
    watch = hand_fed.api.subscription(document, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        await handed_to_a_supervisor(call, seq=2)
        await hand_fed.feed.poll_once()
        marker = await falls_due(marker_journey, clinic_id)
        await hand_fed.feed.poll_once()
        said = await said_until(pushes, marker.id)
    # Then the first thing they hear is the move: no STARTED
    assert said == [("LEFT", "OPEN")]


@pytest.mark.parametrize(
    "window", [AS_THE_LIST_IS_READ, ONCE_THE_LIST_IS_READ, ONCE_STARTED_IS_HEARD]
)
async def test_a_list_read_once_the_start_is_announced_misses_no_move(
    window: str,
    fed_by_hand: tuple[JourneyDriver, HandFed],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a call on the follow-up staff's shared list, and a journey whose call is not due
    driver, fed = fed_by_hand
    now, clinic_id, token = datetime.now(UTC), fed.clinic_id, driver.token(Role.FOLLOW_UP_STAFF)
    handed = await falls_due(await journey(clinic_id, now), clinic_id)
    given_journey, marker_journey = await journey(clinic_id, now), await journey(clinic_id, now)
    moved = asyncio.Event()

    async def move() -> None:
        """The call is handed to a supervisor, and the other journey's call falls due."""
        if not moved.is_set():
            moved.set()
            await handed_to_a_supervisor(handed, seq=2)
            await falls_due(given_journey, clinic_id)

    listing: Callable[..., Awaitable[list[Any]]] = aftercare_tasks._open_tasks
    update = aftercare_tasks.TaskUpdate
    said: list[TaskChange] = []
    client_read = asyncio.Event()

    def noted(**fields: Any) -> Any:
        said.append(fields["change"])
        return update(**fields)

    async def listed_with_the_move(*args: Any) -> list[Any]:
        # (should STARTED go out before the list is read, it is read once the client has read
        # `myTasks`)
        if TaskChange.STARTED in said:
            await asyncio.wait_for(client_read.wait(), timeout=WAIT)
        if window == AS_THE_LIST_IS_READ:
            await move()
        listed = await listing(*args)
        if window == ONCE_THE_LIST_IS_READ:
            await move()
        return listed

    monkeypatch.setattr(aftercare_tasks, "_open_tasks", listed_with_the_move)
    monkeypatch.setattr(aftercare_tasks, "TaskUpdate", noted)
    # When one of them subscribes asking to hear when it started, both move in the window, and
    # the client reads `myTasks` as soon as it hears STARTED
    async with reading(fed.api.subscription(ANNOUNCED, token), "tasksChanged") as pushes:
        assert await pushes.next() == STARTED
        if window == ONCE_STARTED_IS_HEARD:
            await move()
        shown = await _open_ids(fed.api, token)
        client_read.set()
        await asyncio.wait_for(moved.wait(), timeout=WAIT)
        await fed.feed.poll_once()
        # (and then a third call falls due, to know all that was said)
        marker = await falls_due(marker_journey, clinic_id)
        await fed.feed.poll_once()
        # and merges each push into what it read, by id
        for update in await pushed_until(pushes, marker.id):
            task = update["task"]
            if update["change"] == "CHANGED" and task["status"] == "OPEN":
                shown.add(task["id"])
            else:
                shown.discard(task["id"])
    # Then its screen shows the call that fell due and not the one handed away, as the list is
    given = f"fu-1-{given_journey}"
    assert await _open_ids(fed.api, token) == {given, marker.id}
    assert shown == {given}
