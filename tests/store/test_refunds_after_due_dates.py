"""An installment paid on time and given back after its due date is owed again from the refund
on. The due date's check runs once (a timer of the bill's schedule); before, it had found the
installment paid, and a refund after it wrote no task: `overdueInstallments` and the bill's
installments did not show it, though the bill's `outstanding` did."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.money.installments import DueCheck
from domain.store.billing import Bill, InstallmentDue, InstallmentOverdue, Payment
from domain.store.billing_reads import overdue_installments
from domain.store.refund_writes import write_refund
from tests.store import money_rows
from workflows.installment_activities import check_installment

# A plan of 900.00: 300.00 when agreed, 300.00 due ten days ago, 300.00 due in twenty days.
THIRD = 30000


async def _plan_paid_on_time() -> tuple[Bill, Payment]:
    """The bill, all due by now paid (and the due date's check run, finding it so), and the
    installment's payment."""
    clinic = await money_rows.clinic()
    agreed_at = datetime.now(UTC) - timedelta(days=40)
    journey = await money_rows.journey(clinic, agreed_at)
    bill = await Bill.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic,
        journey_id=journey,
        client_id="client-1",
        currency="EUR",
        subtotal_minor=3 * THIRD,
        total_minor=3 * THIRD,
        created_by="cashier-1",
        created_at=agreed_at,
    )
    today = datetime.now(UTC).date()
    for seq, due_on in ((1, today - timedelta(days=10)), (2, today + timedelta(days=20))):
        await InstallmentDue.create(
            id=f"{bill.id}:{seq}",
            bill_id=bill.id,
            clinic_id=clinic,
            seq=seq,
            due_on=due_on,
            amount_minor=THIRD,
            currency="EUR",
        )
    paid = [
        money_rows.payment_row(
            clinic, journey, minor=THIRD, receipt=receipt, at=at, bill_id=bill.id, kind=kind
        )
        for receipt, at, kind in (
            (1, agreed_at, "INSTALLMENT_PLAN"),
            (2, agreed_at + timedelta(days=20), "INSTALLMENT"),
        )
    ]
    for payment in paid:
        await payment.save()
    assert await check_installment(DueCheck(bill.id, 1, 2 * THIRD)) is False
    return bill, paid[1]


async def _give_back(
    payment: Payment, at: datetime, *, before_treatment: bool, kind: str = "REVERSAL"
) -> None:
    refund_id = str(uuid.uuid4())
    await write_refund(
        refund_id,
        payment,
        THIRD,
        id=refund_id,
        clinic_id=payment.clinic_id,
        payment_id=payment.id,
        journey_id=payment.journey_id,
        client_id=payment.client_id,
        bill_id=payment.bill_id,
        amount_minor=THIRD,
        currency="EUR",
        reason="card charged twice",
        before_treatment=before_treatment,
        kind=kind,
        recorded_by="supervisor-1",
        recorded_role="SUPERVISOR",
        recorded_at=at,
    )


async def test_an_installment_given_back_after_its_due_date_is_overdue_from_the_refund() -> None:
    # Given an installment paid on time, its due date passed and found paid: nothing overdue
    bill, installment = await _plan_paid_on_time()
    assert await overdue_installments(bill.clinic_id) == 0
    # When a supervisor gives it back after the treatment began
    at = datetime.now(UTC)
    await _give_back(installment, at, before_treatment=False)
    # Then it is overdue again, a task from the refund's moment; the one not due yet is not
    assert await overdue_installments(bill.clinic_id) == 1
    (task,) = await InstallmentOverdue.filter(bill_id=bill.id)
    assert (task.seq, task.owed_by_then_minor) == (1, 2 * THIRD)
    assert task.noted_at.timestamp() == at.timestamp()
    # And once paid again it is done, as a task the due date's check wrote
    again = money_rows.payment_row(
        bill.clinic_id, bill.journey_id, minor=THIRD, receipt=3, at=at, bill_id=bill.id
    )
    await again.save()
    assert await overdue_installments(bill.clinic_id) == 0


async def test_money_given_back_before_the_treatment_is_owed_no_more() -> None:
    # Given the same plan, its treatment not begun
    bill, installment = await _plan_paid_on_time()
    # When the client withdraws and the installment is given back
    await _give_back(installment, datetime.now(UTC), before_treatment=True)
    # Then nobody is asked for it
    assert await overdue_installments(bill.clinic_id) == 0


async def test_goodwill_after_the_due_date_makes_nothing_owed_again() -> None:
    # Given an installment paid on time, its due date passed and found paid
    bill, installment = await _plan_paid_on_time()
    # When a supervisor gives its money back as goodwill after the treatment began
    await _give_back(installment, datetime.now(UTC), before_treatment=False, kind="GOODWILL")
    # Then the bill no longer asks for it: no task is written, nothing is counted overdue
    assert await InstallmentOverdue.filter(bill_id=bill.id).count() == 0
    assert await overdue_installments(bill.clinic_id) == 0
