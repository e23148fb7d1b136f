"""A new SQLite database from the migrations' script (`store.sqlite_snapshot`): the script is
what the migrations make, a new database made from it is current and enforces what the
migrations enforce, and a database that holds anything still migrates one migration at a time.

The script is SQLite's own text for each object, as this SQLite version words it after the
migrations' ALTERs: should another version word one differently, the first test fails until the
script is written again with it (`make schema`)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext
from tortoise.exceptions import OperationalError

from domain.store import sqlite_snapshot
from domain.store.db import apply_migrations, migrated_connection, tortoise_config
from domain.store.schema_version import APP_LABEL, known_migrations
from tests.migration_templates import MigrationTemplates

# How long the other connection keeps its lock while the start tries, and the start's own time.
WRITER_HOLDS_SECONDS = 0.5
START_SECONDS = 30
REGENERATE = "the SQLite script is stale: run `make schema` and commit sqlite_schema.sql"


@pytest.fixture(autouse=True)
def _sqlite_session(database_url: str) -> None:
    """The script is SQLite's alone; and SQLite models set up beside the session's PostgreSQL
    ones would leave the ORM building SQLite's queries for the rest of the run."""
    if not database_url.startswith("sqlite"):
        pytest.skip("a new SQLite database's script: nothing to run on PostgreSQL")


async def _made_by_migrations(templates: MigrationTemplates) -> str:
    """The script of a database the migrations brought to the one before the last (the
    session's template, made by the migrations one by one, never by the script), then
    `apply_migrations`: a database that holds tables takes the migrations, never the script."""
    async with templates.database_at(f"{APP_LABEL}.{known_migrations()[-2]}") as url:
        async with migrated_connection(url) as db:
            return await sqlite_snapshot.script_of(db)


async def test_the_script_is_what_the_migrations_make(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database brought to the latest migration one migration at a time
    made = await _made_by_migrations(migration_templates)
    # Then the committed script makes the same schema and records the same migrations
    assert made == sqlite_snapshot.SCRIPT.read_text(), REGENERATE


async def test_a_new_database_from_the_script_is_current(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'new.sqlite3'}"
    # Given a new database made from the script
    async with migrated_connection(url) as db:
        made = await sqlite_snapshot.script_of(db)
    # When it is migrated again, and asked to take the script again
    async with migrated_connection(url) as db:
        again = await sqlite_snapshot.script_of(db)
        taken_again = await sqlite_snapshot.load_into_new(db)
        # Then nothing was left for the migrations to do, the script is not run on a database
        # that holds tables, and the tables refuse what the migrations' triggers refuse
        assert made == again == sqlite_snapshot.SCRIPT.read_text()
        assert not taken_again
        await db.execute_query(
            "INSERT INTO journey_record (id, journey_id, kind, body, author_id, created_at)"
            " VALUES ('r-1', 'j-1', 'note', '{}', 'a-1', '2026-01-01 00:00:00+00:00')"
        )
        with pytest.raises(OperationalError, match="append-only"):
            await db.execute_query("DELETE FROM journey_record WHERE id = 'r-1'")


async def test_two_starts_making_one_new_database_at_once_make_it_once(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'raced.sqlite3'}"
    # When two starts migrate one new database at once (each with a connection of its own)
    await asyncio.gather(apply_migrations(url), apply_migrations(url))
    # Then both succeed and the database is the script's, made once
    async with migrated_connection(url) as db:
        assert await sqlite_snapshot.script_of(db) == sqlite_snapshot.SCRIPT.read_text()


async def test_the_script_runs_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a script that fails half-way
    broken = tmp_path / "broken.sql"
    script = sqlite_snapshot.SCRIPT.read_text()
    half = script.index("\n\n", len(script) // 2)  # between two statements, not inside one
    broken.write_text(script[:half] + "\nCREATE TABLE broken (;\n" + script[half:])
    monkeypatch.setattr(sqlite_snapshot, "SCRIPT", broken)
    url = f"sqlite://{tmp_path / 'half.sqlite3'}"
    config = tortoise_config(url)
    # When a new database is given it
    async with TortoiseContext() as context:
        await context.init(config=config)
        with pytest.raises(OperationalError):
            await sqlite_snapshot.load_into_new(context.db())
        # Then it holds nothing: the next start makes it anew
        assert await sqlite_snapshot.is_empty(context.db())


async def test_a_start_meeting_another_writing_to_a_new_database_waits_for_it(
    tmp_path: Path,
) -> None:
    # Given a new database (still in SQLite's first journal mode) whose write lock another
    # connection holds: switching to WAL then fails at once, whatever the busy timeout
    path = tmp_path / "busy.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        # When a start opens it meanwhile
        start = asyncio.create_task(apply_migrations(f"sqlite://{path}"))
        # Then it waits instead of failing
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.shield(start), WRITER_HOLDS_SECONDS)
    finally:
        other.execute("COMMIT")
        other.close()
    # And once the other write is done, it makes the database
    await asyncio.wait_for(start, START_SECONDS)
    async with migrated_connection(f"sqlite://{path}") as db:
        assert await sqlite_snapshot.script_of(db) == sqlite_snapshot.SCRIPT.read_text()
