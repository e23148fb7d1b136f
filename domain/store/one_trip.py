"""Transactions of the hot paths, sent to SQLite in one trip to its connection's thread.

aiosqlite runs every statement on a thread of its own, so each statement is a trip there and
back: a queue, a wake-up, a callback into the event loop. That is about 120 µs on an idle loop
(more while the loop is busy) for statements SQLite runs in a few microseconds, and Tortoise
spends three trips on a transaction's BEGIN and COMMIT alone. A journey step's read-model write
was seven trips, an audit append six.

Such a transaction is written here as a *plan*: a generator that yields each statement with its
values and is sent back the statement's rows, so the logic that picks the next statement from the
last one's rows is written once for both databases. On SQLite the whole plan runs on the
connection's thread, from ``BEGIN IMMEDIATE`` to ``COMMIT``, in one trip, while the client's lock
keeps every other statement of the process out. On PostgreSQL (each statement a round trip to the
server in any case) and inside a transaction already open, the same plan is driven statement by
statement in an ordinary transaction. A plan only builds statements and reads rows: it may run on
another thread, so it awaits nothing and touches no event loop.

A plan of statements that need no transaction together (a read, then a write that stands on its
own) is sent with ``atomic=False``: one trip on SQLite all the same, each statement its own
transaction as it would be alone, and no BEGIN or COMMIT added on PostgreSQL.

A write whose rows the plan does not read is yielded as `Unread`. On PostgreSQL it then rides
with the plan's next statement, as a data-modifying WITH query of it, instead of a round trip of
its own; the plan's last ones go together in one statement. So a plan's trailing writes also
hold their locks (a shared counter's row, say) for one statement and the commit instead of a
round trip each. Statements sent together share one snapshot, and PostgreSQL runs them in an
order of its own: a statement must not read what an `Unread` one before it wrote, no two of them
may write the same row, and none may count on running before another.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from collections.abc import Callable, Generator, Sequence
from typing import Any, NamedTuple, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.models import Model
from tortoise.transactions import in_transaction

T = TypeVar("T")
Statement = tuple[str, Sequence[Any]]
# Yields statements, is sent each one's rows (read by column name), returns the result.
Plan = Generator[Statement, Sequence[Any], T]


class Unread(NamedTuple):
    """A write whose rows the plan does not read (it is sent none back): on PostgreSQL it goes
    with the plan's next statement."""

    sql: str
    values: Sequence[Any]


async def in_one_trip(
    model: type[Model],
    plan_for: Callable[[BaseDBAsyncClient], Plan[T]],
    *,
    atomic: bool = True,
    fold: bool = True,
) -> T:
    """Runs `plan_for(connection)` on `model`'s database, as one transaction unless `atomic` is
    False; its result. `fold=False` sends every statement on its own (to compare)."""
    connection = model._meta.db
    if isinstance(connection, SqliteClient) and not isinstance(connection, TransactionalDBClient):
        return await _on_sqlite_thread(connection, plan_for(connection), atomic)
    if not atomic:
        return await drive(connection, plan_for(connection), fold=fold)
    async with in_transaction(connection.connection_name) as transaction:
        return await drive(transaction, plan_for(transaction), fold=fold)


async def drive(connection: BaseDBAsyncClient, plan: Plan[T], *, fold: bool = True) -> T:
    """Runs `plan` statement by statement on `connection` (inside the caller's transaction),
    on PostgreSQL each `Unread` write with the statement after it unless `fold` is False."""
    fold = fold and connection.capabilities.dialect == "postgres"
    rows: Sequence[Any] | None = None
    unread: list[Statement] = []
    try:
        while True:
            statement = plan.send(rows)  # type: ignore[arg-type]  # None starts the plan
            if unread and _parameters(unread) + len(statement[1]) > MAX_PARAMETERS:
                await connection.execute_query_dict(*together(unread[:-1], unread[-1]))
                unread = []
            if fold and isinstance(statement, Unread):
                unread.append(statement)
                rows = []
                continue
            sql, values = together(unread, statement)
            unread = []
            # Rows for every statement: Tortoise's PostgreSQL client reads none back from an
            # INSERT .. RETURNING through `execute_query`.
            rows = await connection.execute_query_dict(sql, list(values))
    except StopIteration as done:
        if unread:
            await connection.execute_query_dict(*together(unread[:-1], unread[-1]))
        result: T = done.value
        return result


def _parameters(statements: Sequence[Statement]) -> int:
    return sum(len(values) for _, values in statements)


def together(unread: Sequence[Statement], statement: Statement) -> tuple[str, list[Any]]:
    """PostgreSQL's `statement` with the `unread` writes before it as WITH queries of its own,
    their parameters numbered on after one another's."""
    if not unread:
        return statement[0], list(statement[1])
    sql = _joined(tuple(sql for sql, _ in unread), statement[0])
    return sql, [*(v for _, written in unread for v in written), *statement[1]]


# A numbered parameter (no statement here quotes a dollar sign, or comments).
_MARK = re.compile(r"\$(\d+)")
_WITH = re.compile(r"^\s*WITH\s+", re.IGNORECASE)
# Only these run as WITH queries nothing reads (a SELECT there would never run at all), and
# only a plain one can be nested there.
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\s", re.IGNORECASE)
_RECURSIVE = re.compile(r"^\s*WITH\s+RECURSIVE\s", re.IGNORECASE)
# Both drivers bound the parameters of one statement (asyncpg at 32767): statements that would
# pass it together go apart.
MAX_PARAMETERS = 32_000


@functools.lru_cache(maxsize=256)
def _joined(unread: tuple[str, ...], statement: str) -> str:
    if not all(_WRITE.match(sql) for sql in unread) or _RECURSIVE.match(statement):
        raise ValueError(f"cannot send {unread} with {statement!r} as one statement")
    queries, offset = [], 0
    for n, sql in enumerate(unread):
        queries.append(f"unread_{n} AS ({_shifted(sql, offset)})")
        offset += _count(sql)
    body = _shifted(statement, offset)
    if _WITH.match(body):  # its own WITH queries follow ours
        return f"WITH {', '.join(queries)}, {_WITH.sub('', body, count=1)}"
    return f"WITH {', '.join(queries)} {body}"


def _shifted(sql: str, offset: int) -> str:
    return _MARK.sub(lambda mark: f"${int(mark.group(1)) + offset}", sql) if offset else sql


def _count(sql: str) -> int:
    return max((int(n) for n in _MARK.findall(sql)), default=0)


async def _on_sqlite_thread(client: SqliteClient, plan: Plan[T], atomic: bool) -> T:
    # The client's lock keeps out every other task's statements (and transactions) while the
    # plan runs. A caller cancelled meanwhile cannot stop the thread: the plan commits or rolls
    # back whole, and the statements queued after it run once it has.
    async with client.acquire_connection() as connection:
        try:
            run = _run_plan if atomic else _drive_here
            result: T = await connection._execute(run, connection._conn, plan)
            return result
        except sqlite3.IntegrityError as error:  # as Tortoise's own client reports them
            raise IntegrityError(error) from error
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error


def _run_plan(connection: sqlite3.Connection, plan: Plan[T]) -> T:
    """On the connection's thread: the plan between BEGIN IMMEDIATE (the write lock first, as
    every transaction of the project takes it: see `store.compat`) and COMMIT."""
    # No transaction can be open here (the client's lock is held, and Tortoise's own end theirs
    # before giving it back): should one be, BEGIN fails, and so does the plan, rather than
    # commit someone else's statements as Tortoise's BEGIN would.
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = _drive_here(connection, plan)
        connection.execute("COMMIT")
        return result
    except BaseException:
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the plan's own error is the one to tell
                connection.execute("ROLLBACK")
        raise


def _drive_here(connection: sqlite3.Connection, plan: Plan[T]) -> T:
    rows: list[Any] | None = None
    try:
        while True:
            sql, values = plan.send(rows)  # type: ignore[arg-type]
            rows = connection.execute(sql, values).fetchall()
    except StopIteration as done:
        result: T = done.value
        return result
