"""Where a partner statement reads the deals of referred clients from: the money taken from
them in the month (`money_movements.movements_by_bill`), a payment as sale and a refund as its
mirror.

- Paid against a bill: the bill's lines (their kind, list price, unit price x quantity as the
  price sold, high-cost consumable cost, the item's special-price-minor-procedure flag, and the
  bill's partner-staff choice). A payment of part of the bill (a deposit, an installment, a
  refund) takes the same part of every line (amount / subtotal, so a bill discount is spread
  over the lines pro rata); the lines' prices sold add up to the amount exactly (the last line
  takes the rounding), list prices and costs are rounded to the currency's minor unit.
- Paid without a bill (the plan's single price): one PROCEDURE line sold at the amount, its list
  price unknown and taken as the price sold: a normal 50:50 deal.

A month of more than `MAX_STATEMENT_LINES` lines is not read whole: it is found out by counting
before each read that grows with it, and refused (`TooManyLines`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.expressions import Subquery
from tortoise.functions import Count

from domain.money.credit import Movement
from domain.money.money import Money
from domain.money.partner_split import (
    SPECIAL_PRICE_FLOOR,
    DealLine,
    PriceItemKind,
    StaffTreatment,
)
from domain.partners.statement import MAX_STATEMENT_LINES, PartnerDeal
from domain.store.billing import Bill, BillLine, Payment, Refund
from domain.store.billing_reads import JourneyIds, journeys_in
from domain.store.money_movements import amount_of, movements_by_bill
from domain.store.partners import PartnerReferral

# (partner, clinic, from, until) -> the deals of the partner's clients in [from, until).
DealSource = Callable[[str, str, datetime, datetime], Awaitable[list[PartnerDeal]]]


@dataclass(frozen=True)
class TooManyLines:
    """The month holds more statement lines than `most`: no statement is made of it."""

    most: int


async def deals_from_payments(
    partner_id: str,
    clinic_id: str,
    start: datetime,
    end: datetime,
    most_lines: int = MAX_STATEMENT_LINES,
) -> list[PartnerDeal] | TooManyLines:
    """The deals, or `TooManyLines` once it is known they make more than `most_lines` lines:
    counted before each read that could grow with them (every payment and refund is a line at
    least, a payment against a bill one per line of the bill)."""
    # (a subquery: the partner's referrals over the years, however many, are never read here)
    journey_ids = Subquery(
        PartnerReferral.filter(partner_id=partner_id, clinic_id=clinic_id).values("journey_id")
    )
    if await _rows_moved(clinic_id, start, end, journey_ids) > most_lines:
        return TooManyLines(most_lines)
    # Payments recorded before bills are only their journeys' records: a month of them is past
    # and cannot grow, so they are counted as read.
    moved = await movements_by_bill(clinic_id, start, end, journey_ids)
    if len(moved) > most_lines:
        return TooManyLines(most_lines)
    bill_ids = sorted({bill_id for _, bill_id in moved if bill_id is not None})
    bills = {bill.id: bill for bill in await Bill.filter(id__in=bill_ids)}
    sizes = await _line_counts(bill_ids)

    def itemised(bill_id: str | None) -> Bill | None:
        bill = bills.get(bill_id or "")
        return bill if bill is not None and sizes.get(bill.id) and bill.subtotal_minor > 0 else None

    def lines_made(bill_id: str | None) -> int:
        bill = itemised(bill_id)
        return sizes[bill.id] if bill is not None else 1

    if sum(lines_made(bill_id) for _, bill_id in moved) > most_lines:
        return TooManyLines(most_lines)
    lines: dict[str, list[BillLine]] = defaultdict(list)
    for line in await BillLine.filter(bill_id__in=bill_ids).order_by("bill_id", "position"):
        lines[line.bill_id].append(line)
    deals = []
    for movement, bill_id in moved:
        bill = itemised(bill_id)
        if bill is None:
            amount = amount_of(movement)
            sold: tuple[DealLine, ...] = (DealLine(PriceItemKind.PROCEDURE, abs(amount), amount),)
        else:
            sold = bill_deal_lines(movement, bill, lines[bill.id])
        deals.append(PartnerDeal(movement.journey_id, movement.at, movement.currency, sold))
    return deals


async def _rows_moved(
    clinic_id: str, start: datetime, end: datetime, journey_ids: JourneyIds
) -> int:
    """The payment and refund rows of the journeys in [start, end), counted."""
    window = {
        "clinic_id": clinic_id,
        "journey_id__in": journeys_in(journey_ids),
        "recorded_at__gte": start,
        "recorded_at__lt": end,
    }
    return await Payment.filter(**window).count() + await Refund.filter(**window).count()


async def _line_counts(bill_ids: list[str]) -> dict[str, int]:
    counted = (
        BillLine.filter(bill_id__in=bill_ids)
        .annotate(lines=Count("id"))
        .group_by("bill_id")
        .values_list("bill_id", "lines")
    )
    return {str(bill_id): int(lines) for bill_id, lines in await counted}


def bill_deal_lines(movement: Movement, bill: Bill, lines: list[BillLine]) -> tuple[DealLine, ...]:
    """The part of the bill's lines this payment (or refund, negative) stands for."""
    currency = bill.currency
    part = Decimal(abs(movement.amount_minor)) / Decimal(bill.subtotal_minor)
    sign = -1 if movement.amount_minor < 0 else 1

    def scaled(minor: int) -> Decimal:
        return Money.rounded(Money.from_minor(minor, currency).amount * part, currency).amount

    staff = StaffTreatment(bill.partner_staff)
    left = abs(amount_of(movement))
    deal = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        sold = left if last else min(scaled(line.line_total_minor), left)
        left -= sold
        deal.append(
            DealLine(
                kind=PriceItemKind(line.kind),
                list_price=scaled(line.list_price_minor * line.quantity),
                price_sold=sign * sold,
                consumable_cost=scaled(line.consumable_cost_minor * line.quantity),
                special_price_minor=line.minor_procedure and _below_floor(line, bill),
                staff_treatment=staff,
            )
        )
    return tuple(deal)


def _below_floor(line: BillLine, bill: Bill) -> bool:
    """Rule 9 decided once per bill line, on whole minor units (its total after the bill's
    discount against its list price): every payment of the bill then takes the same rule, and
    a line sold at exactly 80 % of list is a normal deal, whatever a part's rounding does."""
    sold_times_subtotal = int(line.line_total_minor) * int(bill.total_minor)
    list_times_subtotal = int(line.list_price_minor) * int(line.quantity) * int(bill.subtotal_minor)
    return Decimal(sold_times_subtotal) < SPECIAL_PRICE_FLOOR * list_times_subtotal
