"""The store suite runs on the session's real database (SQLite, or PostgreSQL under run_suites)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _database(database: str) -> str:
    return database
