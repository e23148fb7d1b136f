"""Session-wide resources: a real database for every suite.

SQLite by default (a new file per session). ``GLOWPATH_TEST_DATABASE_URL`` points the suite at
another database instead; ``python -m tests.run_suites`` (``make test``) uses it to run the suite
a second time on a fresh PostgreSQL database: every test that uses the database (the others would
run exactly as before). Tests marked ``postgres`` run only there. Each pytest-xdist worker has a
database of its own: its own SQLite file, or a PostgreSQL database named after the run's and the
worker's (``glowpath_test_<random>_gw0``), dropped when the worker ends. It is a copy of the
database ``GLOWPATH_TEST_DATABASE_TEMPLATE`` names, at the latest migration (run_suites migrates
one for the run), or else a new database the session migrates from empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from domain.store.db import apply_migrations, close_db, init_db
from tests.clinic_day import wait_for_the_next_day
from tests.migration_states import replay_once
from tests.migration_templates import MigrationTemplates, on_postgres

pytest_plugins = ["tests.exit_bound"]

T = TypeVar("T")


def _explicit_url() -> str | None:
    return os.environ.get("GLOWPATH_TEST_DATABASE_URL", "").strip() or None


def _template() -> str | None:
    return os.environ.get("GLOWPATH_TEST_DATABASE_TEMPLATE", "").strip() or None


def pytest_report_header(config: pytest.Config) -> str:
    url = _explicit_url()
    if url is None:
        return "read-model database: SQLite, a new file for this session"
    parts = urlsplit(url)
    return f"read-model database: {parts.scheme}://{parts.hostname}:{parts.port}{parts.path}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    url = _explicit_url()
    if url is not None and on_postgres(url):
        # The PostgreSQL run repeats only what can differ there: a test that never asks for the
        # suite's database (pure rules, processes on their own SQLite) would run exactly as it
        # did on SQLite, so it runs once.
        unchanged = [item for item in items if "database_url" not in _fixtures(item)]
        if unchanged:
            config.hook.pytest_deselected(items=unchanged)
            items[:] = [item for item in items if "database_url" in _fixtures(item)]
    else:
        skip = pytest.mark.skip(reason="needs PostgreSQL (make test runs these on it)")
        for item in items:
            if item.get_closest_marker("postgres"):
                item.add_marker(skip)
    items[:] = long_files_first(items)


def long_files_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The files holding a long test first, each file's tests together and in their order.
    The workers take files in this order (`tests/run_suites.py`): a minute-long test taken
    last kept one worker busy while the other had nothing left."""
    long_files = {
        item.nodeid.split("::")[0]
        for item in items
        if item.get_closest_marker("slow") or "migration_templates" in _fixtures(item)
    }
    return sorted(items, key=lambda item: item.nodeid.split("::")[0] not in long_files)


def _fixtures(item: pytest.Item) -> list[str]:
    return list(getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    explicit = _explicit_url()
    if explicit is None:
        path: Path = tmp_path_factory.mktemp("db") / "glowpath-test.sqlite3"
        yield f"sqlite://{path}"
    elif not os.environ.get("PYTEST_XDIST_WORKER"):
        yield explicit
    elif on_postgres(explicit):
        # Each of the suite's workers has a database of its own, as each has its own SQLite file
        with worker_database(explicit, os.environ["PYTEST_XDIST_WORKER"], _template()) as url:
            yield url
    else:  # a SQLite file named by hand: one a worker, as two writers of one file lock it
        yield f"{explicit}.{os.environ['PYTEST_XDIST_WORKER']}"


@contextlib.contextmanager
def worker_database(url: str, worker: str, template: str | None = None) -> Iterator[str]:
    """A new database beside `url`'s, named after it and the worker, a copy of `template` when
    given, dropped after the block (`make test` drops it after the run as well, should the
    worker die first)."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    # Without the URL's query: asyncpg would send the pool's settings (`maxsize`) to the server
    admin = urlunsplit(parts._replace(scheme="postgres", query=""))
    # One a worker of an earlier run that died left, under a URL given by hand
    _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    copied = f' TEMPLATE "{template}"' if template else ""
    _admin(admin, f'CREATE DATABASE "{name}"{copied}')
    # A test's rows need not outlive a crash of the PostgreSQL server: a commit does not wait
    # for its WAL to reach the disk (about 1 ms a commit here, and a suite commits tens of
    # thousands of times). What a test sees is the same: only durability is given up.
    _admin(admin, f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    """Runs `statement` on a connection of its own."""

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    on_own_loop(run())


def on_own_loop(work: Coroutine[Any, Any, T]) -> T:
    """Runs `work` on a loop of its own: made current, as `asyncio.run` would, the loop would
    replace the one the session's async fixtures run on."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(work)
    finally:
        loop.close()


@pytest.fixture(scope="session", autouse=True)
def migrations_replayed_once() -> Iterator[None]:
    """The ORM's migrator replays each run of migrations once a process, not once a call
    (`tests.migration_states`): most of a migration test's time otherwise."""
    with replay_once():
        yield


@pytest.fixture(autouse=True)
def clear_of_the_clinics_midnight() -> None:
    """No test starts in the last minutes of the test clinics' day (`tests.clinic_day`): one
    about to waits, once a worker and a run, for the new day. Not a wait for anything the test
    does: the clock is the only thing that turns the day. A plain function, as it runs before
    every test: the session's event loop runs only while a test or an async fixture awaits, so
    nothing of the session's waits on it either."""
    wait = wait_for_the_next_day(datetime.now(UTC))
    if wait:
        time.sleep(wait.total_seconds())


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
    folder = tmp_path_factory.mktemp("migration-templates")
    templates = MigrationTemplates(database_url, folder, latest=_template())
    yield templates
    await templates.drop()
