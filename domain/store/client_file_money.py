"""Reading her bills, payments and refunds for her copy (`domain.client_file.money_records`):
each table has her client id, so each is read by it, up to the copy's moment, oldest first. A
bill's lines and confirmation are read by the bills' ids, a list bounded by the part."""

from __future__ import annotations

from typing import Any

from domain.client_file import export as x
from domain.client_file import money_records as money
from domain.money.money import Money
from domain.store.billing import Bill, BillConfirmation, BillLine, Payment, Refund
from domain.store.client_file_parts import Reading


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


async def payments(reading: Reading, part: x.Part[Any]) -> list[money.Payment]:
    rows = await reading.rows(Payment, "recorded_at", part)
    return [
        money.Payment(
            id=row.id,
            journey_id=row.journey_id,
            bill_id=row.bill_id,
            kind=row.kind,
            method=row.method,
            amount=_amount(row.amount_minor, row.currency),
            currency=row.currency,
            receipt_number=row.receipt_number,
            by=row.recorded_by,
            at=row.recorded_at,
        )
        for row in rows
    ]


async def refunds(reading: Reading, part: x.Part[Any]) -> list[money.Refund]:
    rows = await reading.rows(Refund, "recorded_at", part)
    return [
        money.Refund(
            id=row.id,
            journey_id=row.journey_id,
            payment_id=row.payment_id,
            bill_id=row.bill_id,
            amount=_amount(row.amount_minor, row.currency),
            currency=row.currency,
            reason=row.reason,
            before_treatment=row.before_treatment,
            by=row.recorded_by,
            author_role=row.recorded_role,
            at=row.recorded_at,
        )
        for row in rows
    ]
