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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal

from domain.money.credit import Movement
from domain.money.money import Money
from domain.money.partner_split import (
    SPECIAL_PRICE_FLOOR,
    DealLine,
    PriceItemKind,
    StaffTreatment,
)
from domain.partners.statement import PartnerDeal
from domain.store.billing import Bill, BillLine
from domain.store.money_movements import amount_of, movements_by_bill
from domain.store.partners import PartnerReferral

# (partner, clinic, from, until) -> the deals of the partner's clients in [from, until).
DealSource = Callable[[str, str, datetime, datetime], Awaitable[list[PartnerDeal]]]


async def deals_from_payments(
    partner_id: str, clinic_id: str, start: datetime, end: datetime
) -> list[PartnerDeal]:
    referred = await PartnerReferral.filter(partner_id=partner_id, clinic_id=clinic_id)
    moved = await movements_by_bill(clinic_id, start, end, [r.journey_id for r in referred])
    bill_ids = sorted({bill_id for _, bill_id in moved if bill_id is not None})
    bills = {bill.id: bill for bill in await Bill.filter(id__in=bill_ids)}
    lines: dict[str, list[BillLine]] = defaultdict(list)
    for line in await BillLine.filter(bill_id__in=bill_ids).order_by("bill_id", "position"):
        lines[line.bill_id].append(line)
    deals = []
    for movement, bill_id in moved:
        bill = bills.get(bill_id or "")
        if bill is None or not lines[bill.id] or bill.subtotal_minor <= 0:
            amount = amount_of(movement)
            sold: tuple[DealLine, ...] = (DealLine(PriceItemKind.PROCEDURE, abs(amount), amount),)
        else:
            sold = bill_deal_lines(movement, bill, lines[bill.id])
        deals.append(PartnerDeal(movement.journey_id, movement.at, movement.currency, sold))
    return deals


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
