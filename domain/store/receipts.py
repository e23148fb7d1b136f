"""Payments and their receipt numbers: per clinic, 1, 2, 3, ... without a gap.

The number is taken from the clinic's counter row and the payment is written in one
transaction: a payment that fails leaves the counter as it was, and two payments never take one
number. The counter row is locked for the transaction (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's transactions begin IMMEDIATE, one writer at a time, `store.compat`), so concurrent
payments queue at the counter for the few milliseconds each takes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.store.billing import Payment, ReceiptCounter


@dataclass(frozen=True)
class NewPayment:
    payment_id: str
    clinic_id: str
    journey_id: str
    client_id: str
    bill_id: str | None
    kind: str
    method: str
    amount_minor: int
    currency: str
    recorded_by: str


async def _ensure_counter(clinic_id: str) -> None:
    if await ReceiptCounter.exists(clinic_id=clinic_id):
        return
    with contextlib.suppress(IntegrityError):  # another payment created it first
        await ReceiptCounter.create(clinic_id=clinic_id, last_number=0)


async def record_payment(new: NewPayment) -> Payment:
    """Writes the payment once (its id is derived from the request's key): a retry of a
    recorded payment answers the recorded row, with the number it was given."""
    await _ensure_counter(new.clinic_id)
    async with in_transaction() as connection:
        counter = (
            await ReceiptCounter.filter(clinic_id=new.clinic_id)
            .select_for_update()
            .using_db(connection)
            .get()
        )
        # Checked under the counter's lock: two attempts of one request cannot both write.
        existing = await Payment.filter(id=new.payment_id).using_db(connection).first()
        if existing is not None:
            return existing
        number = counter.last_number + 1
        await (
            ReceiptCounter.filter(clinic_id=new.clinic_id)
            .using_db(connection)
            .update(last_number=number)
        )
        return await Payment.create(
            using_db=connection,
            id=new.payment_id,
            clinic_id=new.clinic_id,
            journey_id=new.journey_id,
            client_id=new.client_id,
            bill_id=new.bill_id,
            kind=new.kind,
            method=new.method,
            amount_minor=new.amount_minor,
            currency=new.currency,
            receipt_number=number,
            recorded_by=new.recorded_by,
            recorded_at=datetime.now(UTC),
        )
