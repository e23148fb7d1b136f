"""Append-only tables kept so by the database itself: triggers refuse UPDATE and DELETE.

`AppendOnlyModel` refuses edits made through a model instance; these triggers refuse every
other path too (a queryset's `update()` or `delete()`, raw SQL, a console session), on SQLite
and on PostgreSQL. A migration protects a table with one operation:

    operations = [..., protect_tables("audit_log")]

The refusal is an integrity error (Tortoise's `IntegrityError` on both databases) whose
message names the table and the statement: "audit_log is append-only: UPDATE refused".

SQLite changes a table by rebuilding it (Tortoise's AlterField and RemoveField do), and a
rebuild drops the table's triggers: a migration that rebuilds a protected table protects it
again after the rebuild. The database owner can still drop a trigger on purpose; the triggers
stop mistakes and code paths that forgot the rule, not an administrator.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from tortoise.migrations.operations import RunSQL

SQLITE = "sqlite"
POSTGRES = "postgres"
_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_REFUSED = "is append-only:"
# One function serves every protected table; the trigger passes the table and the statement.
_PG_FUNCTION = "refuse_append_only_change"


def refusal_message(table: str, statement: str) -> str:
    return f"{table} {_REFUSED} {statement} refused"


def is_append_only_refusal(error: BaseException) -> bool:
    """True for the database's refusal to change an append-only row (either dialect)."""
    return _REFUSED in str(error)


def _checked(table: str) -> str:
    # Table names go into DDL as identifiers; only plain lower-case names are accepted.
    if not _TABLE_NAME.fullmatch(table):
        raise ValueError(f"not a plain table name: {table!r}")
    return table


def _sqlite(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_refuse_{verb.lower()}" BEFORE {verb} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{refusal_message(table, verb)}'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def _postgres(table: str) -> list[str]:
    # integrity_constraint_violation (23000): asyncpg and Tortoise report it as an integrity
    # error, as SQLite does for RAISE(ABORT). TRUNCATE skips DELETE triggers: refused too.
    function = f"""
        CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% {_REFUSED} % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$"""
    return [
        function,
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
        f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()",
        f'DROP TRIGGER IF EXISTS "{table}_append_only_truncate" ON "{table}"',
        f'CREATE TRIGGER "{table}_append_only_truncate" BEFORE TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()",
    ]


def append_only_sql(table: str, dialect: str) -> list[str]:
    """The statements that make `table` append-only on `dialect` ("sqlite" or "postgres")."""
    makers = {SQLITE: _sqlite, POSTGRES: _postgres}
    if dialect not in makers:
        raise NotImplementedError(f"append-only triggers are not written for {dialect}")
    return makers[dialect](_checked(table))


def drop_append_only_sql(table: str, dialect: str) -> list[str]:
    """The statements that undo `append_only_sql` (a migration's way back)."""
    table = _checked(table)
    if dialect == SQLITE:
        return [f'DROP TRIGGER IF EXISTS "{table}_refuse_{verb}"' for verb in ("update", "delete")]
    if dialect == POSTGRES:
        return [
            f'DROP TRIGGER IF EXISTS "{table}{suffix}" ON "{table}"'
            for suffix in ("_append_only", "_append_only_truncate")
        ]
    raise NotImplementedError(f"append-only triggers are not written for {dialect}")


class RunSQLForDialect(RunSQL):
    """`RunSQL` with statements per dialect, picked by the database the migration runs on.

    Each statement is executed on its own: Tortoise's SQLite editor splits a script on every
    semicolon, which would cut a trigger's body in two.
    """

    def __init__(
        self,
        sql: Mapping[str, Sequence[str]],
        reverse_sql: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(sql, reverse_sql)

    async def _run_sql(self, state_editor: Any, sqls: Any) -> None:
        dialect = state_editor.DIALECT
        if dialect not in sqls:
            raise NotImplementedError(f"this migration has no SQL for {dialect}")
        for statement in sqls[dialect]:
            if state_editor.collect_sql:
                state_editor.collected_sql.append(statement)
            else:
                await state_editor.client.execute_query(statement)


def counts_up_by_one(table: str, key: str, counter: str) -> RunSQLForDialect:
    """A migration operation that lets a counter row (`counter` per `key`) change only to the
    next number: an UPDATE to `counter + 1` of the same `key`; anything else (back, a jump, a
    DELETE, TRUNCATE) is refused as "`table` counts up by one: ... refused"."""
    table, key, counter = _checked(table), _checked(key), _checked(counter)
    refused = f"{table} counts up by one"
    next_only = f"NEW.{key} = OLD.{key} AND NEW.{counter} = OLD.{counter} + 1"
    function = f"""
        CREATE OR REPLACE FUNCTION {table}_counts_up() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {next_only} THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{refused}: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$"""
    postgres = [
        function,
        f'CREATE TRIGGER "{table}_counts_up" BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {table}_counts_up()",
        f'CREATE TRIGGER "{table}_counts_up_truncate" BEFORE TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_counts_up()",
    ]
    sqlite = [
        f'CREATE TRIGGER "{table}_counts_up_update" BEFORE UPDATE ON "{table}" '
        f"FOR EACH ROW WHEN NOT ({next_only}) "
        f"BEGIN SELECT RAISE(ABORT, '{refused}: UPDATE refused'); END",
        f'CREATE TRIGGER "{table}_counts_up_delete" BEFORE DELETE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{refused}: DELETE refused'); END",
    ]
    return RunSQLForDialect(
        {SQLITE: sqlite, POSTGRES: postgres},
        {
            SQLITE: [
                f'DROP TRIGGER IF EXISTS "{table}_counts_up_{v}"' for v in ("update", "delete")
            ],
            POSTGRES: [
                f'DROP TRIGGER IF EXISTS "{table}_counts_up" ON "{table}"',
                f'DROP TRIGGER IF EXISTS "{table}_counts_up_truncate" ON "{table}"',
                f"DROP FUNCTION IF EXISTS {table}_counts_up()",
            ],
        },
    )


def protect_tables(*tables: str) -> RunSQLForDialect:
    """A migration operation that makes each table append-only (reversible)."""
    return RunSQLForDialect(
        {d: [s for t in tables for s in append_only_sql(t, d)] for d in (SQLITE, POSTGRES)},
        {d: [s for t in tables for s in drop_append_only_sql(t, d)] for d in (SQLITE, POSTGRES)},
    )


def guard_function_dropped_going_back() -> RunSQLForDialect:
    """A migration operation that drops PostgreSQL's guard function on the way back, for the
    migration that made the first table append-only (0009). Going up it does nothing: each
    `protect_tables` makes the function again (`CREATE OR REPLACE`), and its way back drops
    only its triggers, which the function must outlive while another table's triggers call it.
    Put before that first `protect_tables`, it runs after it on the way back, once no trigger is
    left to call the function (PostgreSQL refuses to drop it while one is: no CASCADE)."""
    return RunSQLForDialect(
        {SQLITE: [], POSTGRES: []},
        {SQLITE: [], POSTGRES: [f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()"]},
    )


@contextlib.asynccontextmanager
async def guards_lifted(client: Any, table: str, dialect: str) -> AsyncIterator[None]:
    """The table's triggers dropped for the block and made again after it, on `client` (a
    migration's, in its one transaction): a migration filling a column it added to the rows an
    older release stored."""
    for statement in drop_append_only_sql(table, dialect):
        await client.execute_query(statement)
    yield
    for statement in append_only_sql(table, dialect):
        await client.execute_query(statement)
