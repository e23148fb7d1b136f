"""`tasksChanged` says each state of a task once: a task its journey's event wrote and then
closed by hand (`completeTask`) before the subscriber read the event was pushed DONE twice, once
for the event and once for the closing (found by a probe of the live views: the event's push
reads the task as it is now, and the closing's log row reads it again)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, Pushes, reading
from tests.api.task_watch import TASK_STATES, closed_by_hand, falls_due, said_until
from tests.store.money_rows import journey


@dataclass(frozen=True)
class _Watched:
    """Follow-up staff watching their list, two journeys of the clinic made before they
    looked: one whose call the test makes due, and one whose call marks the end of the pushes."""

    pushes: Pushes
    hand_fed: HandFed
    journey_id: str
    marker_journey: str

    async def said(self) -> list[tuple[str, str]]:
        """All that was said of the first call: another call falls due and is read, and what
        was pushed before its own push is answered."""
        marker = await falls_due(self.marker_journey, self.hand_fed.clinic_id)
        await self.hand_fed.feed.poll_once()
        return await said_until(self.pushes, marker.id)


@contextlib.asynccontextmanager
async def _staff_watching(driver: JourneyDriver, hand_fed: HandFed) -> AsyncIterator[_Watched]:
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id, marker_journey = await journey(clinic_id, now), await journey(clinic_id, now)
    watch = hand_fed.api.subscription(TASK_STATES, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        yield _Watched(pushes, hand_fed, journey_id, marker_journey)


async def test_a_call_closed_before_its_event_was_read_is_pushed_done_once(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given follow-up staff watching their list
    async with _staff_watching(driver, hand_fed) as watched:
        # When a call falls due and a colleague closes it before the feed reads either
        call = await falls_due(watched.journey_id, hand_fed.clinic_id)
        await closed_by_hand(call)
        await hand_fed.feed.poll_once()
        # (and then another call falls due, to know all that was said of the first)
        said = await watched.said()
    # Then the call is said once, as it is: done
    assert said == [("CHANGED", "DONE")]


async def test_a_call_closed_after_its_event_was_read_is_pushed_open_then_done(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given follow-up staff watching their list
    async with _staff_watching(driver, hand_fed) as watched:
        # When a call falls due and is read, then closed and read again
        call = await falls_due(watched.journey_id, hand_fed.clinic_id)
        await hand_fed.feed.poll_once()
        assert (await watched.pushes.next())["task"]["status"] == "OPEN"
        await closed_by_hand(call)
        await hand_fed.feed.poll_once()
        said = await watched.said()
    # Then its closing is said once
    assert said == [("CHANGED", "DONE")]
