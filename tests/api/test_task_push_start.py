"""`tasksChanged` hears of every move made once the subscription is served, and once it said
RESYNC: the list it tells LEFT of was read after the feed counted it served, and after the
RESYNC had gone out, so a call handed away in between was in neither that list nor any push,
and stayed on the subscriber's screen, read again after the RESYNC (found by a probe of the live
views; each move is made in its window through the list's read, not by timing)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.roles import Role
from domain.store.aftercare import TaskChangeLog
from schema.aftercare import tasks as aftercare_tasks
from schema.aftercare.types import TaskChange
from schema.feed import QUEUE_LIMIT
from tests.api.flow import JourneyDriver
from tests.api.live import WAIT, HandFed, reading
from tests.api.task_watch import TASK_STATES, falls_due, handed_to_a_supervisor, said_until
from tests.store.money_rows import journey


async def test_a_call_handed_away_as_the_subscription_starts_is_said_to_leave(
    driver: JourneyDriver, hand_fed: HandFed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a call on the follow-up staff's shared list
    now, clinic_id, feed = datetime.now(UTC), hand_fed.clinic_id, hand_fed.feed
    call = await falls_due(await journey(clinic_id, now), clinic_id)
    marker_journey = await journey(clinic_id, now)
    # (the move is made as soon as the feed serves the subscriber: inside its reading of the
    # list, should that come after)
    moved: list[str] = []

    async def hand_away() -> None:
        if not moved:
            moved.append(call.id)
            await handed_to_a_supervisor(call, seq=2)

    served_before = feed.subscribers_ever()
    listing: Callable[..., Awaitable[list[Any]]] = aftercare_tasks._open_tasks

    async def listed_after_any_move(*args: Any) -> list[Any]:
        if feed.subscribers_ever() > served_before:
            await hand_away()
        return await listing(*args)

    monkeypatch.setattr(aftercare_tasks, "_open_tasks", listed_after_any_move)
    # When one of the staff subscribes, and the call is handed to a supervisor once the feed
    # serves the subscription
    watch = hand_fed.api.subscription(TASK_STATES, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        await hand_away()
        await hand_fed.feed.poll_once()
        # (and then another call falls due, to know all that was said)
        marker = await falls_due(marker_journey, clinic_id)
        await hand_fed.feed.poll_once()
        said = await said_until(pushes, marker.id)
    # Then they hear that it left their list
    assert said == [("LEFT", "OPEN")]


async def test_a_call_handed_away_once_resync_was_said_is_said_to_leave(
    driver: JourneyDriver, hand_fed: HandFed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a call on the follow-up staff's shared list, and one of them watching it
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    call = await falls_due(await journey(clinic_id, now), clinic_id)
    marker_journey = await journey(clinic_id, now)
    # (the move is made once the client has the RESYNC: inside the list's reading again,
    # should that come after the RESYNC was said, else after it)
    said: list[TaskChange] = []
    listings: list[str] = []
    client_has_resync, moved = asyncio.Event(), asyncio.Event()

    async def hand_away() -> None:
        await handed_to_a_supervisor(call, seq=2)
        moved.set()

    listing: Callable[..., Awaitable[list[Any]]] = aftercare_tasks._open_tasks
    update = aftercare_tasks.TaskUpdate

    async def listed_after_any_move(*args: Any) -> list[Any]:
        listings.append("after RESYNC" if TaskChange.RESYNC in said else "before")
        if listings[1:] == ["after RESYNC"]:
            await asyncio.wait_for(client_has_resync.wait(), timeout=WAIT)
            await hand_away()
        return await listing(*args)

    def noted(**fields: Any) -> Any:
        said.append(fields["change"])
        return update(**fields)

    monkeypatch.setattr(aftercare_tasks, "_open_tasks", listed_after_any_move)
    monkeypatch.setattr(aftercare_tasks, "TaskUpdate", noted)
    watch = hand_fed.api.subscription(TASK_STATES, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        # When more task changes come at once than its mailbox holds (a burst elsewhere)
        touched = [
            TaskChangeLog(clinic_id=clinic_id, task_id=f"elsewhere-{n}", at=now)
            for n in range(QUEUE_LIMIT + 1)
        ]
        await TaskChangeLog.bulk_create(touched)
        await hand_fed.feed.poll_once()
        # and the call is handed to a supervisor once the client has the RESYNC (and has read
        # its list again)
        assert (await pushes.next())["change"] == "RESYNC"
        client_has_resync.set()
        if listings[1:] == ["before"]:
            await hand_away()
        await asyncio.wait_for(moved.wait(), timeout=WAIT)
        await hand_fed.feed.poll_once()
        marker = await falls_due(marker_journey, clinic_id)
        await hand_fed.feed.poll_once()
        after_resync = await said_until(pushes, marker.id)
    # Then they hear that it left their list
    assert after_resync == [("LEFT", "OPEN")]
