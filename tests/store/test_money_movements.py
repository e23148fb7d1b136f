"""Every payment counted once: the journey's record of a payment and the payment row written
after it are one payment; a record no row stands for (written before bills) and a row without a
record (the rest of a bill after treatment) each count; refunds count negative."""

from __future__ import annotations

from domain.store.billing import Payment
from domain.store.money_movements import recorded_payments
from tests.store.money_rows import clinic, journey, payment, payment_row, refund_row, utc


async def _row(
    clinic_id: str, journey_id: str, minor: int, bill_id: str | None, day: int
) -> Payment:
    receipt = await Payment.filter(clinic_id=clinic_id).count() + 1
    row = payment_row(
        clinic_id, journey_id, minor=minor, receipt=receipt, at=utc(day), bill_id=bill_id
    )
    await row.save()
    return row


async def test_each_payment_is_counted_once_whichever_writer_recorded_it() -> None:
    clinic_id = await clinic()
    both, legacy, billed = [await journey(clinic_id, utc(2)) for _ in range(3)]
    # `both`: the journey recorded 120.00 on the 3rd, its row was written the same day, and
    # the row's twin amount 120.00 again on the 5th (a second payment: record and row again)
    await payment(both, utc(3), "120.00")
    await _row(clinic_id, both, 12000, None, 3)
    await payment(both, utc(5), "120.00")
    await _row(clinic_id, both, 12000, None, 5)
    # `legacy`: only the journey's record of 75.50 (before bills)
    await payment(legacy, utc(4), "75.50")
    # `billed`: 300.00 against a bill with its record, then 200.00 after treatment (a row
    # only), then 50.00 refunded
    await payment(billed, utc(6), "300.00")
    first = await _row(clinic_id, billed, 30000, "bill-1", 6)
    await _row(clinic_id, billed, 20000, "bill-1", 7)
    await refund_row(first, minor=5000, at=utc(8))

    moved = await recorded_payments(clinic_id, None, None)
    by_journey = {
        j: [m.amount_minor for m in moved if m.journey_id == j] for j in (both, legacy, billed)
    }
    # by hand: both 120.00 + 120.00; legacy 75.50; billed 300.00 + 200.00 - 50.00
    assert by_journey == {both: [12000, 12000], legacy: [7550], billed: [30000, 20000, -5000]}
    # A window sees the same pairing: the 4th to the 6th holds legacy's record and both's
    # second payment and billed's first, each once
    window = await recorded_payments(clinic_id, utc(4), utc(7))
    assert sorted(m.amount_minor for m in window) == [7550, 12000, 30000]
