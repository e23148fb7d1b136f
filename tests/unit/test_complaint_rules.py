"""A complaint's first answer is due by the end of the second working day after the day it was
received, in the clinic's time zone; its state is read from its entries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.complaints.rules import (
    ComplaintStatus,
    complaint_problems,
    first_answer_due,
    is_overdue,
    status_of,
)

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday morning: due at the end of Wednesday
        (datetime(2026, 3, 2, 9, 0, tzinfo=WARSAW), datetime(2026, 3, 5, tzinfo=WARSAW)),
        # Thursday: Friday and Monday count, the weekend does not
        (datetime(2026, 3, 5, 18, 0, tzinfo=WARSAW), datetime(2026, 3, 10, tzinfo=WARSAW)),
        # Saturday: Monday and Tuesday
        (datetime(2026, 3, 7, 12, 0, tzinfo=WARSAW), datetime(2026, 3, 11, tzinfo=WARSAW)),
        # Sunday 23:30 in Warsaw, still Sunday: Monday and Tuesday
        (datetime(2026, 3, 8, 22, 30, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=WARSAW)),
    ],
)
def test_the_first_answer_is_due_two_working_days_after_the_day_received(
    received: datetime, due: datetime
) -> None:
    assert first_answer_due(received, WARSAW) == due


def test_the_clinic_s_closed_days_are_not_working_days() -> None:
    # Given a complaint received on Thursday 30 April 2026, and the clinic closed on Friday
    # 1 May and Monday 4 May (a bridge day): Tuesday and Wednesday count
    received = datetime(2026, 4, 30, 15, 0, tzinfo=WARSAW)
    closed = {date(2026, 5, 1), date(2026, 5, 4)}

    # Then its first answer is due at the end of Wednesday, not of Monday
    assert first_answer_due(received, WARSAW) == datetime(2026, 5, 5, tzinfo=WARSAW)
    assert first_answer_due(received, WARSAW, closed) == datetime(2026, 5, 7, tzinfo=WARSAW)


def test_the_state_comes_from_the_entries_and_only_an_unanswered_one_is_overdue() -> None:
    due = datetime(2026, 3, 5, tzinfo=WARSAW)
    late = due + timedelta(seconds=1)
    assert status_of([]) is ComplaintStatus.OPEN
    assert status_of(["RESPONSE"]) is ComplaintStatus.ANSWERED
    assert status_of(["RESPONSE", "RESOLUTION"]) is ComplaintStatus.RESOLVED
    assert status_of(["RESOLUTION"]) is ComplaintStatus.RESOLVED
    assert is_overdue(ComplaintStatus.OPEN, due, late)
    assert not is_overdue(ComplaintStatus.OPEN, due, due - timedelta(seconds=1))
    assert not is_overdue(ComplaintStatus.ANSWERED, due, late)
    assert not is_overdue(ComplaintStatus.RESOLVED, due, late)


def test_the_description_and_the_moment_received_are_checked() -> None:
    now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    assert complaint_problems("she waited an hour", now - timedelta(days=30), now) == []
    fields = [p.field for p in complaint_problems("", now + timedelta(minutes=1), now)]
    assert fields == ["description", "receivedAt"]
    too_old = complaint_problems("x", now - timedelta(days=31), now)
    assert [p.field for p in too_old] == ["receivedAt"]
    assert [p.field for p in complaint_problems("x" * 4001, None, now)] == ["description"]
