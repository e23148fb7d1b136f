"""A task names a member of staff only while they are there, on PostgreSQL as on SQLite.

A writer checks that the account it is about to name is still active, then writes the task; a
deactivation or role change moves the account's open tasks (`departed_tasks`). Under READ
COMMITTED, the two ran side by side: the check saw the account active, the change committed
having moved the tasks it could see, and the task written after named the account that left,
until the journey's next event (which may never come: the year's last call). So the change
takes an exclusive lock on the account (`account_changing`) before it reads or moves a task,
and each writer a shared one on every account it may name (`accounts_named`) before it checks
them, both transaction-scoped: a writer that locked first writes, and the change moves what it
wrote; a change that locked first commits before the writer checks, and the writer finds the
account gone. Writers do not wait for each other, nor for changes to other accounts.

Lock order, so that no two transactions can each hold what the other waits for:
- The change (`administration.update_account`): the clinic's row (FOR UPDATE: changes of one
  clinic's accounts one at a time), the account's row (its UPDATE), the exclusive lock, then
  the rows of the tasks it moves.
- A journey's writer (`projection.apply_change`, and `recheck_tasks.follow_booking_correction`
  under `amendRecord`): the journey's row (FOR UPDATE) with its event, stays and counters, the
  shared locks (in their numbers' order), the client's row for a treatment's photo reminders
  (`photo_tasks`: no holder of it asks for a lock above), then task rows.
- A phone survey (`recordSurvey`): the journey's row, then the client's (her wish read again
  under it). A client-file entry but the ward's records, or a mark taking one out of force:
  the client's row alone (`client_lock`); a ward's record, its correction or its mark, the
  journey's row alone (`post_op`, `client_lock`, `ward_reopening`). A bill (`createBill`) and
  a bill's confirmation (`confirmBill`): the journey's row alone, then their new rows
  (`bill_writes`); a confirmation's reference to its bill takes the bill's row in share mode,
  which only an installment's due-date check and a refund lock (`installment_tasks`), holding
  no journey's row.
- A complication the client calls in (`reportComplicationCall`): the shared locks on the doctors
  its task may name (the approving expert, the treatment's performer), first in its
  transaction, then the doctor chosen among them and its new rows written.
A writer takes its shared locks before it touches any task row, and never asks for a clinic's
or an account's row (it only reads accounts): waiting for the exclusive lock, it holds nothing
the change will ask for. The change takes the exclusive lock before any task row, and asks
after it only for rows of tasks naming the account, which no writer holding the shared lock
can be holding then, for it cannot have taken the lock while the change held it, and a
change that waits for a writer's shared lock holds no task row yet. So the change's one UPDATE
of all the account's tasks cannot deadlock with a writer updating two tasks of a journey (its
call and its recheck reminder), both naming the account. (A writer also closes, in one
statement each, one row of another journey that may name an account it did not lock: the
reminder a check-in keeps, the complication its recheck settles; one row cannot be held by
each of two transactions waiting for the other.)

SQLite has one writer at a time (each transaction begins IMMEDIATE, `store.compat`), so the
check and the write can never straddle a change there: nothing is sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from domain.store.aftercare import FollowUpTask
from domain.store.sql import is_postgres


async def accounts_named(account_ids: Iterable[str | None]) -> None:
    """Shared locks, until the caller's transaction ends, on each account it may name: none of
    them is deactivated or given another role meanwhile. Before any task row is touched."""
    db = FollowUpTask._meta.db  # the caller's transaction
    if not is_postgres(db):
        return
    for lock in sorted({_lock_number(account) for account in account_ids if account}):
        await db.execute_query("SELECT pg_advisory_xact_lock_shared($1)", [lock])


async def account_changing(account_id: str) -> None:
    """The exclusive lock, until the caller's transaction ends: waits for every writer that
    may name the account, and holds off the next ones. Before any task row is touched."""
    db = FollowUpTask._meta.db  # the caller's transaction
    if is_postgres(db):
        await db.execute_query("SELECT pg_advisory_xact_lock($1)", [_lock_number(account_id)])


def _lock_number(account_id: str) -> int:
    """A signed 64-bit number for the account, the same in every process (Python's `hash` is
    salted per process). Two accounts sharing a number only wait for each other needlessly."""
    digest = hashlib.blake2b(f"staff-account\0{account_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)
