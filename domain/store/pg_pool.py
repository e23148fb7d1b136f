"""How the API and the worker pool their PostgreSQL connections (asyncpg through Tortoise).

Tortoise takes a connection from the pool for every statement outside a transaction, and asyncpg
by default sends a reset query (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET
ALL`) each time one goes back: every read-model statement cost two round trips, the second one a
write on the socket and a wake-up of the server process for nothing. Glowpath leaves nothing on
a connection (no SET, LISTEN, advisory lock held past its transaction or cursor outside one), so the
connection goes back as it is; asyncpg still rolls back a transaction left open.
"""

from __future__ import annotations

from typing import Any

from asyncpg.connection import Connection  # type: ignore[import-untyped]

ASYNCPG_ENGINE = "tortoise.backends.asyncpg"
# Tortoise's default is 5 per process: a journey step's transaction (the audit chain's row lock)
# can hold one while other requests queue behind it. 10 per process keeps 2 APIs and 2 workers
# at 40, well under PostgreSQL's default of 100 connections.
DEFAULT_POOL_SIZE = 10
_POOL_SIZE_PARAMETERS = ("maxsize", "max_size")


class PooledConnection(Connection):
    """A connection that goes back to the pool without the reset round trip."""

    def get_reset_query(self) -> str:
        return ""


def tune_pool(connection: dict[str, Any]) -> dict[str, Any]:
    """Tortoise's expanded connection, with the pool above when it is asyncpg's: a pool size in
    the URL (`?maxsize=20`) wins over the default."""
    if connection.get("engine") != ASYNCPG_ENGINE:
        return connection
    credentials = dict(connection["credentials"])
    credentials.setdefault("connection_class", PooledConnection)
    if not any(name in credentials for name in _POOL_SIZE_PARAMETERS):
        credentials["maxsize"] = DEFAULT_POOL_SIZE
    return {**connection, "credentials": credentials}
