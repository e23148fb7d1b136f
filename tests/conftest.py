"""Session-wide resources: a real database for every suite.

SQLite by default (a new file per session). ``GLOWPATH_TEST_DATABASE_URL`` points the suite at
another database instead; ``python -m tests.run_suites`` (``make test``) uses it to run the suite
a second time on a fresh PostgreSQL database: every test that uses the database (the others would
run exactly as before). Tests marked ``postgres`` run only there.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from domain.store.db import apply_migrations, close_db, init_db
from tests.migration_templates import MigrationTemplates

pytest_plugins = ["tests.exit_bound"]


def _explicit_url() -> str | None:
    return os.environ.get("GLOWPATH_TEST_DATABASE_URL", "").strip() or None


def pytest_report_header(config: pytest.Config) -> str:
    url = _explicit_url()
    if url is None:
        return "read-model database: SQLite, a new file for this session"
    parts = urlsplit(url)
    return f"read-model database: {parts.scheme}://{parts.hostname}:{parts.port}{parts.path}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    url = _explicit_url()
    if url is not None and url.startswith(("postgres", "asyncpg", "psycopg")):
        # The PostgreSQL run repeats only what can differ there: a test that never asks for the
        # suite's database (pure rules, processes on their own SQLite) would run exactly as it
        # did on SQLite, so it runs once.
        unchanged = [item for item in items if "database_url" not in _fixtures(item)]
        if unchanged:
            config.hook.pytest_deselected(items=unchanged)
            items[:] = [item for item in items if "database_url" in _fixtures(item)]
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (make test runs these on it)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def _fixtures(item: pytest.Item) -> list[str]:
    return list(getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    explicit = _explicit_url()
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


@pytest.fixture(scope="session")
async def migration_templates(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[MigrationTemplates]:
    """New databases at a given migration, on the session's kind of database
    (`tests.migration_templates`)."""
    templates = MigrationTemplates(database_url, tmp_path_factory.mktemp("migration-templates"))
    yield templates
    await templates.drop()
