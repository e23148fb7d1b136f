"""Leases on live subscriptions (`store.live_leases`, `schema.auth.live_bound`): opens racing on
several API processes at an account's bound let exactly the bound through; a poll renews one
process's leases in one statement, and once a lease period it makes the table match what the
process holds and sweeps the leases of processes that died."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.roles import Role
from domain.store import live_leases
from domain.store.models import Clinic, LiveSubscriptionLease
from schema.auth.live_bound import LEASE_POLLS, LiveBound
from tests.staff_rows import staff_account

BOUND = 50


async def _account() -> str:
    tag = uuid.uuid4().hex[:10]
    clinic = await Clinic.create(id=f"leases-{tag}", name="Leases")
    account = await staff_account(clinic.id, f"staff-leases-{tag}", Role.SUPERVISOR)
    return str(account.id)


async def _lease(account_id: str, holder: str, seconds_left: float) -> str:
    lease_id = uuid.uuid4().hex
    until = datetime.now(UTC) + timedelta(seconds=seconds_left)
    await LiveSubscriptionLease.create(
        id=lease_id, account_id=account_id, holder=holder, expires_at=until
    )
    return lease_id


async def _expiries(holder: str) -> dict[str, datetime]:
    rows = await LiveSubscriptionLease.filter(holder=holder).values_list("id", "expires_at")
    return {str(lease_id): expires_at for lease_id, expires_at in rows}


def _noting(calls: list[str], name: str) -> Callable[..., Awaitable[None]]:
    async def noted(*args: Any) -> None:
        calls.append(name)

    return noted


async def test_opens_racing_on_several_processes_at_the_bound_let_only_the_bound_through() -> None:
    # Given three API processes and an account with no live subscription
    account_id = await _account()
    processes = [LiveBound(poll_seconds=1.0, bound=BOUND) for _ in range(3)]
    # When 20 opens race on each at once
    taken = await asyncio.gather(
        *(process.take(account_id) for process in processes for _ in range(20))
    )
    # Then exactly the bound got a lease, each a row of its own
    assert sum(lease is not None for lease in taken) == BOUND
    assert await LiveSubscriptionLease.filter(account_id=account_id).count() == BOUND


async def test_a_poll_renews_this_processs_leases_in_one_statement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account_id = await _account()
    process, other = LiveBound(1.0, BOUND), LiveBound(1.0, BOUND)
    mine = {await process.take(account_id) for _ in range(3)}
    theirs = await other.take(account_id)
    await process.renew()  # the first poll sweeps too
    before, others_before = await _expiries(process.holder), await _expiries(other.holder)
    more: list[str] = []
    for name in ("drop", "restore", "sweep"):
        monkeypatch.setattr(live_leases, name, _noting(more, name))
    # When the next poll renews
    await process.renew()
    # Then its leases' expiry moved on, another process's did not, and nothing else was sent
    after = await _expiries(process.holder)
    assert set(after) == mine and all(after[key] > before[key] for key in after)
    assert await _expiries(other.holder) == others_before and theirs in others_before
    assert more == []
    # And the renewed leases count as before: the account's next open is counted with them
    assert await LiveBound(1.0, len(mine) + 1).take(account_id) is None


async def test_the_table_is_made_to_match_what_the_process_holds() -> None:
    account_id = await _account()
    process = LiveBound(1.0, BOUND)
    kept, lost = await process.take(account_id), await process.take(account_id)
    assert kept is not None and lost is not None
    # Given a lease swept while this process was held up past its expiry, and a lease of this
    # process whose giving back never reached the database
    await LiveSubscriptionLease.filter(id=lost).delete()
    stale = await _lease(account_id, process.holder, seconds_left=30)
    # When the process polls
    await process.renew()
    # Then the lost lease is written again and the stale one dropped
    assert set(await _expiries(process.holder)) == {kept, lost}
    assert stale not in await _expiries(process.holder)


async def test_once_a_lease_period_the_leases_of_processes_that_died_are_swept() -> None:
    account_id = await _account()
    process = LiveBound(1.0, BOUND)
    await process.take(account_id)
    # Given a process that died, one lease of it expired and one not yet
    expired = await _lease(account_id, "gone-replica", seconds_left=-1)
    lasting = await _lease(account_id, "gone-replica", seconds_left=30)
    # When a live process polls through a lease period
    for _ in range(LEASE_POLLS + 1):
        await process.renew()
    # Then the expired lease is gone, and the one still counting stays until it expires
    left = await LiveSubscriptionLease.filter(id__in=[expired, lasting]).values_list(
        "id", flat=True
    )
    assert [str(lease_id) for lease_id in left] == [lasting]
    await LiveSubscriptionLease.filter(id=lasting).delete()


async def test_a_subscription_that_ends_while_its_lease_is_written_again_leaves_no_lease(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account_id = await _account()
    process = LiveBound(1.0, BOUND)
    lost = await process.take(account_id)
    assert lost is not None
    # Given a lease swept while this process was held up past its expiry
    await LiveSubscriptionLease.filter(id=lost).delete()
    # When the next poll writes it again, and its subscription ends meanwhile (given back
    # before the write reaches the table: there was no row to delete)
    write_again = live_leases.restore

    async def ended_meanwhile(*args: Any) -> None:
        await process.give_back(lost)
        await write_again(*args)

    monkeypatch.setattr(live_leases, "restore", ended_meanwhile)
    await process.renew()
    # Then no lease of it is left to count against the account
    assert await _expiries(process.holder) == {}
