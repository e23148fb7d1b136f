"""The store suite runs on the session's real database (SQLite, or PostgreSQL under run_suites)."""

from __future__ import annotations

from typing import Any

import aiosqlite
import pytest
from tortoise import connections

from domain.store.sql import is_postgres


@pytest.fixture(autouse=True)
def _database(database: str) -> str:
    return database


@pytest.fixture
def sqlite_trips(_database: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every trip to SQLite's connection thread from here on, named by the function sent there.
    Skips the test on PostgreSQL, where every statement is a round trip of its own anyway."""
    if is_postgres(connections.get("default")):
        pytest.skip("the one trip is SQLite's; PostgreSQL runs a plan statement by statement")
    trips: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips
