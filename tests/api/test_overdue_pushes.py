"""`tasksChanged` pushes a task as it turns overdue with time (its due time or window passes and
nothing happens), once, as `myTasks(overdue:)` lists it at that moment: an SPA's "overdue"
badges need no polling. Found by a review: nothing was pushed then, the task stayed "on time" on
every live list until something else changed it. The server's clock is moved by hand, and each
subscriber waits on it for one moment at a time: its earliest task's."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from schema.feed import JourneyFeed
from tests.api.aftercare_documents import SET_POLICY
from tests.api.audit_support import clinic_of
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver, new_key
from tests.api.hand_clock import HandClock
from tests.api.harness import TEST_CLINIC_ZONE, eventually, running_api
from tests.api.live import WAIT, HandFed, Pushes, reading
from tests.api.overdue_push_support import (
    TASK_NOW,
    Clocked,
    done_by_hand,
    moved,
    next_task,
    task,
    written,
)
from tests.store.money_rows import journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
async def clocked(
    fresh_clinic: FreshClinic,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> AsyncIterator[Clocked]:
    driver = await fresh_clinic()
    clinic_id = await clinic_of(driver)
    clock = HandClock(datetime.now(UTC).replace(microsecond=0))
    feed = JourneyFeed(interval_seconds=3600)
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed, clock=clock) as api:
        yield Clocked(driver, HandFed(feed, api, clinic_id), clock)


async def _alarm_at(clocked: Clocked, *moments: datetime) -> None:
    await eventually(
        clocked.clock.alarms, lambda alarms: alarms == list(moments), timeout=WAIT, what="alarm"
    )


async def test_a_call_that_turns_overdue_is_pushed_once_as_my_tasks_lists_it(
    clocked: Clocked,
) -> None:
    live, clock = clocked.live, clocked.clock
    start = clock.now()
    # Given a call on the follow-up staff's list due two hours ago (overdue after a day)
    first = await journey(live.clinic_id, start)
    plain = task(first, live.clinic_id, "FOLLOW_UP_CALL", start - 2 * HOUR, Role.FOLLOW_UP_STAFF)
    await plain.save()
    watch = live.api.subscription(TASK_NOW, clocked.driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await live.watching()
        # and, once they watch, a first day's call falling due in an hour (overdue as it is due)
        second = await journey(live.clinic_id, start)
        window = task(second, live.clinic_id, "FOLLOW_UP_CALL", start + HOUR, Role.FOLLOW_UP_STAFF,
                      "24h")  # fmt: skip
        await written(live, start, 1, window)
        assert await next_task(pushes) == ("CHANGED", window.id, "OPEN", False)
        # (the one subscriber waits for one moment: the earlier of the two)
        await _alarm_at(clocked, start + HOUR)
        # When the hour passes
        clock.move_to(start + HOUR)
        # Then the first day's call is pushed overdue, as `myTasks` lists it then
        assert await next_task(pushes) == ("CHANGED", window.id, "OPEN", True)
        assert await clocked.listed(Role.FOLLOW_UP_STAFF, overdue=True) == {window.id: True}
        assert await clocked.listed(Role.FOLLOW_UP_STAFF, overdue=False) == {plain.id: False}
        # When the other's day of allowance has passed too
        await _alarm_at(clocked, start + 22 * HOUR)
        clock.move_to(start + 22 * HOUR)
        # Then it is pushed overdue in its turn
        assert await next_task(pushes) == ("CHANGED", plain.id, "OPEN", True)
        late = {window.id: True, plain.id: True}
        assert await clocked.listed(Role.FOLLOW_UP_STAFF, overdue=True) == late
        # And neither again, however much later: the next push is a new call's
        await _alarm_at(clocked)
        clock.move_to(start + 3 * DAY)
        third = await journey(live.clinic_id, start)
        news = task(third, live.clinic_id, "FOLLOW_UP_CALL", start + 4 * DAY, Role.FOLLOW_UP_STAFF)
        await written(live, start + 3 * DAY, 1, news)
        assert await next_task(pushes) == ("CHANGED", news.id, "OPEN", False)
        await _alarm_at(clocked, start + 5 * DAY)
    # And the subscription's end ends its alarm
    await _alarm_at(clocked)


async def test_the_alarm_follows_the_list_as_its_tasks_are_done_and_moved(
    clocked: Clocked,
) -> None:
    live, clock = clocked.live, clocked.clock
    start = clock.now()
    watch = live.api.subscription(TASK_NOW, clocked.driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await live.watching()
        # Given two calls falling due, now and in two hours, each overdue a day later
        journey_id = await journey(live.clinic_id, start)
        due_now = task(journey_id, live.clinic_id, "FOLLOW_UP_CALL", start, Role.FOLLOW_UP_STAFF)
        later = task(journey_id, live.clinic_id, "FOLLOW_UP_CALL", start + 2 * HOUR,
                     Role.FOLLOW_UP_STAFF, number=2)  # fmt: skip
        await written(live, start, 1, due_now, later)
        assert {(await next_task(pushes))[1], (await next_task(pushes))[1]} == {
            due_now.id,
            later.id,
        }
        await _alarm_at(clocked, start + DAY)
        # When the first is made, and the second missed and moved three hours on
        await done_by_hand(live, start + HOUR, due_now)
        assert await next_task(pushes) == ("CHANGED", due_now.id, "DONE", False)
        await _alarm_at(clocked, start + 2 * HOUR + DAY)
        await moved(live, start + HOUR, 2, later, start + 5 * HOUR)
        assert await next_task(pushes) == ("CHANGED", later.id, "OPEN", False)
        await _alarm_at(clocked, start + 5 * HOUR + DAY)
        # Then past the moments they were due to turn overdue at, neither is pushed; the second
        # is at its new one
        clock.move_to(start + 5 * HOUR + DAY)
        assert await next_task(pushes) == ("CHANGED", later.id, "OPEN", True)
    await _alarm_at(clocked)


def _round_day(start: datetime) -> tuple[str, datetime, datetime]:
    """The ward round of the clinic's current day: its label, its due time (the day's midnight)
    and the midnight that ends the day."""
    day = start.astimezone(TEST_CLINIC_ZONE).date()
    midnight = datetime.combine(day, time(0), tzinfo=TEST_CLINIC_ZONE)
    ends = datetime.combine(day + DAY, time(0), tzinfo=TEST_CLINIC_ZONE)
    return day.isoformat(), midnight.astimezone(UTC), ends.astimezone(UTC)


# Each kind of task, for whom, labelled how, due when, and overdue after how long (None: the
# round's rule, at the end of its day).
KINDS = [
    ("WARD_READING", Role.NURSE, "2h", timedelta(minutes=30)),
    ("WARD_ROUND", Role.EXPERT, None, None),
    ("FOLLOW_UP_CALL", Role.FOLLOW_UP_STAFF, "6h", 18 * HOUR),
    ("COMPLICATION", Role.EXPERT, None, DAY),
    ("LOW_SURVEY_SCORE", Role.SUPERVISOR, None, DAY),
    ("PHOTO", Role.NURSE, "1m", DAY),
    ("INVITATION", Role.CONSULTANT, None, DAY),
    ("RECHECK", Role.FOLLOW_UP_STAFF, None, DAY),
]


@pytest.mark.parametrize(("kind", "role", "label", "grace"), KINDS, ids=[k[0] for k in KINDS])
async def test_each_kind_of_task_is_pushed_as_it_turns_overdue_by_its_own_rule(
    clocked: Clocked, kind: str, role: Role, label: str | None, grace: timedelta | None
) -> None:
    live, clock = clocked.live, clocked.clock
    start = clock.now()
    # Given a task of the kind due now, on the list of whoever it is for
    due = start
    if grace is None:
        label, due, late = _round_day(start)
    else:
        late = due + grace
    journey_id = await journey(live.clinic_id, start)
    own = clocked.driver.staff[role].account_id if role is Role.EXPERT else None
    open_task = task(journey_id, live.clinic_id, kind, due, role, label, assignee_id=own)
    await open_task.save()
    watch = live.api.subscription(TASK_NOW, clocked.driver.token(role))
    async with reading(watch, "tasksChanged") as pushes:
        await live.watching()
        # When its time to be done by passes
        await _alarm_at(clocked, late)
        clock.move_to(late)
        # Then it is pushed overdue, as `myTasks` lists it then
        assert await next_task(pushes) == ("CHANGED", open_task.id, "OPEN", True)
        assert await clocked.listed(role, overdue=True) == {open_task.id: True}


async def _allow_hours(clocked: Clocked, hours: int) -> None:
    """The clinic's supervisor sets the hours a follow-up call may run late before it is overdue."""
    policy = {
        "followUpAssignee": "FOLLOW_UP_STAFF",
        "overdueAfterHours": hours,
        "warrantyDays": 365,
        "idempotencyKey": new_key(),
    }
    supervisor = clocked.driver.token(Role.SUPERVISOR)
    answer = await clocked.live.api.run(SET_POLICY, supervisor, input=policy)
    assert answer["setAftercarePolicy"]["__typename"] == "AftercarePolicyPayload", answer


@contextlib.asynccontextmanager
async def _a_call_due_now_watched(
    clocked: Clocked, start: datetime
) -> AsyncIterator[tuple[FollowUpTask, Pushes]]:
    """A follow-up call due at `start`, and the follow-up staff's `tasksChanged` reading it, its
    alarm set for the clinic's day after: (the call's row, the pushes)."""
    live = clocked.live
    journey_id = await journey(live.clinic_id, start)
    call = task(journey_id, live.clinic_id, "FOLLOW_UP_CALL", start, Role.FOLLOW_UP_STAFF)
    await call.save()
    watch = live.api.subscription(TASK_NOW, clocked.driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await live.watching()
        await _alarm_at(clocked, start + DAY)
        yield call, pushes


async def test_a_shorter_allowance_is_taken_up_at_the_next_change_of_the_list(
    clocked: Clocked,
) -> None:
    live, clock = clocked.live, clocked.clock
    start = clock.now()
    # Given a call due now on the follow-up staff's list, overdue after the clinic's day
    async with _a_call_due_now_watched(clocked, start) as (call, pushes):
        # When the clinic allows two hours, and then another call falls due in a day
        await _allow_hours(clocked, 2)
        other = await journey(live.clinic_id, start)
        news = task(other, live.clinic_id, "FOLLOW_UP_CALL", start + DAY, Role.FOLLOW_UP_STAFF)
        await written(live, start, 1, news)
        assert await next_task(pushes) == ("CHANGED", news.id, "OPEN", False)
        # Then the first is due to turn overdue two hours after its due time, and is pushed so
        await _alarm_at(clocked, start + 2 * HOUR)
        clock.move_to(start + 2 * HOUR)
        assert await next_task(pushes) == ("CHANGED", call.id, "OPEN", True)
        assert await clocked.listed(Role.FOLLOW_UP_STAFF, overdue=True) == {call.id: True}


async def test_a_longer_allowance_keeps_a_call_off_the_late_pushes_until_its_new_moment(
    clocked: Clocked,
) -> None:
    # Found by a review: the alarm rang at the moment read under the clinic's old allowance, took
    # the call off its watch, and only then read the new one: the call, not late under it, was
    # pushed CHANGED on time though nothing had changed.
    clock = clocked.clock
    start = clock.now()
    # Given a call due now on the follow-up staff's list, overdue after the clinic's day
    async with _a_call_due_now_watched(clocked, start) as (call, pushes):
        # When the clinic allows two days, and the first day passes
        await _allow_hours(clocked, 48)
        clock.move_to(start + DAY)
        # Then the alarm waits for the new moment, nothing pushed at the old one
        await _alarm_at(clocked, start + 2 * DAY)
        assert await clocked.listed(Role.FOLLOW_UP_STAFF, overdue=False) == {call.id: False}
        # And the call's first push is as it turns overdue at the new moment
        clock.move_to(start + 2 * DAY)
        assert await next_task(pushes) == ("CHANGED", call.id, "OPEN", True)
        assert await clocked.listed(Role.FOLLOW_UP_STAFF, overdue=True) == {call.id: True}
