"""A database of its own for each test that breaks the audit trail to see the break caught: the
suite's shared database must keep chains that verify."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
from tortoise.context import TortoiseContext

from domain.store.db import tortoise_config
from tests.migration_templates import LATEST, MigrationTemplates


@pytest.fixture
async def scratch_database(migration_templates: MigrationTemplates) -> AsyncIterator[str]:
    """A new database on the suite's own server (SQLite: a new file), at the latest migration."""
    async with migration_templates.database_at(LATEST) as url:
        yield url


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[TortoiseContext]:
    """The models talk to `url` inside the block (and to the suite's database again after)."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        yield context
