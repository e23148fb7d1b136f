"""The installment schedule's one activity: is the bill paid up to this installment? Never
imported by workflow code."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity

from domain.money.installments import DueCheck
from domain.store.billing import Bill, InstallmentOverdue, Payment


@activity.defn(name="check_installment")
async def check_installment(check: DueCheck) -> bool:
    """True, and the task written (once), when the bill's payments fall short of what was due."""
    paid = sum(p.amount_minor for p in await Payment.filter(bill_id=check.bill_id))
    if paid >= check.owed_by_then_minor:
        return False
    bill = await Bill.get(id=check.bill_id)
    task_id = f"{check.bill_id}:{check.seq}"
    if not await InstallmentOverdue.exists(id=task_id):  # a retried activity writes it once
        await InstallmentOverdue.create(
            id=task_id,
            bill_id=bill.id,
            clinic_id=bill.clinic_id,
            journey_id=bill.journey_id,
            seq=check.seq,
            owed_by_then_minor=check.owed_by_then_minor,
            noted_at=datetime.now(UTC),
        )
    return True
