"""The next recheck booked at the handover (DOMAIN.md step 8: "next recheck booked").

The time is kept in the handover's record, not in the journey: the journey does nothing at it.
A correction of that record (`amendRecord` with `next_recheck_at`) moves it: the latest stands.
The read model turns it into a reminder on the list of whoever makes the clinic's after-care
calls, due a day before the recheck (`reminder_due`), so the client is reminded in time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code

# The last follow-up of a plan comes a year after the handover (seed 002 §5: 1 year, a leap
# year's 8784 hours at most) and the photo schedule ends at a year: a recheck booked for that
# anniversary may fall a few weeks past it (the doctor's free day, the client's travel). Later
# than this is a typing slip (a year for a month), not a booking.
MAX_RECHECK_AHEAD = timedelta(days=400)
# The reminder falls due this long before the recheck: the day before, at the recheck's hour,
# while the client can still come or move it. Reckoned in hours, not in the clinic's calendar:
# the calls have no set hour in the clinic's setting, and the recheck's own hour is one the
# clinic works.
REMIND_AHEAD = timedelta(hours=24)
# The field of the handover's record (its input, snake_case) that holds the booking.
RECORD_FIELD = "next_recheck_at"
_EDGE_AHEAD = datetime.max.replace(tzinfo=UTC)
_EDGE_BEHIND = datetime.min.replace(tzinfo=UTC)


def in_utc(moment: datetime) -> datetime:
    """A time given without an offset is taken as UTC (the field says so)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def recheck_problems(booked: datetime | None, now: datetime) -> list[FieldProblem]:
    """A booking after the handover (now) and at most `MAX_RECHECK_AHEAD` after it."""
    if booked is None:
        return []
    bound = _out_of_bounds(booked, now)
    if bound is _Bound.BEFORE:
        ahead = "after the handover: a time still ahead"
        return [FieldProblem("nextRecheckAt", ahead, Code.OUT_OF_RANGE)]
    if bound is _Bound.AFTER:
        return [FieldProblem("nextRecheckAt", _TOO_FAR, Code.OUT_OF_RANGE)]
    return []


_TOO_FAR = f"at most {MAX_RECHECK_AHEAD.days} days after the handover"


class _Bound(Enum):
    BEFORE = "before"
    AFTER = "after"


def _out_of_bounds(booked: datetime, handed_over_at: datetime) -> _Bound | None:
    try:
        at = in_utc(booked)
    except OverflowError:
        # Read with an offset that carries its UTC time past the calendar's last day, or
        # before its first (9999-12-31T23:00-05:00): as far out of bounds, on its side.
        at = _EDGE_AHEAD if booked.year > handed_over_at.year else _EDGE_BEHIND
    if at <= handed_over_at:
        return _Bound.BEFORE
    if at - handed_over_at > MAX_RECHECK_AHEAD:
        return _Bound.AFTER
    return None


def booked_recheck(record_body: Any) -> datetime | None:
    """The recheck a handover's record booked, in UTC; None when it booked none."""
    if not isinstance(record_body, dict):
        return None
    value = record_body.get(RECORD_FIELD)
    if not isinstance(value, str):
        return None
    # A release before the checks kept any time the API read, one past the calendar in UTC too:
    # the read model's write must not fail on it (it would be retried for ever).
    try:
        return in_utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        return None


def reminder_due(booked: datetime, handed_over_at: datetime) -> datetime:
    """When the reminder of a recheck falls due: `REMIND_AHEAD` before it, never before the
    handover (a recheck booked for the next morning is reminded at once)."""
    return max(booked - REMIND_AHEAD, handed_over_at)


def booking_as_corrected(record_body: Any, corrections: list[Any]) -> datetime | None:
    """The recheck a handover's record books as corrected: `corrections` are its amendments'
    `correction` objects, oldest first; the last that names a time stands (one a release before
    took without checking it, and that names none readable, is passed over)."""
    booked = booked_recheck(record_body)
    for correction in corrections:
        booked = booked_recheck(correction) or booked
    return booked


def correction_problem(
    correction: dict[str, Any], handed_over_at: datetime, now: datetime
) -> FieldProblem | None:
    """What is wrong with a correction of the booking, checked as `handOver` checks it (after
    the handover, within `MAX_RECHECK_AHEAD` of it, and a time still ahead `now`: a recheck
    moved to a time already past would open a reminder already overdue for a visit nobody can
    make); None when it names none, or a good one. A booking is moved, not taken back: a
    recheck called off is settled on its reminder."""
    if RECORD_FIELD not in correction:
        return None
    value = correction[RECORD_FIELD]
    try:
        booked = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        booked = None
    if booked is None:
        iso = "a date and time (ISO 8601), e.g. 2025-03-14T09:00:00Z"
        return _correction(iso, Code.BAD_FORMAT)
    bound = _out_of_bounds(booked, handed_over_at)
    if bound is _Bound.BEFORE:
        return _correction("after the handover", Code.OUT_OF_RANGE)
    if bound is _Bound.AFTER:
        return _correction(_TOO_FAR, Code.OUT_OF_RANGE)
    if _out_of_bounds(booked, now) is _Bound.BEFORE:
        return _correction("a time still ahead", Code.OUT_OF_RANGE)
    return None


def _correction(message: str, code: Code) -> FieldProblem:
    """A problem of `amendRecord`'s `correction`, naming the record's field in its message."""
    return FieldProblem("correction", f"{RECORD_FIELD}: {message}", code)
