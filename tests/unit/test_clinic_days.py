"""A clinic's year of closed days: in its year, each day once, at most so many, reasons
readable and short."""

from __future__ import annotations

from datetime import date

from domain.clinic_days import (
    MAX_DAYS_OFF_PER_YEAR,
    REASON_LIMIT,
    DayOff,
    days_off_problems,
    is_working_day,
)


def _fields(year: int, days: list[DayOff]) -> list[str]:
    return [problem.field for problem in days_off_problems(year, days, this_year=2026)]


def test_a_weekday_the_clinic_closes_is_no_working_day() -> None:
    closed = {date(2026, 5, 1)}
    assert not is_working_day(date(2026, 5, 1), closed)  # Friday, closed
    assert not is_working_day(date(2026, 5, 2), closed)  # Saturday
    assert is_working_day(date(2026, 5, 4), closed)  # Monday


def test_a_year_s_list_is_checked_day_by_day() -> None:
    assert _fields(2026, [DayOff(date(2026, 1, 1), "New Year"), DayOff(date(2026, 5, 1))]) == []
    assert _fields(2026, []) == []
    assert _fields(2024, []) == ["year"]
    assert _fields(2032, []) == ["year"]
    listed = [
        DayOff(date(2027, 1, 1)),
        DayOff(date(2026, 5, 1)),
        DayOff(date(2026, 5, 1)),
        DayOff(date(2026, 5, 2), "x" * (REASON_LIMIT + 1)),
        DayOff(date(2026, 5, 3), "\u202e"),
    ]
    assert _fields(2026, listed) == [
        "days[0].day",
        "days[2].day",
        "days[3].reason",
        "days[4].reason",
    ]


def test_a_year_holds_at_most_so_many_closed_days() -> None:
    days = [DayOff(date.fromordinal(date(2026, 1, 1).toordinal() + n)) for n in range(200)]
    assert _fields(2026, days[:MAX_DAYS_OFF_PER_YEAR]) == []
    assert _fields(2026, days[: MAX_DAYS_OFF_PER_YEAR + 1]) == ["days"]
