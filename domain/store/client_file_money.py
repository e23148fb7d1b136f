"""Reading her bills, payments and refunds for her copy (`domain.client_file.money_records`):
each table has her client id, so each is read by it, up to the copy's moment, oldest first. A
bill's lines and confirmation are read by the bills' ids, a list bounded by the part. Amounts
are kept in minor units (`amount_minor`) and written as decimal texts at the row's currency."""

from __future__ import annotations

from typing import Any

from domain.client_file import export as x
from domain.client_file import money_records as money
from domain.money.money import Money
from domain.store.billing import Bill, BillConfirmation, BillLine, Payment, Refund
from domain.store.client_file_parts import ByClient, Reading


def _amount(minor: int, currency: str) -> str:
    """Minor units as the decimal text of the amount, at the currency's places."""
    return str(Money.from_minor(minor, currency).amount)


async def bills(reading: Reading, part: x.Part[Any]) -> list[money.Bill]:
    rows = await reading.rows(Bill, "created_at", part)
    ids = [row.id for row in rows]
    currency_of = {row.id: row.currency for row in rows}
    lines: dict[str, list[money.BillLine]] = {}
    for line in await BillLine.filter(bill_id__in=ids).order_by("bill_id", "position"):
        currency = currency_of[line.bill_id]
        lines.setdefault(line.bill_id, []).append(
            money.BillLine(
                position=line.position,
                price_item_id=line.price_item_id,
                item_code=line.item_code,
                kind=line.kind,
                name=line.name,
                quantity=line.quantity,
                list_price=_amount(line.list_price_minor, currency),
                unit_price=_amount(line.unit_price_minor, currency),
                special_price=line.special_price,
                minor_procedure=line.minor_procedure,
                consumable_cost=_amount(line.consumable_cost_minor, currency),
                line_total=_amount(line.line_total_minor, currency),
            )
        )
    confirmed = {
        c.bill_id: money.BillConfirmation(
            c.signer_name, c.signature_format, c.witness_id, c.witness_role, c.confirmed_at
        )
        for c in await BillConfirmation.filter(bill_id__in=ids, confirmed_at__lte=reading.as_of)
    }
    return [
        money.Bill(
            id=row.id,
            journey_id=row.journey_id,
            currency=row.currency,
            lines=lines.get(row.id, []),
            subtotal=_amount(row.subtotal_minor, row.currency),
            discount=_amount(row.discount_minor, row.currency),
            discount_reason=row.discount_reason,
            discount_granted_by=row.discount_granted_by,
            total=_amount(row.total_minor, row.currency),
            partner_staff=row.partner_staff,
            confirmation=confirmed.get(row.id),
            by=row.created_by,
            at=row.created_at,
        )
        for row in rows
    ]


def _amount_of(row: Payment | Refund) -> str:
    return _amount(row.amount_minor, row.currency)


payments = ByClient(
    money.Payment, Payment, "recorded_at", "recorded_by", None, made={"amount": _amount_of}
)
refunds = ByClient(
    money.Refund,
    Refund,
    "recorded_at",
    "recorded_by",
    "recorded_role",
    made={"amount": _amount_of},
)
