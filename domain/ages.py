"""A client's age by the calendar, for the rules that turn on coming of age (seed 000: under 18,
a guardian signs for the client)."""

from __future__ import annotations

from datetime import date

ADULT_AGE = 18


def age_on(birth: date, day: date) -> int:
    """Whole years since `birth` on `day` (a birthday counts from its own day)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_minor(birth: date, day: date) -> bool:
    return age_on(birth, day) < ADULT_AGE
