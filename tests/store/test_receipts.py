"""Receipt numbers per clinic without gaps, under 20 concurrent payments (run on SQLite and,
by `tests.run_suites`, on PostgreSQL, where the counter row's lock is what keeps them apart)."""

from __future__ import annotations

import asyncio
import uuid

from domain.store.billing import Payment
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
