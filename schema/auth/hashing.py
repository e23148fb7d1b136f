"""Password hashing off the event loop: a small pool of threads with a bounded queue.

argon2 releases the GIL while it works, so the event loop keeps answering other requests while
a sign-in is verified. The pool is small (each hash takes 19 MiB and most of a core) and the
queue in front of it is bounded: past it a sign-in is told to retry (`HashingBusy`) instead of
waiting behind hundreds of others, so a flood of sign-ins costs bounded memory and time. Every
password the API hashes or verifies goes through it: an administrator's new accounts and
password resets too, which on the default thread pool ran six hashes at once behind a queue
without end, shared with photo uploads and the photo store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from domain import passwords

WORKERS = 2
MAX_WAITING = 32
RETRY_AFTER_SECONDS = 1
T = TypeVar("T")


class HashingBusy(Exception):
    """More passwords are waiting for the hashing threads than the queue holds."""


class PasswordWork:
    def __init__(self, workers: int = WORKERS, max_waiting: int = MAX_WAITING) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password-hash")
        self._max_waiting = max_waiting
        self._in_flight = 0

    @contextmanager
    def place(self) -> Iterator[bool]:
        """A place in the queue, held for the block: True, or False (none held) when the queue
        is full. A request that claims its idempotency key before it hashes takes its place
        first, so a full queue refuses it with nothing claimed, and hashes in it (`placed`)."""
        if self._in_flight >= self._max_waiting:
            yield False
            return
        self._in_flight += 1
        try:
            yield True
        finally:
            self._in_flight -= 1

    async def _run(self, work: Callable[..., T], *args: str, placed: bool = False) -> T:
        """`placed`: the caller holds its `place` already."""
        if placed:
            return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)
        with self.place() as admitted:
            if not admitted:
                raise HashingBusy
            return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)

    @property
    def in_flight(self) -> int:
        """Passwords being hashed or verified, or waiting for a thread (for tests and metrics)."""
        return self._in_flight

    async def verify(
        self, password: str, stored: str | None, *, placed: bool = False
    ) -> passwords.Verdict:
        """`stored` None (no such account): a decoy is verified, at the same cost, and fails.
        `placed`: in the caller's `place` (never `HashingBusy` then)."""
        if stored is None:
            return await self._run(passwords.verify_without_account, password, placed=placed)
        return await self._run(passwords.verify_password, password, stored, placed=placed)

    async def hash(self, password: str, *, placed: bool = False) -> str:
        """`placed`: in the caller's `place` (never `HashingBusy` then)."""
        return await self._run(passwords.hash_password, password, placed=placed)

    async def warm_up(self) -> None:
        await self._run(passwords.verify_without_account, "")


# One per process: the threads are the resource being bounded, whatever the number of apps.
PASSWORD_WORK = PasswordWork()
