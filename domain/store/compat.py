"""A fix to Tortoise ORM's single-connection clients (SQLite) applied on import.

``ConnectionWrapper.__aenter__`` takes the client's lock and then opens the connection if there
is none; when opening fails (the file's folder is gone, a disk error) the lock is never given
back, so every later query waits forever and the process cannot recover when the file is back.
The replacement releases the lock when opening fails.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import ConnectionWrapper


async def _enter_releasing_on_failure(self: ConnectionWrapper[Any]) -> Any:
    await self._lock.acquire()
    try:
        await self.ensure_connection()
    except BaseException:
        self._lock.release()
        raise
    return self.connection


def apply() -> None:
    if (
        getattr(ConnectionWrapper.__aenter__, "__name__", "")
        != _enter_releasing_on_failure.__name__
    ):
        ConnectionWrapper.__aenter__ = _enter_releasing_on_failure  # type: ignore[method-assign]


apply()
