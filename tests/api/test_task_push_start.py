"""`tasksChanged` hears of every move made once the subscription is served: the list it tells
LEFT of was read after the feed counted it served, so a call handed away in between was in
neither that list nor any push, and stayed on the subscriber's screen (found by a probe of the
live views; the move is made in that window through the list's read, not by timing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.roles import Role
from schema.aftercare import tasks as aftercare_tasks
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, reading
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
    listing: Callable[..., Awaitable[list[str]]] = aftercare_tasks._open_task_ids

    async def listed_after_any_move(*args: Any) -> list[str]:
        if feed.subscribers_ever() > served_before:
            await hand_away()
        return await listing(*args)

    monkeypatch.setattr(aftercare_tasks, "_open_task_ids", listed_after_any_move)
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
