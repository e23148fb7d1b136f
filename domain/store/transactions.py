"""Transactions that give their connection back even when cancelled while they begin.

Tortoise's transaction takes its connection first (on SQLite the one connection's lock, on
PostgreSQL a connection from the pool) and then sends BEGIN. A task cancelled during that BEGIN
(a request past its time limit, an activity cancelled by its worker) leaves `__aenter__` by the
exception, so `__aexit__`, which would give the connection back, never runs: on SQLite every
later query of the process then waits for the lock forever, on PostgreSQL the pool is one
connection short for good. Here a start that fails is ended as a failed transaction is: rolled
back, and the connection given back.
"""

from __future__ import annotations

import contextlib
from types import TracebackType

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.transactions import in_transaction


class Transaction:
    """`tortoise.transactions.in_transaction()`, safe to cancel at any point: use it instead
    (`async with transaction() as connection:`)."""

    def __init__(self) -> None:
        self._context: TransactionContext = in_transaction()

    async def __aenter__(self) -> TransactionalDBClient:
        try:
            return await self._context.__aenter__()
        except BaseException as error:
            # The context keeps a `token` from the moment its connection is taken: before that
            # there is nothing to give back (and on SQLite the lock may be another task's).
            if getattr(self._context, "token", None) is not None:
                with contextlib.suppress(Exception):
                    await self._context.__aexit__(type(error), error, error.__traceback__)
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._context.__aexit__(exc_type, exc, traceback)


def transaction() -> Transaction:
    return Transaction()
