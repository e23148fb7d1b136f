"""Two transactions forced into one interleaving on PostgreSQL: the first is held right after a
check it makes, the second runs until it has committed or waits for the first, then the first
goes on. What a transaction waits for is the server's to say (`pg_blocking_pids`), not a guess of
how long it takes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg

from domain.store.aftercare import FollowUpTask

WAIT = 30.0  # seconds: bounded waits, generous for a loaded machine
_LOOK_AGAIN = 0.05  # seconds between two looks at the server's locks, or at once when done

T = TypeVar("T")


class Held:
    """Holds the first transaction to pass through `after(check)` right after the check, until
    `release`; knows its server process."""

    def __init__(self) -> None:
        self.checked = asyncio.Event()
        self._go = asyncio.Event()
        self.pid: int | None = None

    def after(self, check: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        async def held(*args: Any, **kwargs: Any) -> T:
            answer = await check(*args, **kwargs)
            if not self.checked.is_set():
                # The transaction's connection: the one its model writes go through.
                db = FollowUpTask._meta.db
                rows = await db.execute_query_dict("SELECT pg_backend_pid() AS pid")
                self.pid = int(rows[0]["pid"])
                self.checked.set()
                await asyncio.wait_for(self._go.wait(), timeout=WAIT)
            return answer

        return held

    def release(self) -> None:
        self._go.set()


async def raced(
    observer: asyncpg.Connection,
    held: Held,
    first: Awaitable[Any],
    second: Callable[[], Awaitable[Any]],
) -> None:
    """`first` until `held` stops it after its check; `second` until it has committed or waits
    for `first`; then both to their end (either failing fails the caller)."""
    first_task = asyncio.ensure_future(first)
    await asyncio.wait_for(held.checked.wait(), timeout=WAIT)
    second_task = asyncio.ensure_future(second())
    try:
        await _done_or_waiting_for(observer, second_task, held)
    finally:
        held.release()
    await asyncio.wait_for(asyncio.gather(first_task, second_task), timeout=WAIT)


async def _done_or_waiting_for(
    observer: asyncpg.Connection, task: asyncio.Future[Any], held: Held
) -> None:
    """Until `task` is done, or a server process waits for a lock the held one holds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done, _ = await asyncio.wait({task}, timeout=_LOOK_AGAIN)
        if done:
            return
        waiting = await observer.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
            held.pid,
        )
        if waiting:
            return
    raise AssertionError(f"neither done nor waiting for the held transaction in {WAIT:.0f} s")
