"""An installment plan's dues, written with the plan's payment: once, by any of its attempts.

Attempts of one payment's request that race each other (a client retrying before its first
answer came) each write the plan's dues, the same rows: the schedule is the request's own, and
a due's id is its bill's and its number. A due another attempt wrote first is taken as written
(INSERT ... ON CONFLICT DO NOTHING, on SQLite as on PostgreSQL), so no attempt fails on the
other's row (checked first and created after, the slower one ran into the unique constraint and
answered "Unexpected error.") and each goes on to the schedule's start and the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.store.billing import Bill, InstallmentDue


async def write_dues(bill: Bill, dues: Sequence[tuple[date, int]]) -> None:
    """The bill's dues (due date, amount in minor units), numbered from 1: each written once."""
    rows = [
        InstallmentDue(
            id=f"{bill.id}:{seq}",
            bill_id=bill.id,
            clinic_id=bill.clinic_id,
            seq=seq,
            due_on=due_on,
            amount_minor=amount,
            currency=bill.currency,
        )
        for seq, (due_on, amount) in enumerate(dues, start=1)
    ]
    if rows:
        await InstallmentDue.bulk_create(rows, ignore_conflicts=True)
