"""Receipt numbers per clinic without gaps, under 20 concurrent payments (run on SQLite and,
by `tests.run_suites`, on PostgreSQL, where the counter row's lock is what keeps them apart)."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from domain.errors import ValidationFailed
from domain.store.billing import Bill, BillLine, Payment, Refund
from domain.store.billing_reads import lines_paid_in, money_moved
from domain.store.receipts import NewPayment, record_payment


def _payment(clinic_id: str, payment_id: str | None = None) -> NewPayment:
    return NewPayment(
        payment_id=payment_id or str(uuid.uuid4()),
        clinic_id=clinic_id,
        journey_id="journey-1",
        client_id="client-1",
        bill_id=None,
        kind="PARTIAL",
        method="CARD",
        amount_minor=1000,
        currency="EUR",
        recorded_by="cashier-1",
    )


async def _bill(clinic_id: str, total_minor: int, at: datetime | None = None) -> Bill:
    return await Bill.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic_id,
        journey_id="j-1",
        client_id="c-1",
        currency="EUR",
        subtotal_minor=total_minor,
        total_minor=total_minor,
        created_by="cashier-1",
        created_at=at or datetime.now(UTC),
    )


async def test_twenty_concurrent_payments_take_receipts_one_to_twenty() -> None:
    # Given two fresh clinics taking payments at the same time
    clinic, other = f"clinic-{uuid.uuid4().hex[:8]}", f"clinic-{uuid.uuid4().hex[:8]}"
    retried = str(uuid.uuid4())
    # When 20 payments arrive at once in one clinic (one of them twice: a retry) and 5 in the other
    payments = [_payment(clinic) for _ in range(19)] + [_payment(clinic, retried)] * 2
    payments += [_payment(other) for _ in range(5)]
    await asyncio.gather(*(record_payment(p) for p in payments))
    # Then each clinic's receipts run from 1 without a gap or a repeat, the retry written once
    numbers = await Payment.filter(clinic_id=clinic).order_by("receipt_number")
    assert [p.receipt_number for p in numbers] == list(range(1, 21))
    assert sum(p.id == retried for p in numbers) == 1
    others = await Payment.filter(clinic_id=other).order_by("receipt_number")
    assert [p.receipt_number for p in others] == [1, 2, 3, 4, 5]
    # And the retry answers the row it wrote, with its number
    again = await record_payment(_payment(clinic, retried))
    assert again.receipt_number == next(p.receipt_number for p in numbers if p.id == retried)
    assert await Payment.filter(clinic_id=clinic).count() == 20


async def test_payments_racing_for_what_a_bill_still_owes_take_no_more_than_it() -> None:
    # Given a bill of 900.00 on an installment plan, 300.00 paid (its treatment has begun, so
    # the journey no longer judges its payments)
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    bill = await _bill(clinic, 90000)

    def installment(kind: str, amount: int) -> NewPayment:
        first = dataclasses.replace(_payment(clinic), bill_id=bill.id, kind=kind)
        return dataclasses.replace(first, amount_minor=amount, within_bill=True)

    await record_payment(installment("INSTALLMENT_PLAN", 30000))
    # When three installments of 600.00 arrive at once
    answers = await asyncio.gather(
        *(record_payment(installment("INSTALLMENT", 60000)) for _ in range(3)),
        return_exceptions=True,
    )
    # Then one is taken and two are refused on their amount, and the bill is paid, no more
    refused = [a for a in answers if isinstance(a, ValidationFailed)]
    assert len(refused) == 2, answers
    assert [p.field for p in refused[0].problems] == ["amount"]
    paid = await Payment.filter(bill_id=bill.id)
    assert sum(p.amount_minor for p in paid) == 90000


async def test_the_money_that_moved_is_read_per_clinic_and_window() -> None:
    # Given a bill of two lines in a fresh clinic, paid 300.00 and refunded 50.00
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    bill = await _bill(clinic, 30000, at=now)
    for position, (kind, total) in enumerate((("PROCEDURE", 25000), ("CONSUMABLE", 5000))):
        await BillLine.create(
            id=f"{bill.id}:{position}",
            bill_id=bill.id,
            position=position,
            price_item_id="i",
            item_code=kind,
            kind=kind,
            name=kind,
            quantity=1,
            list_price_minor=total,
            unit_price_minor=total,
            consumable_cost_minor=1000,
            line_total_minor=total,
        )
    paid = await record_payment(
        NewPayment(
            str(uuid.uuid4()),
            clinic,
            "j-1",
            "c-1",
            bill.id,
            "FULL",
            "CARD",
            30000,
            "EUR",
            "cashier-1",
        )
    )
    await Refund.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic,
        payment_id=paid.id,
        journey_id="j-1",
        client_id="c-1",
        bill_id=bill.id,
        amount_minor=5000,
        currency="EUR",
        reason="goodwill",
        before_treatment=False,
        recorded_by="supervisor-1",
        recorded_role="SUPERVISOR",
        recorded_at=now + timedelta(seconds=1),
    )
    window = (now - timedelta(hours=1), now + timedelta(hours=1))
    # When the month's lines and movements are read
    lines = await lines_paid_in(clinic, *window)
    moved = await money_moved(clinic, *window)
    # Then both lines carry the bill's money in the window; the refund is a negative movement
    assert [(ln.line.kind, ln.paid_minor, ln.refunded_minor) for ln in lines] == [
        ("PROCEDURE", 30000, 5000),
        ("CONSUMABLE", 30000, 5000),
    ]
    assert [m.amount_minor for m in moved] == [30000, -5000]
    # And nothing outside the window or of another clinic
    assert await lines_paid_in(clinic, now + timedelta(hours=1), now + timedelta(hours=2)) == []
    assert await money_moved("another-clinic", None, None) == []
