"""Writes a plan does not read (`store.one_trip.Unread`): on PostgreSQL they ride with the plan's
next statement, or go together at its end; on both databases they are written all or nothing
with the rest of the plan."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.store.models import Clinic
from domain.store.one_trip import (
    MAX_PARAMETERS,
    Plan,
    Statement,
    Unread,
    drive,
    in_one_trip,
    together,
)
from domain.store.sql import is_postgres, marks


class Counted:
    """A connection that lists the statements sent through it."""

    def __init__(self, connection: BaseDBAsyncClient) -> None:
        self.connection, self.sent = connection, list[str]()
        self.capabilities = connection.capabilities

    async def execute_query_dict(self, sql: str, values: list[Any]) -> list[dict[str, Any]]:
        self.sent.append(sql)
        return await self.connection.execute_query_dict(sql, values)


def _ids(count: int) -> list[str]:
    prefix = f"unread-{uuid.uuid4().hex[:8]}"
    return [f"{prefix}-{n}" for n in range(count)]


def _insert(postgres: bool) -> str:
    columns = "id, name, timezone, stage_slas"
    return f"INSERT INTO clinic ({columns}) VALUES ({', '.join(marks(postgres, 4))})"


def _unread_then_read(postgres: bool, ids: Sequence[str], last: str | None) -> Plan[int]:
    """Inserts `ids` unread, then counts them (and inserts `last` unread, if given)."""
    for clinic_id in ids:
        yield Unread(_insert(postgres), [clinic_id, "unread", "Europe/Warsaw", "{}"])
    in_list = ", ".join(marks(postgres, len(ids)))
    rows = yield f"SELECT COUNT(*) AS seen FROM clinic WHERE id IN ({in_list})", list(ids)
    if last is not None:
        yield Unread(_insert(postgres), [last, "unread", "Europe/Warsaw", "{}"])
    return int(rows[0]["seen"])


async def _written(ids: Sequence[str]) -> list[str]:
    return sorted(await Clinic.filter(id__in=list(ids)).values_list("id", flat=True))


async def test_unread_writes_are_written_with_the_plan() -> None:
    # Given a plan of two unread inserts, a read, and a last unread insert
    *first, last = _ids(3)
    # When it runs
    await in_one_trip(Clinic, lambda db: _unread_then_read(is_postgres(db), first, last))
    # Then all three clinics are there
    assert await _written([*first, last]) == sorted([*first, last])


async def test_on_postgresql_unread_writes_ride_with_the_next_statement() -> None:
    if not is_postgres(Clinic._meta.db):
        pytest.skip("SQLite runs a whole plan in one trip to its thread")
    *first, last = _ids(3)
    # When the plan is driven in a transaction, its statements counted
    async with in_transaction() as connection:
        counted = Counted(connection)
        seen = await drive(counted, _unread_then_read(True, first, last))  # type: ignore[arg-type]
    # Then the two inserts went with the read, and the last insert alone at the end
    assert len(counted.sent) == 2
    assert (
        counted.sent[0].startswith("WITH unread_0 AS (INSERT") and "SELECT COUNT" in counted.sent[0]
    )
    # And the read shared their snapshot, so it did not see them (why a plan must not read
    # what an unread write before it wrote), though they were written
    assert seen == 0
    assert await _written([*first, last]) == sorted([*first, last])


async def test_without_folding_each_statement_is_its_own() -> None:
    if not is_postgres(Clinic._meta.db):
        pytest.skip("folding is PostgreSQL's")
    *first, last = _ids(3)
    async with in_transaction() as connection:
        counted = Counted(connection)
        plan = _unread_then_read(True, first, last)
        seen = await drive(counted, plan, fold=False)  # type: ignore[arg-type]
    assert len(counted.sent) == 4
    assert seen == 2


async def test_an_unread_write_that_fails_takes_the_plan_with_it() -> None:
    # Given a clinic that is there already
    *first, last = _ids(3)
    await Clinic.create(id=first[1], name="there first")
    # When a plan inserts it again, unread, among others
    with pytest.raises(IntegrityError):
        await in_one_trip(Clinic, lambda db: _unread_then_read(is_postgres(db), first, last))
    # Then nothing of the plan is written
    assert await _written([*first, last]) == [first[1]]


def test_parameters_are_numbered_on_and_a_statements_own_with_queries_kept() -> None:
    # Given two unread writes and a statement with a WITH query of its own
    unread = [
        Unread("UPDATE a SET x = $1 WHERE id = $2", [1, 2]),
        Unread("DELETE FROM b WHERE id = $1", [3]),
    ]
    statement = ("WITH moved AS (UPDATE h SET s = $1) SELECT $2", [4, 5])
    # Then they make one statement, the parameters in order
    sql, values = together(unread, statement)
    assert sql == (
        "WITH unread_0 AS (UPDATE a SET x = $1 WHERE id = $2), "
        "unread_1 AS (DELETE FROM b WHERE id = $3), moved AS (UPDATE h SET s = $4) SELECT $5"
    )
    assert values == [1, 2, 3, 4, 5]
    # And a statement with nothing before it goes as it is
    assert together([], statement) == (statement[0], statement[1])


def test_only_writes_ride_with_another_statement() -> None:
    # A SELECT as a WITH query nothing reads would never run: folding one is refused
    with pytest.raises(ValueError):
        together([Unread("SELECT pg_advisory_xact_lock($1)", [1])], ("SELECT 1", []))


async def test_a_statement_too_big_to_carry_its_unread_writes_goes_alone() -> None:
    # Given unread writes, then a statement that would take them past the parameter bound
    plan_statements: list[Statement] = [
        Unread("INSERT INTO a VALUES ($1)", [1]),
        (
            "INSERT INTO b VALUES " + ", ".join(f"(${n})" for n in range(1, MAX_PARAMETERS + 1)),
            list(range(MAX_PARAMETERS)),
        ),
    ]
    sent: list[int] = []

    class Recorder:
        capabilities = type("Capabilities", (), {"dialect": "postgres"})()

        async def execute_query_dict(self, sql: str, values: list[Any]) -> list[Any]:
            sent.append(len(values))
            return []

    def plan() -> Plan[None]:
        for statement in plan_statements:
            _rows = yield statement  # a plan is sent rows: `yield from` a list would refuse them

    # Then the unread write goes first on its own, and the big statement alone after it
    await drive(Recorder(), plan())  # type: ignore[arg-type]
    assert sent == [1, MAX_PARAMETERS]
