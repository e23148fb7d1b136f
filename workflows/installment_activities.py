"""The installment schedule's one activity: is the bill paid up to this installment? Never
imported by workflow code."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity

from domain.money.installments import DueCheck
from domain.store.billing import Bill, InstallmentOverdue
from domain.store.billing_reads import kept_by_bill


@activity.defn(name="check_installment")
async def check_installment(check: DueCheck) -> bool:
    """True, and the task written (once), when what the bill holds (its payments less their
    refunds) falls short of what was due."""
    kept = await kept_by_bill([check.bill_id])
    if kept[check.bill_id] >= check.owed_by_then_minor:
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
