"""When a follow-up call is overdue (seed 002 §5.2): the first day's calls once 24 hours after the
treatment have passed, the others by the clinic's allowance past their due time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.aftercare.call_windows import call_grace, hours_of, windowed_labels
from domain.aftercare.tasks import Lateness, TaskKind
from domain.journey.followups import DAY, HOUR, label_for

TREATED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
A_DAY = timedelta(hours=24)
CLINIC = Lateness(A_DAY, ZoneInfo("Europe/Warsaw"))


def _call_due(offset_seconds: int) -> tuple[str, datetime]:
    return label_for(offset_seconds), TREATED + timedelta(seconds=offset_seconds)


def test_the_first_call_is_overdue_once_24_hours_after_the_treatment_have_passed() -> None:
    label, due = _call_due(1 * DAY)  # the default plan's first call
    assert not CLINIC.is_overdue(TaskKind.FOLLOW_UP_CALL, due, due - timedelta(seconds=1), label)
    assert CLINIC.is_overdue(TaskKind.FOLLOW_UP_CALL, due, TREATED + A_DAY, label)
    # A plan's evening call (6 h): not overdue before the day is over, overdue once it is
    label, due = _call_due(6 * HOUR)
    day_over = TREATED + A_DAY
    assert not CLINIC.is_overdue(
        TaskKind.FOLLOW_UP_CALL, due, day_over - timedelta(minutes=1), label
    )
    assert CLINIC.is_overdue(TaskKind.FOLLOW_UP_CALL, due, day_over, label)
    # A call under an hour after the treatment (a clinic's schedule of seconds) counts as hour 0
    label, due = _call_due(1800)
    assert CLINIC.late_at(TaskKind.FOLLOW_UP_CALL, due, label) == due + A_DAY


def test_the_other_calls_and_tasks_keep_the_clinic_s_allowance() -> None:
    for offset in (2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY):
        label, due = _call_due(offset)
        assert CLINIC.late_at(TaskKind.FOLLOW_UP_CALL, due, label) == due + A_DAY, label
    # A stricter clinic is stricter with the first day's calls too
    strict = Lateness(timedelta(hours=2), ZoneInfo("Europe/Warsaw"))
    label, due = _call_due(6 * HOUR)
    assert strict.late_at(TaskKind.FOLLOW_UP_CALL, due, label) == due + timedelta(hours=2)
    # Only calls: a complication raised at the 24 h call keeps the clinic's allowance
    assert CLINIC.late_at(TaskKind.COMPLICATION, due, "24h") == due + A_DAY
    assert CLINIC.late_at(TaskKind.FOLLOW_UP_CALL, due, None) == due + A_DAY


def test_labels_read_back_to_their_hours_and_the_windowed_ones_are_all_named() -> None:
    assert [hours_of(x) for x in ("6h", "24h", "47h", "1800s", "3d", "1w", "1m", "1y")] == [
        6, 24, 47, 0, None, None, None, None,
    ]  # fmt: skip
    labels = windowed_labels()
    assert list(labels) == [f"{hours}h" for hours in range(1, 25)]
    assert labels["1h"] == timedelta(hours=23) and labels["24h"] == timedelta(0)
    assert call_grace("25h", A_DAY) == A_DAY
