"""Payments and their receipt numbers: per clinic, 1, 2, 3, ... without a gap.

The number is taken from the clinic's counter row and the payment is written in one
transaction: a payment that fails leaves the counter as it was, and two payments never take one
number. The counter row is locked for the transaction (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's transactions begin IMMEDIATE, one writer at a time, `store.compat`), so concurrent
payments queue at the counter for the few milliseconds each takes. A payment the journey does not
judge (after its treatment began) is checked against its bill under the same lock.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import ValidationFailed
from domain.journey.stages import PaymentKind
from domain.money import standing
from domain.money.payments import BillState, payment_problems
from domain.money.refund_kinds import RefundKind
from domain.store.billing import Bill, Payment, ReceiptCounter, Refund


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
    # Checked here against what the bill still owes, under the counter's lock: a payment the
    # journey does not judge (after its treatment began) would otherwise race with another.
    within_bill: bool = False


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
        if new.within_bill and new.bill_id is not None:
            await _refuse_beyond_the_bill(new, connection)
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


async def _refuse_beyond_the_bill(new: NewPayment, connection: BaseDBAsyncClient) -> None:
    """Raises `ValidationFailed` when the bill, as its payments stand under the lock, does not
    take this one (every payment of the clinic waits for the same lock)."""
    bill = await Bill.filter(id=new.bill_id).using_db(connection).get()
    taken = await Payment.filter(bill_id=new.bill_id).using_db(connection)
    given_back = await Refund.filter(bill_id=new.bill_id).using_db(connection)
    state = BillState(
        total=bill.total_minor,
        paid=standing.held(
            sum(p.amount_minor for p in taken), sum(r.amount_minor for r in given_back)
        ),
        goodwill=sum(r.amount_minor for r in given_back if r.kind == RefundKind.GOODWILL.value),
        kinds=frozenset(PaymentKind(p.kind) for p in taken),
        currency=bill.currency,
    )
    problems = payment_problems(state, PaymentKind(new.kind), new.amount_minor)
    if problems:
        raise ValidationFailed(problems)
