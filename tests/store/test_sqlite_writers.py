"""Two processes writing one SQLite file (the API and the worker): a transaction that reads
before it writes must wait for the other writer, never fail with "database is locked"."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.backends.sqlite.client import SqliteClient

from domain.store import compat
from domain.store.db import tortoise_config


@pytest.fixture
async def two_writers(tmp_path: Path) -> AsyncIterator[tuple[SqliteClient, SqliteClient]]:
    """Two clients on one file, as two processes hold it: each its own connection."""
    url = compat.busy_timeout_pragmas(f"sqlite://{tmp_path / 'shared.sqlite3'}")
    assert tortoise_config(f"sqlite://{tmp_path / 'x'}")["connections"]["default"].endswith(
        f"busy_timeout={compat.BUSY_TIMEOUT_MS}"
    )
    path, _, pragmas = url.removeprefix("sqlite://").partition("?")
    options = dict(pair.split("=") for pair in pragmas.split("&"))
    first = SqliteClient(path, connection_name="first", **options)
    second = SqliteClient(path, connection_name="second", **options)
    await first.execute_script("CREATE TABLE seen (id INTEGER PRIMARY KEY, who TEXT NOT NULL)")
    yield first, second
    await first.close()
    await second.close()


async def test_a_read_then_write_transaction_waits_for_the_other_writer(
    two_writers: tuple[SqliteClient, SqliteClient],
) -> None:
    first, second = two_writers
    read_done, other_committed = asyncio.Event(), asyncio.Event()

    async def read_then_write() -> None:
        async with first._in_transaction() as connection:
            await connection.execute_query("SELECT count(*) FROM seen")
            read_done.set()
            # The other process writes while this transaction holds its snapshot (a bounded
            # wait: once this transaction holds the write lock, the other waits for its commit).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(other_committed.wait(), 0.5)
            await connection.execute_query("INSERT INTO seen (who) VALUES ('first')")

    async def write_meanwhile() -> None:
        await read_done.wait()
        await second.execute_query("INSERT INTO seen (who) VALUES ('second')")
        other_committed.set()

    # When both write, each once
    await asyncio.gather(read_then_write(), write_meanwhile())

    # Then both rows are there, in commit order: neither write was refused as "database is locked"
    _, rows = await first.execute_query("SELECT who FROM seen ORDER BY id")
    assert [row["who"] for row in rows] == ["first", "second"]
