"""Session-wide resources: a real database for every suite."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.store.db import apply_migrations, close_db, init_db


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    explicit = os.environ.get("GLOWPATH_TEST_DATABASE_URL")
    if explicit:
        return explicit
    path: Path = tmp_path_factory.mktemp("db") / "glowpath-test.sqlite3"
    return f"sqlite://{path}"


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[str]:
    await apply_migrations(database_url)
    await init_db(database_url)
    yield database_url
    await close_db()
