"""The next recheck booked at the handover: its checks, and its reading back from the record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.aftercare.recheck_booking import (
    booked_recheck,
    booking_as_corrected,
    correction_problem,
    recheck_problems,
    reminder_due,
)
from domain.errors import FieldProblemCode

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# Moments the API's DateTime reads whose UTC time lies beyond the calendar's last or first day.
PAST_THE_END = "9999-12-31T23:00:00-05:00"
BEFORE_THE_START = "0001-01-01T00:00:00+05:00"


def test_a_moment_beyond_the_calendar_in_utc_is_a_problem_of_its_field() -> None:
    too_far = recheck_problems(datetime.fromisoformat(PAST_THE_END), NOW)
    too_early = recheck_problems(datetime.fromisoformat(BEFORE_THE_START), NOW)
    assert [(p.field, p.message, p.code) for p in too_far] == [
        ("nextRecheckAt", "at most 400 days after the handover", FieldProblemCode.OUT_OF_RANGE)
    ]
    assert [(p.field, p.message, p.code) for p in too_early] == [
        ("nextRecheckAt", "after the handover: a time still ahead", FieldProblemCode.OUT_OF_RANGE)
    ]


def test_a_record_booking_a_moment_beyond_the_calendar_books_none() -> None:
    # A handover's record from the release that took any time: its write to the read model
    # reads it back, and must not fail on it (the write would be retried for ever)
    for kept in (PAST_THE_END, BEFORE_THE_START, "not a time"):
        assert booked_recheck({"next_recheck_at": kept}) is None
    assert booked_recheck({"next_recheck_at": "2027-01-04T09:00:00+01:00"}) == datetime(
        2027, 1, 4, 8, 0, tzinfo=UTC
    )


def test_the_reminder_falls_due_a_day_before_and_never_before_the_handover() -> None:
    booked = datetime(2026, 12, 19, 9, 0, tzinfo=UTC)
    assert reminder_due(booked, NOW) == datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
    tomorrow_morning = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    assert reminder_due(tomorrow_morning, NOW) == NOW


def test_the_last_correction_naming_a_readable_time_stands() -> None:
    record = {"next_recheck_at": "2026-12-19T09:00:00+00:00"}
    corrections = [
        {"next_recheck_at": "2026-12-22T09:00:00Z"},
        {"aftercare": "no sauna"},
        {"next_recheck_at": "not a time"},  # taken unchecked by a release before
        "not an object",
    ]
    assert booking_as_corrected(record, corrections) == datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
    assert booking_as_corrected({}, corrections[:1]) == datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
    assert booking_as_corrected(record, []) == datetime(2026, 12, 19, 9, 0, tzinfo=UTC)


def problem_of(
    correction: dict[str, Any], handed_over_at: datetime, now: datetime
) -> tuple[str, FieldProblemCode] | None:
    """The message and code of a correction's problem, which is always `correction`'s."""
    problem = correction_problem(correction, handed_over_at, now)
    if problem is None:
        return None
    assert problem.field == "correction"
    return problem.message, problem.code


def test_a_correction_of_the_booking_is_checked_against_the_handover() -> None:
    assert correction_problem({"aftercare": "no sauna"}, NOW, NOW) is None
    assert correction_problem({"next_recheck_at": "2026-12-22T09:00:00Z"}, NOW, NOW) is None
    assert problem_of({"next_recheck_at": "2026-12-04T09:00:00Z"}, NOW, NOW) == (
        "next_recheck_at: after the handover",
        FieldProblemCode.OUT_OF_RANGE,
    )
    assert problem_of({"next_recheck_at": "2028-12-22T09:00:00Z"}, NOW, NOW) == (
        "next_recheck_at: at most 400 days after the handover",
        FieldProblemCode.OUT_OF_RANGE,
    )
    for wrong in (None, 14, "next Tuesday", "2026-13-01T09:00:00Z"):
        problem = correction_problem({"next_recheck_at": wrong}, NOW, NOW)
        assert problem is not None and problem.field == "correction"
        assert problem.message.startswith("next_recheck_at: a date and time")
        assert problem.code is FieldProblemCode.BAD_FORMAT
    assert problem_of({"next_recheck_at": PAST_THE_END}, NOW, NOW) == (
        "next_recheck_at: at most 400 days after the handover",
        FieldProblemCode.OUT_OF_RANGE,
    )


def test_a_correction_of_the_booking_is_a_time_still_ahead() -> None:
    # Handed over on the 5th; corrected on the 10th: the 8th is after the handover, but past
    later = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    ahead = ("next_recheck_at: a time still ahead", FieldProblemCode.OUT_OF_RANGE)
    assert problem_of({"next_recheck_at": "2026-12-08T09:00:00Z"}, NOW, later) == ahead
    assert problem_of({"next_recheck_at": "2026-12-10T09:00:00Z"}, NOW, later) == ahead
    assert problem_of({"next_recheck_at": "2026-12-10T10:00:00+01:00"}, NOW, later) == ahead
    assert correction_problem({"next_recheck_at": "2026-12-12T09:00:00Z"}, NOW, later) is None
