"""A journey in the follow-up stage is stuck at the moment its due call is overdue on the task
lists (seed 002 §5.2: a call of the first day once 24 hours after the treatment are over, any
other a day past its due time); a run started before that change keeps a day past every call."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.aftercare.tasks import Lateness, TaskKind
from domain.journey.facts import FollowUp, JourneyFacts
from domain.journey.followups import DAY, HOUR, schedule_follow_ups
from domain.journey.sla import breached, next_breach
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage
from tests.support import facts_at

HANDED_OVER = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
A_DAY = timedelta(days=1)
TASK_LISTS = Lateness(A_DAY, ZoneInfo("Europe/Warsaw"))  # the clinic's default allowance


def _due(offsets: list[int], *, windows: bool = True, **changes: object) -> JourneyFacts:
    """A journey handed over at HANDED_OVER whose calls at `offsets` have all fallen due."""
    calls = [
        dataclasses.replace(f, status=FollowUpStatus.DUE, **changes)  # type: ignore[arg-type]
        for f in schedule_follow_ups(HANDED_OVER, offsets)
    ]
    facts = facts_at(Stage.FOLLOW_UP)
    return dataclasses.replace(facts, follow_ups=calls, follow_up_call_windows=windows)


def _overdue_on_the_lists(call: FollowUp) -> datetime:
    return TASK_LISTS.late_at(TaskKind.FOLLOW_UP_CALL, call.due_at, call.label)


def test_a_journey_is_stuck_as_its_24_hour_call_falls_due() -> None:
    facts = _due([1 * DAY, 7 * DAY])
    breach = next_breach(facts)
    assert breach is not None
    assert breach.deadline == HANDED_OVER + A_DAY == _overdue_on_the_lists(facts.follow_ups[0])
    assert breach.reason == "follow-up 24h not made within 24 hours of the treatment"
    assert breached(facts, HANDED_OVER + A_DAY - timedelta(seconds=1)) is None
    assert breached(facts, HANDED_OVER + A_DAY) == breach


def test_an_evening_call_makes_it_stuck_once_the_first_day_is_over() -> None:
    facts = _due([6 * HOUR])
    breach = next_breach(facts)
    assert breach is not None
    assert breach.deadline == HANDED_OVER + A_DAY == _overdue_on_the_lists(facts.follow_ups[0])
    assert breach.reason == "follow-up 6h not made within 24 hours of the treatment"


def test_the_earliest_deadline_of_the_due_calls_is_the_journey_s() -> None:
    # A 3-day call due longer than the first day's call, yet overdue after it
    facts = _due([1 * DAY, 3 * DAY])
    facts.follow_ups[0].due_at = HANDED_OVER + timedelta(days=3, hours=1)
    facts.follow_ups[1].due_at = HANDED_OVER + timedelta(days=3)
    breach = next_breach(facts)
    assert breach is not None
    assert breach.deadline == HANDED_OVER + timedelta(days=3, hours=1)
    assert breach.reason.startswith("follow-up 24h ")


def test_a_later_call_keeps_a_day_past_its_due_time() -> None:
    facts = _due([3 * DAY])
    breach = next_breach(facts)
    assert breach is not None
    assert breach.deadline == HANDED_OVER + timedelta(days=4)
    assert breach.deadline == _overdue_on_the_lists(facts.follow_ups[0])
    assert breach.reason == "follow-up 3d overdue by more than a day"


def test_a_run_started_before_the_windows_keeps_a_day_past_every_call() -> None:
    facts = _due([6 * HOUR, 1 * DAY], windows=False)
    breach = next_breach(facts)
    assert breach is not None
    assert breach.deadline == HANDED_OVER + timedelta(hours=6) + A_DAY
    assert breach.reason == "follow-up 6h overdue by more than a day"


def test_three_unanswered_calls_still_need_a_person_at_once() -> None:
    facts = _due([3 * DAY], outcome=FollowUpOutcome.NOT_REACHED, attempts=3)
    breach = next_breach(facts)
    assert breach is not None
    assert (breach.deadline, breach.reason) == (
        HANDED_OVER + timedelta(days=3),
        "follow-up 3d: three unanswered calls",
    )


def test_the_clinic_s_allowance_is_the_journey_s_as_it_is_the_task_lists() -> None:
    # Given a clinic that lets a call stay open 6 hours past its due time, kept by the journey
    six_hours = Lateness(6 * timedelta(hours=1), ZoneInfo("Europe/Warsaw"))
    for offsets, label, reason in [
        ([3 * DAY], "3d", "follow-up 3d overdue by more than 6 hour(s)"),  # no window
        ([6 * HOUR], "6h", "follow-up 6h overdue by more than 6 hour(s)"),  # before its window
        ([1 * DAY], "24h", "follow-up 24h not made within 24 hours of the treatment"),
    ]:
        facts = dataclasses.replace(_due(offsets), follow_up_allowance_seconds=6 * HOUR)
        (call,) = facts.follow_ups
        breach = next_breach(facts)
        assert breach is not None
        # Then the journey is stuck as the lists count the call overdue, the first-day call's
        # window closing first only when it does
        late = six_hours.late_at(TaskKind.FOLLOW_UP_CALL, call.due_at, call.label)
        assert (call.label, breach.deadline, breach.reason) == (label, late, reason)
