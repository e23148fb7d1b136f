"""Leases on live subscriptions: one account's bound held across every API process.

Each open subscription is a row (`LiveSubscriptionLease`): its account, the API process serving
it (`holder`) and when it stops counting. It is written when the subscription opens, under the
account's lock (`bounded_append`: opens racing on several processes queue, and each counts what
the one before it wrote), and deleted when it ends. A process renews every lease it holds in one
statement a poll (`schema.auth.live_bound`), never per push; a process that died renews nothing,
so its leases stop counting once expired and are swept.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from tortoise import connections

from domain.store.bounded_append import append_within
from domain.store.models import LiveSubscriptionLease, StaffAccount
from domain.store.sql import db_values, is_postgres, marks


async def take(
    lease_id: str, account_id: str, holder: str, *, now: datetime, until: datetime, bound: int
) -> bool:
    """Writes the lease unless the account already holds `bound` unexpired ones (False)."""
    lease = await append_within(
        LiveSubscriptionLease,
        lease_id,
        {"account_id": account_id, "holder": holder, "expires_at": until},
        owner=(StaffAccount, account_id),
        counted={"account_id": account_id, "expires_at__gt": now},
        bound=bound,
    )
    return lease is not None


async def give_back(lease_id: str) -> None:
    await LiveSubscriptionLease.filter(id=lease_id).delete()


async def renew(holder: str, until: datetime) -> set[str]:
    """Moves the expiry of every lease `holder` holds to `until`, in one statement; their ids."""
    db = connections.get("default")
    new_expiry, holder_mark = marks(is_postgres(db), 2)
    (expiry,) = db_values(LiveSubscriptionLease, {"expires_at": until}, ["expires_at"])
    # As rows: Tortoise's PostgreSQL client reads none back from `execute_query`'s UPDATE.
    rows = await db.execute_query_dict(
        f"UPDATE live_subscription_lease SET expires_at = {new_expiry}"
        f" WHERE holder = {holder_mark} RETURNING id",
        [expiry, holder],
    )
    return {str(row["id"]) for row in rows}


async def drop(holder: str, lease_ids: Collection[str]) -> None:
    await LiveSubscriptionLease.filter(holder=holder, id__in=list(lease_ids)).delete()


async def restore(holder: str, accounts_by_lease: Mapping[str, str], until: datetime) -> None:
    """Writes again leases of subscriptions still open that lost their rows (swept while their
    process was held up past their expiry): they opened within the bound, so none is counted."""
    rows = [
        LiveSubscriptionLease(id=lease_id, account_id=account_id, holder=holder, expires_at=until)
        for lease_id, account_id in accounts_by_lease.items()
    ]
    await LiveSubscriptionLease.bulk_create(rows, ignore_conflicts=True)


async def sweep(now: datetime) -> int:
    """Deletes the leases expired by `now` (of processes that died); how many."""
    return await LiveSubscriptionLease.filter(expires_at__lt=now).delete()
