"""A transaction cancelled at any point, even while it begins, gives its connection back (the
fix in `store.compat`): the queries after it still run (on SQLite the connection's lock, on
PostgreSQL the pool's connections), and what it wrote is there whole or not at all."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from tortoise.transactions import in_transaction

from domain.store.models import Clinic
from domain.store.pg_pool import DEFAULT_POOL_SIZE

# Loop turns to let the transaction run before it is cancelled: from before it takes its
# connection, through BEGIN and the insert, to after it commits. More than the pool's size
# (10): a connection kept by each cancelled start would leave none.
MOST_TURNS = 40
BOUND_SECONDS = 10  # a connection not given back makes the next query wait for ever


async def _two_clinics(prefix: str, entered: list[str]) -> None:
    async with in_transaction():
        entered.append(prefix)
        await Clinic.create(id=f"{prefix}-a", name="first of two")
        await Clinic.create(id=f"{prefix}-b", name="second of two")


async def _cancelled_transactions() -> int:
    """Transactions cancelled after 0 to MOST_TURNS loop turns, each followed by a bounded
    transaction and query; how many were cancelled while they began."""
    cancelled_while_beginning = 0
    for turns in range(MOST_TURNS):
        # Given a transaction cancelled after `turns` turns of the loop
        prefix = f"cancel-{uuid.uuid4().hex[:8]}"
        entered: list[str] = []
        writing = asyncio.create_task(_two_clinics(prefix, entered))
        for _ in range(turns):
            await asyncio.sleep(0)
        writing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await writing
        if turns and writing.cancelled() and not entered:
            cancelled_while_beginning += 1

        # Then the next transaction and a query outside one both run
        async with asyncio.timeout(BOUND_SECONDS):
            async with in_transaction():
                await Clinic.create(id=f"{prefix}-next", name="after the cancel")
            written = await Clinic.filter(id__startswith=prefix).values_list("id", flat=True)
        # And the cancelled one wrote both of its rows or neither
        assert sorted(written) in (
            [f"{prefix}-next"],
            [f"{prefix}-a", f"{prefix}-b", f"{prefix}-next"],
        )
    return cancelled_while_beginning


async def test_a_transaction_cancelled_while_it_begins_gives_its_connection_back(
    database: str,
) -> None:
    # The cancels did land while a transaction was beginning, not only before or inside it
    assert await _cancelled_transactions() > 0


@pytest.mark.postgres
async def test_the_pool_keeps_every_connection_after_cancelled_transactions(
    database: str,
) -> None:
    # Given transactions cancelled at every point (a pool as large as the default stays usable
    # with a few connections lost: the test above alone would not see them gone)
    assert await _cancelled_transactions() > 0
    # Then as many transactions as the pool holds connections can be open at once
    all_open = asyncio.Barrier(DEFAULT_POOL_SIZE)

    async def held_open() -> None:
        async with in_transaction():
            await all_open.wait()

    async with asyncio.timeout(BOUND_SECONDS):
        await asyncio.gather(*(held_open() for _ in range(DEFAULT_POOL_SIZE)))
