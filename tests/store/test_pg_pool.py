"""The read model's PostgreSQL pool: a connection goes back without the reset round trip, and a
transaction left open is still rolled back when it does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from tortoise import connections

from domain.store.pg_pool import PooledConnection

pytestmark = pytest.mark.postgres

LAST_STATEMENT = "SELECT 'the last statement before release'"


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches the pool's server processes."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _backend(observer: asyncpg.Connection, pid: int) -> asyncpg.Record:
    row = await observer.fetchrow("SELECT query, state FROM pg_stat_activity WHERE pid = $1", pid)
    assert row is not None
    return row


async def test_a_released_connection_runs_nothing_after_the_last_statement(
    observer: asyncpg.Connection,
) -> None:
    # Given a connection from the read model's pool, whose last statement is ours
    async with connections.get("default").acquire_connection() as connection:
        assert isinstance(connection, PooledConnection)
        pid = connection.get_server_pid()
        await connection.fetchval(LAST_STATEMENT)
    # When it has gone back to the pool
    # Then its server process ran nothing after it (asyncpg's default sends a reset query)
    backend = await _backend(observer, pid)
    assert (backend["query"], backend["state"]) == (LAST_STATEMENT, "idle")


async def test_a_transaction_left_open_is_rolled_back_on_release(
    observer: asyncpg.Connection,
) -> None:
    # Given a connection from the pool released inside a transaction it began
    async with connections.get("default").acquire_connection() as connection:
        pid = connection.get_server_pid()
        await connection.execute("BEGIN")
        await connection.fetchval(LAST_STATEMENT)
        assert (await _backend(observer, pid))["state"] == "idle in transaction"
    # Then the pool rolled it back before anyone else could take the connection
    backend = await _backend(observer, pid)
    assert (backend["query"], backend["state"]) == ("ROLLBACK", "idle")
