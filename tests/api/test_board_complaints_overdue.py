"""`supervisorBoard(complaintCounts: true)` pushes COMPLAINTS as a complaint turns overdue with time
alone (its first answer's due time passes unanswered, no write marking it), once, with
`overdueComplaints` as `journeyStats` reads it then; a board back with its cursor hears such a
moment it missed, once. The server's clock is moved by hand, and each board waits on it for one
moment at a time: the earliest due time of the complaints still unanswered."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.feed import JourneyFeed
from tests.api.audit_support import clinic_of
from tests.api.board_complaint_support import (
    BOARD,
    gone,
    heard,
    left_after_a_complaint,
    said,
    said_until_marker,
    until_marker,
)
from tests.api.complaint_support import answered, complaint, taken
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver
from tests.api.hand_clock import HandClock
from tests.api.harness import eventually, running_api
from tests.api.live import WAIT, HandFed, Pushes, reading
from tests.api.overdue_push_support import Clocked

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
STATS = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) { ... on JourneyStats { openComplaints overdueComplaints } }
}"""


@pytest.fixture
async def clocked(
    fresh_clinic: FreshClinic,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> AsyncIterator[Clocked]:
    """A clinic of its own and an API of it whose clock and feed move when the test says; its
    staff call that API."""
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    clock = HandClock(datetime.now(UTC).replace(microsecond=0))
    feed = JourneyFeed(interval_seconds=3600)
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed, clock=clock) as api:
        yield Clocked(JourneyDriver(api, clinic.staff), HandFed(feed, api, clinic_id), clock)


async def _alarm_at(clocked: Clocked, *moments: datetime) -> None:
    await eventually(
        clocked.clock.alarms, lambda alarms: alarms == list(moments), timeout=WAIT, what="alarm"
    )


async def _stats(clocked: Clocked) -> str:
    driver, clinic_id = clocked.driver, clocked.live.clinic_id
    data = await driver.api.run(STATS, driver.token(Role.SUPERVISOR), clinicId=clinic_id)
    stats = data["journeyStats"]
    return f"COMPLAINTS {stats['openComplaints']}/{stats['overdueComplaints']}"


def _due(taken_down: dict[str, str]) -> datetime:
    return datetime.fromisoformat(taken_down["firstAnswerDueAt"])


async def test_a_complaint_that_turns_overdue_is_pushed_once_as_journey_stats_counts_it(
    clocked: Clocked,
) -> None:
    driver, live, clock = clocked.driver, clocked.live, clocked.clock
    client_id = await driver.register_client()
    watch = live.api.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=live.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await live.watching()
        # Given a complaint taken down now, and one answered at once
        first = await taken(driver, Role.NURSE, **complaint(client_id))
        assert await heard(live, updates) == "COMPLAINTS 1/0"
        second = await taken(driver, Role.FRONT_DESK, **complaint(client_id))
        assert await heard(live, updates) == "COMPLAINTS 2/0"
        await answered(driver, "respondToComplaint", second["id"])
        assert await heard(live, updates) == "COMPLAINTS 2/0"
        # (the board waits for one moment: the unanswered one's due time)
        await _alarm_at(clocked, _due(first))
        # When its due time passes unanswered
        clock.move_to(_due(first))
        # Then the board says so, as journeyStats counts it then
        turned = said(await updates.next())
        assert turned == "COMPLAINTS 2/1"
        assert await _stats(clocked) == turned
        # And never again, however much later: it waits for nothing, and says nothing more
        await _alarm_at(clocked)
        clock.move_to(_due(first) + timedelta(days=5))
        assert await said_until_marker(live, updates) == []
    # And the subscription's end ends its alarm
    await _alarm_at(clocked)


async def test_a_board_away_as_a_complaint_turned_overdue_hears_it_once_when_back(
    clocked: Clocked,
) -> None:
    driver, live, clock = clocked.driver, clocked.live, clocked.clock
    # Given a board that said a complaint was taken down, then lost its connection
    left = await left_after_a_complaint(driver, live, Role.NURSE)
    token, first, left_at = left.token, left.complaint, left.last
    await _alarm_at(clocked)
    # When the complaint's due time passes while it is away, and it comes back with its cursor
    clock.move_to(_due(first) + timedelta(hours=1))
    back = live.api.subscription(BOARD, token, clinicId=live.clinic_id, after=left_at["cursor"])
    async with reading(back, "supervisorBoard") as updates:
        await gone(live, listeners=1)
        back_told, marker = await _told_and_last(live, updates)
    await gone(live)
    # and comes back again with the last cursor it had
    again = live.api.subscription(BOARD, token, clinicId=live.clinic_id, after=marker)
    async with reading(again, "supervisorBoard") as updates:
        await gone(live, listeners=1)
        again_told = await said_until_marker(live, updates)
    # Then it heard the complaint turn overdue once, and not again
    assert said(left_at) == "COMPLAINTS 1/0"
    assert back_told == ["COMPLAINTS 1/1"]
    assert again_told == []


async def _told_and_last(live: HandFed, updates: Pushes) -> tuple[list[str], str]:
    """What the board said up to a marker, and the marker's cursor."""
    told, marker = await until_marker(live, updates)
    return [said(update) for update in told], marker["cursor"]
