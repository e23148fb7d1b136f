"""A client's billing history (seed 000): spending by month, most bought items, paid vs owed.

Pure: the store hands over the client's payments, refunds, bills and lines as plain values;
months are the clinic's calendar months (the caller converts instants to the clinic's zone).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from domain.money import standing

# Enough for a glance at a client's file; the bills list every bill anyway.
TOP_ITEMS = 10


@dataclass(frozen=True)
class Movement:
    """A payment (positive) or a refund (negative), in minor units, in a clinic month."""

    month: str  # "2026-12"
    amount_minor: int
    bill_id: str | None
    # A refund given back as goodwill: it lowers what the bill owes too (`standing`).
    goodwill: bool = False


@dataclass(frozen=True)
class LineBought:
    bill_id: str
    code: str
    name: str
    kind: str
    quantity: int
    line_total_minor: int


@dataclass(frozen=True)
class BillFigures:
    bill_id: str
    journey_id: str
    total_minor: int
    on_installments: bool
    # The journey ended before treatment (refunded, cancelled): nothing more is owed.
    closed: bool = False


@dataclass(frozen=True)
class MonthTotal:
    month: str
    paid_minor: int
    refunded_minor: int


@dataclass(frozen=True)
class ItemTotal:
    code: str
    name: str
    kind: str
    quantity: int
    spent_minor: int


@dataclass(frozen=True)
class BillStanding:
    bill_id: str
    journey_id: str
    total_minor: int
    paid_minor: int
    refunded_minor: int
    on_installments: bool
    closed: bool = False
    goodwill_minor: int = 0  # of `refunded_minor`, what was given back as goodwill

    @property
    def outstanding_minor(self) -> int:
        held = standing.held(self.paid_minor, self.refunded_minor)
        return standing.outstanding(
            self.total_minor,
            held,
            goodwill_minor=self.goodwill_minor,
            ended_before_treatment=self.closed,
        )


def by_month(movements: list[Movement]) -> list[MonthTotal]:
    paid: dict[str, int] = defaultdict(int)
    refunded: dict[str, int] = defaultdict(int)
    for movement in movements:
        if movement.amount_minor >= 0:
            paid[movement.month] += movement.amount_minor
        else:
            refunded[movement.month] -= movement.amount_minor
    months = sorted(set(paid) | set(refunded))
    return [MonthTotal(month, paid[month], refunded[month]) for month in months]


def most_bought(lines: list[LineBought], paid_bills: set[str]) -> list[ItemTotal]:
    """Items of `paid_bills` (those the client paid on, less those of journeys that ended
    before their treatment), by quantity, then by what they cost."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    names: dict[str, tuple[str, str]] = {}
    for line in lines:
        if line.bill_id not in paid_bills:
            continue
        totals[line.code][0] += line.quantity
        totals[line.code][1] += line.line_total_minor
        names[line.code] = (line.name, line.kind)
    ranked = sorted(totals.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [
        ItemTotal(code, names[code][0], names[code][1], quantity, spent)
        for code, (quantity, spent) in ranked[:TOP_ITEMS]
    ]


def standings(bills: list[BillFigures], movements: list[Movement]) -> list[BillStanding]:
    paid: dict[str, int] = defaultdict(int)
    refunded: dict[str, int] = defaultdict(int)
    goodwill: dict[str, int] = defaultdict(int)
    for movement in movements:
        if movement.bill_id is None:
            continue
        if movement.amount_minor >= 0:
            paid[movement.bill_id] += movement.amount_minor
        else:
            refunded[movement.bill_id] -= movement.amount_minor
            if movement.goodwill:
                goodwill[movement.bill_id] -= movement.amount_minor
    return [
        BillStanding(
            bill.bill_id,
            bill.journey_id,
            bill.total_minor,
            paid[bill.bill_id],
            refunded[bill.bill_id],
            bill.on_installments,
            bill.closed,
            goodwill[bill.bill_id],
        )
        for bill in bills
    ]
