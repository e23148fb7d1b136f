"""Fixes to Tortoise ORM's database clients, applied on import.

1. ``ConnectionWrapper.__aenter__`` takes the client's lock and then opens the connection if
   there is none; when opening fails (the file's folder is gone, a disk error) the lock is never
   given back, so every later query waits forever and the process cannot recover when the file
   is back. The replacement releases the lock when opening fails.
2. Tortoise opens every transaction with a plain ``BEGIN`` (deferred): the transaction reads
   first and asks for the write lock at its first write. In WAL mode, if another process
   committed in between, that upgrade fails at once with "database is locked"
   (SQLITE_BUSY_SNAPSHOT): the busy timeout cannot help, since waiting would not make the
   transaction's snapshot current again. With the API and the worker as two processes on one
   file, the read-model writer and the audit append (both read, then write) failed this way
   under load. ``BEGIN IMMEDIATE`` takes the write lock first, waiting up to the busy timeout
   for another writer to finish; our transactions are short, so the wait is too.
3. A transaction takes its connection (SQLite: the one connection's lock, which every query
   takes too; PostgreSQL: a connection from the pool) and then sends BEGIN. A task cancelled
   during that BEGIN (a request past its time limit, an activity cancelled by its worker's
   shutdown; under ``BEGIN IMMEDIATE`` the wait for another process's write lock is right
   there) leaves ``__aenter__`` by the exception, and ``__aexit__``, which gives the connection
   back, never runs: on SQLite every later query of the process waits forever, on PostgreSQL
   the pool is one connection short for good. The replacement ends a start that fails as a
   failed transaction ends: rolled back, the connection given back. This covers Tortoise's own
   transactions too (``get_or_create``, ``update_or_create``).

4. Tortoise sets ``journal_mode=WAL`` on every SQLite connection it opens. On a database still in
   its first (rollback) journal mode, a write under way on another connection makes that switch
   fail at once with "database is locked": SQLite does not wait in the busy handler there, to
   avoid a deadlock. Two starts of a new database (the API and the worker on a fresh data
   directory) met it. The replacement opens the connection again after a short pause, for up
   to the busy timeout; once the file is in WAL mode the switch takes no lock at all.

``sqlite_pragmas`` sets, through the URL, the busy timeout that wait needs and the sync level
(see ``SYNCHRONOUS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.backends.base.client import (
    ConnectionWrapper,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

# How long a statement waits for another process's write lock before "database is locked".
BUSY_TIMEOUT_MS = 10_000
# Tortoise opens SQLite in WAL mode, where SQLite's default `synchronous=FULL` syncs the log to
# disk at every commit: a few milliseconds each, and one journey step through the API commits
# five times. NORMAL syncs only at checkpoints. What it trades: a commit survives a crash of the
# process (the log is in the OS's hands), but a power cut or an OS crash may undo the last
# commits before the latest checkpoint; the file is never corrupted. A deployment that must keep
# every acknowledged commit through power loss says `?synchronous=FULL` in its database URL
# (or runs PostgreSQL, as production does).
SYNCHRONOUS = "NORMAL"
# SQLite's REPLACE removes the row it clashes with without firing its DELETE trigger unless
# triggers are recursive: with them on, an `INSERT OR REPLACE` over an append-only row is
# refused like a DELETE (`domain.store.append_only`). A console session must set it itself.
RECURSIVE_TRIGGERS = "ON"


async def _enter_releasing_on_failure(self: ConnectionWrapper[Any]) -> Any:
    await self._lock.acquire()
    try:
        await self.ensure_connection()
    except BaseException:
        self._lock.release()
        raise
    return self.connection


Enter = Callable[[Any], Awaitable[Any]]


def _giving_back_on_failure(enter: Enter) -> Enter:
    async def enter_giving_back_on_failure(self: TransactionContext) -> Any:
        try:
            return await enter(self)
        except BaseException as error:
            # The context keeps a `token` from the moment its connection is taken: before that
            # there is nothing to give back (and on SQLite the lock may be another task's).
            if getattr(self, "token", None) is not None:
                with contextlib.suppress(Exception):
                    await self.__aexit__(type(error), error, error.__traceback__)
            raise

    return enter_giving_back_on_failure


async def _begin_immediate(self: SqliteTransactionWrapper) -> None:
    try:
        await self._connection.commit()
        await self._connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise TransactionManagementError(exc) from exc


def _with_param(url: str, name: str, value: object) -> str:
    if f"{name}=" in url:  # the URL's own choice wins
        return url
    return f"{url}{'&' if '?' in url else '?'}{name}={value}"


def sqlite_pragmas(url: str) -> str:
    """The database URL with the busy timeout, the sync level and recursive triggers set
    (SQLite only; any other URL unchanged; a value the URL names itself is kept, e.g.
    ``?synchronous=FULL``)."""
    if not url.startswith("sqlite://"):
        return url
    url = _with_param(url, "synchronous", SYNCHRONOUS)
    url = _with_param(url, "busy_timeout", BUSY_TIMEOUT_MS)
    return _with_param(url, "recursive_triggers", RECURSIVE_TRIGGERS)


_create_connection = SqliteClient.create_connection
# Between attempts to open a new database another connection is writing (fix 4).
_OPEN_AGAIN_AFTER_SECONDS = 0.02


async def _create_connection_waiting(self: SqliteClient, with_db: bool) -> None:
    give_up_at = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return await _create_connection(self, with_db)
        except sqlite3.OperationalError as error:
            if "database is locked" not in str(error) or time.monotonic() >= give_up_at:
                raise
            if self._connection is not None:  # opened, then refused the switch: open anew
                await self._connection.close()
                self._connection = None
        await asyncio.sleep(_OPEN_AGAIN_AFTER_SECONDS)


def apply() -> None:
    if (
        getattr(ConnectionWrapper.__aenter__, "__name__", "")
        != _enter_releasing_on_failure.__name__
    ):
        ConnectionWrapper.__aenter__ = _enter_releasing_on_failure  # type: ignore[method-assign]
    SqliteTransactionWrapper.begin = _begin_immediate  # type: ignore[method-assign]
    SqliteClient.create_connection = _create_connection_waiting  # type: ignore[method-assign]
    for context in (SqliteTransactionContext, TransactionContextPooled):
        enter = context.__aenter__
        if enter.__name__ != "enter_giving_back_on_failure":
            context.__aenter__ = _giving_back_on_failure(enter)  # type: ignore[method-assign,assignment]


apply()
