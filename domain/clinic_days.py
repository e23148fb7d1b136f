"""The days a clinic is closed besides weekends (public holidays, its own closures), as its
supervisor lists them a calendar year at a time, and what such a list must hold.

Counting working days reads them: a complaint's first answer is due by the end of the second
working day after the day it was received (`domain.complaints.rules`), and a public holiday is
no more a working day than a Sunday. Public holidays differ by country and region (Poland's,
Russia's, China's moved working weekends), so the clinic gives its own rather than the code
carrying one country's.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.text import text_problem

# Enough for every public holiday and a season's closure; the list is read whole at each count.
MAX_DAYS_OFF_PER_YEAR = 120
REASON_LIMIT = 200
# A year may be listed from the one before this one to five ahead.
YEARS_BACK, YEARS_AHEAD = 1, 5


@dataclass(frozen=True)
class DayOff:
    day: date
    reason: str | None = None


def is_working_day(day: date, days_off: Collection[date]) -> bool:
    """Monday to Friday, and not a day the clinic listed as closed."""
    return day.weekday() < 5 and day not in days_off


def days_off_problems(year: int, days: Sequence[DayOff], this_year: int) -> list[FieldProblem]:
    """What is wrong with a year's list, field by field (GraphQL names)."""
    if not this_year - YEARS_BACK <= year <= this_year + YEARS_AHEAD:
        return [
            FieldProblem(
                "year", f"{this_year - YEARS_BACK} to {this_year + YEARS_AHEAD}", Code.OUT_OF_RANGE
            )
        ]
    if len(days) > MAX_DAYS_OFF_PER_YEAR:
        return [FieldProblem("days", f"at most {MAX_DAYS_OFF_PER_YEAR}", Code.TOO_MANY)]
    problems = []
    seen: set[date] = set()
    for index, entry in enumerate(days):
        if entry.day.year != year:
            problems.append(
                FieldProblem(f"days[{index}].day", f"a day of {year}", Code.INCONSISTENT)
            )
        elif entry.day in seen:
            problems.append(FieldProblem(f"days[{index}].day", "listed twice", Code.DUPLICATE))
        seen.add(entry.day)
        reason = f"days[{index}].reason"
        problem = text_problem(reason, entry.reason, required=False, limit=REASON_LIMIT)
        if problem:
            problems.append(problem)
    return problems
