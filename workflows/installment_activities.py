"""The installment schedule's one activity: is the bill paid up to this installment? Never
imported by workflow code."""

from __future__ import annotations

from temporalio import activity

from domain.money.installments import DueCheck
from domain.store.installment_tasks import check_due


@activity.defn(name="check_installment")
async def check_installment(check: DueCheck) -> bool:
    """True, and the task written (once), when what the bill holds (its payments less their
    refunds) falls short of what was due (`domain.store.installment_tasks`)."""
    return await check_due(check)
