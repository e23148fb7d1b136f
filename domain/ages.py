"""A client's age by the calendar, for the rules that turn on coming of age (seed 000: under 18,
a guardian signs for the client)."""

from __future__ import annotations

from datetime import date

ADULT_AGE = 18
# Seed 004 registers a client "60岁以上" as category other: sixty and over, as Chinese rules
# count "以上" (the number itself included).
SENIOR_AGE = 60


def age_on(birth: date, day: date) -> int:
    """Whole years since `birth` on `day` (a birthday counts from its own day)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_minor(birth: date, day: date) -> bool:
    return age_on(birth, day) < ADULT_AGE


def is_senior(birth: date, day: date) -> bool:
    return age_on(birth, day) >= SENIOR_AGE
