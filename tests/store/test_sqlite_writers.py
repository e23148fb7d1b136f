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
    url = compat.sqlite_pragmas(f"sqlite://{tmp_path / 'shared.sqlite3'}")
    assert tortoise_config(f"sqlite://{tmp_path / 'x'}")["connections"]["default"].endswith(
        f"?synchronous={compat.SYNCHRONOUS}&busy_timeout={compat.BUSY_TIMEOUT_MS}"
        f"&recursive_triggers={compat.RECURSIVE_TRIGGERS}"
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


async def test_the_read_model_opens_in_wal_mode_syncing_at_checkpoints(
    two_writers: tuple[SqliteClient, SqliteClient],
) -> None:
    # Given a connection opened with the read model's pragmas
    first, _ = two_writers

    # When it is asked for its journal mode and sync level
    _, journal = await first.execute_query("PRAGMA journal_mode")
    _, sync = await first.execute_query("PRAGMA synchronous")

    # Then it logs ahead and syncs the log at checkpoints only (1 is NORMAL)
    assert [tuple(row) for row in journal] == [("wal",)]
    assert [tuple(row) for row in sync] == [(1,)]


def test_a_sync_level_named_in_the_url_is_kept() -> None:
    url = compat.sqlite_pragmas("sqlite:///data/read-model.sqlite3?synchronous=FULL")
    assert (
        url == "sqlite:///data/read-model.sqlite3?synchronous=FULL"
        f"&busy_timeout={compat.BUSY_TIMEOUT_MS}&recursive_triggers={compat.RECURSIVE_TRIGGERS}"
    )
    assert compat.sqlite_pragmas("postgres://db/glowpath") == "postgres://db/glowpath"
