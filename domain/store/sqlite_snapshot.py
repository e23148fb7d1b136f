"""A new SQLite database made by one script instead of its migrations, one by one.

Tortoise applies a migration by cloning its whole model state for every operation, so making a
new database through all of Glowpath's migrations costs about 5 s of CPU (cProfile: almost all
of it that cloning), on every first start of `glowpath dev`, in every test or benchmark that
makes a database, and while other processes wait on the machine. What they make is always the
same schema, so it is kept as the script that makes it, `sqlite_schema.sql`: the tables,
indexes, triggers and views the migrations leave, and the migrations' records as applied.

A SQLite database with nothing in it gets the script in one transaction, then the migrations
run as always: a migration added since the script was written applies one by one on top of it.
(A migration edited after the script was written is not seen that way: the test below fails
until the script is written again.) A database that holds anything is never given the script.
PostgreSQL keeps the migrations: its databases are made once, by `glowpath migrate`.
`tests/store/test_sqlite_snapshot.py` fails when the script is not what the migrations make;
`make schema` (`python -m domain.store.sqlite_snapshot`) writes it again.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import OperationalError

SCRIPT = Path(__file__).with_name("sqlite_schema.sql")
RECORDER_TABLE = "tortoise_migrations"
# Recorded as the migrations' recorder writes its own timestamps (`applied_at`).
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00'"
# Tables first, then what refers to them. SQLite's own objects (`sqlite_sequence`, the indexes
# of UNIQUE constraints, which have no SQL) come with the tables that make them.
_SCHEMA_QUERY = (
    "SELECT type, name, sql FROM sqlite_master"
    " WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL"
    " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END,"
    " rowid"
)
_HEADER = (
    "-- The schema Glowpath's migrations make in a new SQLite database, and their records.\n"
    "-- Written by `make schema` (`python -m domain.store.sqlite_snapshot`); not edited\n"
    "-- by hand (domain/store/sqlite_snapshot.py says when it is used).\n"
)


def is_sqlite(connection: BaseDBAsyncClient) -> bool:
    return connection.capabilities.dialect == "sqlite"


async def is_empty(connection: BaseDBAsyncClient) -> bool:
    _, rows = await connection.execute_query("SELECT count(*) AS n FROM sqlite_master")
    return int(rows[0]["n"]) == 0


async def load_into_new(connection: BaseDBAsyncClient) -> bool:
    """Runs the script on a SQLite database with nothing in it; False (nothing done) for any
    other database, or when there is no script."""
    if not is_sqlite(connection) or not SCRIPT.exists() or not await is_empty(connection):
        return False
    # One transaction: a database left half-made would be neither new nor migrated. A script
    # that stops at an error leaves its transaction open, so it is rolled back here (not by a
    # script: sqlite3 commits an open transaction before it runs one).
    try:
        await connection.execute_script(f"BEGIN IMMEDIATE;\n{SCRIPT.read_text()}\nCOMMIT;")
    except BaseException as error:
        await _roll_back(connection)
        if isinstance(error, OperationalError) and not await is_empty(connection):
            # Another process made the database meanwhile (this one waited for its lock, then
            # found the tables there): the migrations go on from what it made.
            return False
        raise
    return True


async def _roll_back(connection: BaseDBAsyncClient) -> None:
    try:
        await connection.execute_query("ROLLBACK")
    except OperationalError as error:
        # None is open when BEGIN itself failed (the lock not had in time); any other failure
        # would leave the half-made tables in an open transaction, so it is raised.
        if "no transaction is active" not in str(error):
            raise


async def script_of(connection: BaseDBAsyncClient) -> str:
    """The script that makes what `connection`'s database holds: its schema and the records
    of its applied migrations. Any other row would not be in it, so a migration that writes
    rows is refused here (the script would make another database)."""
    _, objects = await connection.execute_query(_SCHEMA_QUERY)
    statements = [f"{row['sql']};" for row in objects]
    for row in objects:
        if row["type"] == "table" and row["name"] != RECORDER_TABLE:
            _, filled = await connection.execute_query(f'SELECT 1 FROM "{row["name"]}" LIMIT 1')
            if filled:
                raise ValueError(f"the migrations leave rows in {row['name']}")
    _, applied = await connection.execute_query(
        f'SELECT app, name FROM "{RECORDER_TABLE}" ORDER BY id'
    )
    statements += [
        f'INSERT INTO "{RECORDER_TABLE}" (app, name, applied_at) VALUES'
        f" ({_text(row['app'])}, {_text(row['name'])}, {_NOW});"
        for row in applied
    ]
    return _HEADER + "\n" + "\n\n".join(statements) + "\n"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def script_from_migrations() -> str:
    """Makes a new database through every migration, one by one, and returns its script."""
    from domain.store.db import migrated_connection  # the set-up imports this module

    with tempfile.TemporaryDirectory() as folder:
        async with migrated_connection(f"sqlite://{folder}/schema.sqlite3", script=False) as db:
            return await script_of(db)


def main() -> None:
    SCRIPT.write_text(asyncio.run(script_from_migrations()))
    print(f"wrote {SCRIPT.name}")


if __name__ == "__main__":
    main()
