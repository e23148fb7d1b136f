"""One refund of a journey at a time, from the checks of what its payment has left to its row.

A refund before the treatment is the journey's step: the journey counts it against what it was
paid, and ends unless the refund corrects a payment (`domain.journey.table`); its row is written
once the journey took the step. The payment's own bound (what it has left, `MAX_REFUNDS_PER_PAYMENT`
refunds) is checked before the step and again under the payment's row lock when the row is
written. Two corrections of one payment sent at once both passed the first check; the journey,
which counts every payment of the journey together, took both steps, and the second's row was
then refused: the journey counted money as given back that the books said was still paid.

So every refund of a journey takes the journey's turn before its checks and keeps it until its
row is written (or it was refused): a second one is judged on what the first left, by the
journey and by the books alike. The turn is not a database transaction, which on SQLite would
hold the one write lock the journey's own step waits for (its read-model write):
- in a process, an asyncio lock per journey and event loop;
- across processes on PostgreSQL, a transaction-scoped advisory lock on a connection of its own,
  outside the request's statements (the journey's writer never asks for it). At most
  `TURNS_HELD_AT_ONCE` per process hold one, so that the requests holding them always find a
  pooled connection for their own statements.
SQLite serves one API process (the worker records no refund), so the first is all it needs.
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from tortoise import connections

from domain.store.sql import is_postgres

# Below the API's pool of 10 (`pg_pool.DEFAULT_POOL_SIZE`): each holder keeps a connection for
# the lock while its own statements take others. Refunds are few; more wait their turn here.
TURNS_HELD_AT_ONCE = 4


@dataclass
class _Turns:
    """One event loop's turns: a lock per journey while a refund of it waits or runs."""

    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)
    held_in_postgres: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(TURNS_HELD_AT_ONCE)
    )


# Per event loop, since an asyncio lock belongs to one.
_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Turns] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def refund_turn(journey_id: str) -> AsyncIterator[None]:
    """The journey's turn for one refund, for the block: no other refund of the journey, in
    this process or (PostgreSQL) another, runs its checks, step or write meanwhile."""
    loop = asyncio.get_running_loop()
    turns = _TURNS.get(loop) or _TURNS.setdefault(loop, _Turns())
    lock = turns.locks.get(journey_id) or turns.locks.setdefault(journey_id, asyncio.Lock())
    turns.waiting[journey_id] = turns.waiting.get(journey_id, 0) + 1
    try:
        async with lock, _across_processes(turns, journey_id):
            yield
    finally:
        left = turns.waiting[journey_id] - 1
        if left:
            turns.waiting[journey_id] = left
        else:  # nobody waits: the journey's entry goes
            del turns.waiting[journey_id]
            del turns.locks[journey_id]


@asynccontextmanager
async def _across_processes(turns: _Turns, journey_id: str) -> AsyncIterator[None]:
    db = connections.get("default")
    if not is_postgres(db):
        yield
        return
    async with turns.held_in_postgres, db.acquire_connection() as connection:
        async with connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", _lock_number(journey_id))
            yield


def _lock_number(journey_id: str) -> int:
    """A signed 64-bit number for the journey's refunds, the same in every process. Two journeys
    sharing a number only wait for each other needlessly."""
    digest = hashlib.blake2b(f"journey-refunds\0{journey_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)
