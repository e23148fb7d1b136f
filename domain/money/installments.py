"""Installment plans: the schedule agreed with the first payment, and when a due date is missed.

A schedule is a list of (due date, amount) after the plan's first payment; together they are
the bill's total. Each due date falls due at the end of that day in the clinic's zone; the bill
workflow (`workflows.installments`) sleeps until then and asks whether the bill has been paid up
to that installment (the first payment and every installment due by then). Ids, dates and
amounts only: these cross into Temporal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code

MAX_INSTALLMENTS = 36
# A plan runs at most this long: a later date is a typing error.
MAX_SPAN = timedelta(days=5 * 366)


@dataclass
class Due:
    seq: int
    due_at: datetime  # the end of the due day in the clinic's zone, as an instant
    owed_by_then_minor: int  # the first payment and every installment up to this one


@dataclass
class ScheduleStart:
    bill_id: str
    clinic_id: str
    dues: list[Due]


@dataclass
class DueCheck:
    bill_id: str
    seq: int
    owed_by_then_minor: int


def schedule_problems(
    total_minor: int, first_minor: int, dues: list[tuple[date, int]], today: date
) -> list[FieldProblem]:
    if not 1 <= len(dues) <= MAX_INSTALLMENTS:
        count = Code.REQUIRED if not dues else Code.TOO_MANY
        return [FieldProblem("schedule", f"1 to {MAX_INSTALLMENTS} installments", count)]
    problems = []
    previous = today
    for index, (due_on, amount) in enumerate(dues):
        if due_on <= previous:
            problems.append(
                FieldProblem(
                    f"schedule[{index}].dueOn", "after today and the one before", Code.OUT_OF_RANGE
                )
            )
        if due_on - today > MAX_SPAN:
            problems.append(
                FieldProblem(f"schedule[{index}].dueOn", "within five years", Code.OUT_OF_RANGE)
            )
        if amount <= 0:
            problems.append(
                FieldProblem(f"schedule[{index}].amount", "more than zero", Code.OUT_OF_RANGE)
            )
        previous = max(previous, due_on)
    if not problems and first_minor + sum(amount for _, amount in dues) != total_minor:
        problems.append(
            FieldProblem(
                "schedule",
                "the first payment and the installments make the bill",
                Code.INCONSISTENT,
            )
        )
    return problems


def dues_of(first_minor: int, dues: list[tuple[date, int]], zone: ZoneInfo) -> list[Due]:
    owed = first_minor
    result = []
    for seq, (due_on, amount) in enumerate(dues, start=1):
        owed += amount
        end_of_day = datetime.combine(due_on + timedelta(days=1), time(0), tzinfo=zone)
        result.append(Due(seq=seq, due_at=end_of_day, owed_by_then_minor=owed))
    return result
