"""New databases at a given migration, copied from templates made once per session.

A test of a migration starts from a database as an older release left it; the API's start-up
refusal and the audit's scratch databases start from one at the latest migration. The ORM's
migrator rebuilds every model of its state for each call and each step (seconds a call on this
project's two cores, more on a loaded machine), so walking from an empty database for each test
took most of those tests' time. Each migration asked for is made once: a template at it is copied
from the template fewest steps away, below it or above it (the latest is always at hand), and
migrated forward or back the rest of the way, and every test's database is
a copy of a template (SQLite: the file, by SQLite's backup; PostgreSQL: `CREATE DATABASE ...
TEMPLATE`, which needs the template's connections closed, as they are once it is migrated).
On PostgreSQL under run_suites the run's template is the one at the latest migration.

The workers do not share the others: each is made when a test first asks for it, while the other
worker may be asking for the same one, so sharing them would take a lock between the processes
and a mark of a template made whole (a worker dying mid-migration leaves one half made), on both
kinds of database; the run's template is made before any worker starts.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from domain.store.db import apply_migrations, tortoise_config
from domain.store.schema_version import APP_LABEL, known_migrations

LATEST = f"{APP_LABEL}.{known_migrations()[-1]}"
# What a migration taken back costs against one taken forward: 2.3x to 3.2x, ten of the latest
# each way, on SQLite and on PostgreSQL.
BACK_STEP_COST = 3


def on_postgres(url: str) -> bool:
    return url.startswith(("postgres", "asyncpg", "psycopg"))


def _position(target: str) -> int:
    return known_migrations().index(target.removeprefix(f"{APP_LABEL}."))


class MigrationTemplates:
    """The session's templates, one a migration asked for, on the session's kind of database:
    SQLite files in `folder`, or databases on the session's PostgreSQL server."""

    def __init__(self, database_url: str, folder: Path, latest: str | None = None) -> None:
        """`latest`: a PostgreSQL database at the latest migration, to copy, never to connect to
        (tests/run_suites.py makes one for the run and drops it after)."""
        self._server = database_url
        self._folder = folder
        self._made: dict[str, str] = {}  # migration -> SQLite file or PostgreSQL database
        self._latest = latest if on_postgres(database_url) else None

    @contextlib.asynccontextmanager
    async def database_at(self, target: str) -> AsyncIterator[str]:
        """The URL of a new database at `target` (e.g. "models.0024_task_change"), dropped
        after the block."""
        template = await self._template(target)
        async with self._copy_of(template) as url:
            yield url

    @contextlib.asynccontextmanager
    async def migrated_to(self, target: str) -> AsyncIterator[dict[str, Any]]:
        """The ORM on a new database at `target`, for the block. Yields the configuration
        `migrate(config=...)` takes to run the rest."""
        async with self.database_at(target) as url:
            config = tortoise_config(url)
            async with TortoiseContext() as context:
                await context.init(config=config)
                yield config

    async def drop(self) -> None:
        """Drops PostgreSQL's templates (SQLite's go with the session's files)."""
        if on_postgres(self._server):
            for name in self._made.values():
                await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()

    async def _template(self, target: str) -> str:
        if target in self._made:
            return self._made[target]
        if target == LATEST and self._latest is not None:
            return self._latest
        origin = self._cheapest_origin(target)
        if origin == LATEST and LATEST not in self._made and self._latest is None:
            await self._template(LATEST)  # SQLite's: from the migrations' script, in one go
        start = self._origin_database(origin)
        template = await self._new(start)
        url = self._url(template)
        if start is None and target == LATEST:
            # A new SQLite database takes the migrations' script in one go
            await apply_migrations(url)
        else:
            config = tortoise_config(url)
            async with TortoiseContext() as context:
                await context.init(config=config)
                await migrate(config=config, target=target)
        self._made[target] = template
        return template

    def _cheapest_origin(self, target: str) -> str | None:
        """The migration of the template to make `target` from (None: an empty database): the
        one fewest steps away, a step back counted as `BACK_STEP_COST` (the migrator copies its
        whole state twice for each operation it takes back, once for one it takes forward). The
        latest is always at hand (the run's PostgreSQL template, or SQLite's script), so a
        database near it, as the one a release behind, is a step or two back instead of every
        migration forward."""
        here = _position(target)
        costs: dict[str | None, int] = {None: here + 1}
        for made in self._made:
            there = _position(made)
            costs[made] = here - there if there < here else BACK_STEP_COST * (there - here)
        at_hand = self._latest is not None or not on_postgres(self._server)
        if target != LATEST and LATEST not in costs and at_hand:
            costs[LATEST] = BACK_STEP_COST * (_position(LATEST) - here)
        return min(costs, key=lambda origin: costs[origin])

    def _origin_database(self, origin: str | None) -> str | None:
        if origin is None:
            return None
        if origin == LATEST and self._latest is not None:
            return self._latest
        return self._made[origin]

    @contextlib.asynccontextmanager
    async def _copy_of(self, template: str) -> AsyncIterator[str]:
        copy = await self._new(template)
        try:
            yield self._url(copy)
        finally:
            if on_postgres(self._server):
                await self._admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            else:
                Path(copy).unlink(missing_ok=True)

    async def _new(self, template: str | None) -> str:
        """A new database, a copy of `template` when given, else empty."""
        name = f"glowpath_migration_{secrets.token_hex(4)}"
        if on_postgres(self._server):
            # Named after the session's database, so a run drops those of a worker that died
            # with the rest of its databases (`<run>_%`, tests/run_suites.py).
            name = f"{urlsplit(self._server).path.lstrip('/')}_m{secrets.token_hex(4)}"
            copied = f' TEMPLATE "{template}"' if template else ""
            await self._admin(f'CREATE DATABASE "{name}"{copied}')
            return name
        path = str(self._folder / f"{name}.sqlite3")
        if template:
            with contextlib.closing(sqlite3.connect(template)) as source:
                with contextlib.closing(sqlite3.connect(path)) as copy:
                    source.backup(copy)
        return path

    def _url(self, database: str) -> str:
        if on_postgres(self._server):
            return urlunsplit(urlsplit(self._server)._replace(path=f"/{database}"))
        return f"sqlite://{database}"

    async def _admin(self, statement: str) -> None:
        parts = urlsplit(self._server)
        # Without the query: asyncpg would send the pool's settings (`maxsize`) to the server
        connection = await asyncpg.connect(urlunsplit(parts._replace(scheme="postgres", query="")))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()
