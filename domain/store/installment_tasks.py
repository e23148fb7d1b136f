"""The overdue-installment tasks: written by the due date's check, and by a refund that gives
back money an installment already due was paid with.

The due date's check runs once (a timer of the bill's schedule, `workflows.installments`). An
installment it found paid and whose money is given back later is owed again from the refund on:
the refund writes the task the check would have written, so the supervisor's count and the
bill's `installments { overdue }` show it again. Both take the bill's row lock before they read
what the bill holds, so a refund and the check at one moment cannot each miss the other's part.
A journey that ended before its treatment owes nothing more: its due dates write no task
(`billing_reads.ended_before_treatment`), and the count leaves out one written before it ended.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from domain.money.installments import DueCheck, dues_of
from domain.store.billing import Bill, InstallmentDue, InstallmentOverdue
from domain.store.billing_reads import ended_before_treatment, kept_by_bill
from domain.store.models import Clinic


async def _held(bill_id: str) -> Bill:
    """The bill, its row locked until the caller's transaction ends (SQLite: one writer)."""
    return await Bill.filter(id=bill_id).select_for_update().get()


async def _note(bill: Bill, seq: int, owed_by_then_minor: int, at: datetime) -> None:
    """The task, once: a retried check, or the check and a refund both finding it, add one."""
    task = InstallmentOverdue(
        id=f"{bill.id}:{seq}",
        bill_id=bill.id,
        clinic_id=bill.clinic_id,
        journey_id=bill.journey_id,
        seq=seq,
        owed_by_then_minor=owed_by_then_minor,
        noted_at=at,
    )
    await InstallmentOverdue.bulk_create([task], ignore_conflicts=True)


async def check_due(check: DueCheck) -> bool:
    """At the installment's due date: True, and the task written, when what the bill holds (its
    payments less their refunds) falls short of what was due, unless the bill's journey ended
    before the treatment began (the client refunded or gone owes nothing more)."""
    async with in_transaction():
        bill = await _held(check.bill_id)
        if await ended_before_treatment([bill.journey_id]):
            return False
        kept = await kept_by_bill([bill.id])
        if kept[bill.id] >= check.owed_by_then_minor:
            return False
        await _note(bill, check.seq, check.owed_by_then_minor, datetime.now(UTC))
        return True


async def owed_again(bill_id: str, refunded_at: datetime) -> list[int]:
    """After a refund of the bill's money, in the refund's transaction: each installment due by
    now that the bill no longer holds becomes a task, noted from the refund (or from its due
    date, when the refund came just before it). The installments written, by number. None for
    a journey that ended before its treatment: the client withdrew and owes nothing more."""
    bill = await _held(bill_id)
    if await ended_before_treatment([bill.journey_id]):
        return []
    rows = await InstallmentDue.filter(bill_id=bill_id).order_by("seq")
    if not rows:
        return []
    clinic = await Clinic.get_or_none(id=bill.clinic_id)
    zone = ZoneInfo(clinic.timezone if clinic else "UTC")
    first_minor = bill.total_minor - sum(row.amount_minor for row in rows)
    schedule = [(row.due_on, row.amount_minor) for row in rows]
    kept = (await kept_by_bill([bill_id]))[bill_id]
    noted = {task.seq for task in await InstallmentOverdue.filter(bill_id=bill_id)}
    # Due by now rather than by the refund's instant: a check that ran between the two read
    # the bill before this refund was written, and found it paid.
    now = datetime.now(UTC)
    late = [
        due
        for due in dues_of(first_minor, schedule, zone)
        if due.due_at <= now and kept < due.owed_by_then_minor and due.seq not in noted
    ]
    for due in late:
        await _note(bill, due.seq, due.owed_by_then_minor, max(refunded_at, due.due_at))
    return [due.seq for due in late]
