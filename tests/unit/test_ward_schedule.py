"""The ward's schedule after an operation: when each task is due, what settles it, when it is
late (`domain.aftercare.ward`, `domain.aftercare.tasks.Lateness`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.aftercare import ward
from domain.aftercare.tasks import Lateness, TaskKind

WARSAW = ZoneInfo("Europe/Warsaw")
ENDED = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 23:30 in Warsaw, the night clocks go on


def test_the_readings_are_hourly_through_the_first_six_hours() -> None:
    due = ward.readings_due(ENDED)
    assert [(d.label, d.due_at - ENDED) for d in due] == [
        (f"{hour}h", timedelta(hours=hour)) for hour in range(1, 7)
    ]
    assert len({d.code for d in due}) == 6


def test_an_observation_answers_the_reading_within_half_an_hour_of_it() -> None:
    hour = ENDED + timedelta(hours=2)
    after, upto = ward.answered_between(hour - timedelta(minutes=30))
    assert after < hour <= upto
    after, upto = ward.answered_between(hour + timedelta(minutes=30))
    assert not after < hour <= upto  # its half hour is over: the next hour's reading


def test_the_round_is_due_the_next_clinic_day_and_late_when_it_ends_across_a_clock_change() -> None:
    due = ward.round_due(ENDED, WARSAW)
    assert due.label == "2026-03-29"
    assert due.due_at == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # midnight, UTC+1
    lateness = Lateness(timedelta(hours=24), WARSAW)
    late = lateness.late_at(TaskKind.WARD_ROUND, due.due_at)
    assert late == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # the next midnight, UTC+2: 23 hours
    just_before = late - timedelta(seconds=1)
    assert not lateness.is_overdue(TaskKind.WARD_ROUND, due.due_at, just_before)
    assert lateness.is_overdue(TaskKind.WARD_ROUND, due.due_at, late)
    bound, strict = lateness.bounds(late)[TaskKind.WARD_ROUND]
    assert strict and due.due_at < bound
    bound, strict = lateness.bounds(just_before)[TaskKind.WARD_ROUND]
    assert not due.due_at < bound


def test_a_reading_is_late_half_an_hour_after_its_hour_a_call_by_the_clinic_s_allowance() -> None:
    lateness = Lateness(timedelta(hours=24), WARSAW)
    hour = ENDED + timedelta(hours=1)
    assert lateness.late_at(TaskKind.WARD_READING, hour) == hour + timedelta(minutes=30)
    assert lateness.late_at(TaskKind.FOLLOW_UP_CALL, hour) == hour + timedelta(hours=24)
