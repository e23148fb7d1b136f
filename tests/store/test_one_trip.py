"""Transactions written as plans (`store.one_trip`): on SQLite the whole plan in one trip to the
connection's thread, on PostgreSQL statement by statement; on both, a plan's statements are
written all together or not at all, and the connection serves the next request after a failure."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Callable

import pytest
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.store.models import Clinic
from domain.store.one_trip import Plan, drive, in_one_trip
from domain.store.sql import is_postgres, marks

BOUND_SECONDS = 10


class PlanGaveUp(Exception):
    """Raised by a plan half-way, as a bug in one would be."""


def _clinics(
    connection: BaseDBAsyncClient,
    ids: list[str],
    between: Callable[[], None] = lambda: None,
) -> Plan[int]:
    """Inserts a clinic per id (all of one `_ids` call), calling `between` after the first;
    returns how many clinics of that call the transaction itself could read back before its
    commit."""
    postgres = is_postgres(connection)
    columns = "id, name, timezone, stage_slas"
    sql = f"INSERT INTO clinic ({columns}) VALUES ({', '.join(marks(postgres, 4))})"
    for n, clinic_id in enumerate(ids):
        yield sql, [clinic_id, f"clinic {n}", "Europe/Warsaw", "{}"]
        if n == 0:
            between()
    (mark,) = marks(postgres, 1)
    prefix = ids[0].rpartition("-")[0]
    rows = yield f"SELECT COUNT(*) AS seen FROM clinic WHERE id LIKE {mark}", [f"{prefix}-%"]
    return int(rows[0]["seen"])


def _ids(count: int) -> list[str]:
    """`count` clinic ids sharing a prefix no other call's ids share."""
    prefix = f"trip-{uuid.uuid4().hex[:8]}"
    return [f"{prefix}-{n}" for n in range(count)]


async def _written(ids: list[str]) -> list[str]:
    return sorted(await Clinic.filter(id__in=ids).values_list("id", flat=True))


def _sqlite_only() -> None:
    if is_postgres(Clinic._meta.db):
        pytest.skip("the one trip is SQLite's; PostgreSQL drives the plan statement by statement")


async def test_a_plan_writes_every_statement_and_reads_its_own_rows() -> None:
    # Given three clinics to write in one plan
    ids = _ids(3)
    # When the plan runs
    seen = await in_one_trip(Clinic, lambda connection: _clinics(connection, ids))
    # Then its last statement read what the first three wrote, and all three are there
    assert seen == 3
    assert await _written(ids) == ids


async def test_a_plan_that_fails_half_way_writes_nothing() -> None:
    ids = _ids(2)

    def give_up() -> None:
        raise PlanGaveUp

    # When the plan raises after its first insert
    with pytest.raises(PlanGaveUp):
        await in_one_trip(Clinic, lambda connection: _clinics(connection, ids, give_up))
    # Then the first insert is rolled back, and the next plan runs and commits
    assert await _written(ids) == []
    again = _ids(2)
    async with asyncio.timeout(BOUND_SECONDS):
        assert await in_one_trip(Clinic, lambda connection: _clinics(connection, again)) == 2


async def test_a_clash_is_tortoises_integrity_error_and_writes_nothing() -> None:
    # Given a clinic that is there already
    ids = _ids(2)
    await Clinic.create(id=ids[1], name="there first")
    # When a plan inserts another clinic and then one with the same id
    with pytest.raises(IntegrityError):
        await in_one_trip(Clinic, lambda connection: _clinics(connection, ids))
    # Then its first insert is rolled back with it
    assert await _written(ids) == [ids[1]]


async def test_a_plan_inside_an_open_transaction_is_part_of_it() -> None:
    ids, later = _ids(2), _ids(1)
    # When a plan runs inside a transaction that then fails (bounded: on SQLite, a plan that
    # asked for the lock its own transaction holds would wait for ever)
    with pytest.raises(PlanGaveUp):
        async with asyncio.timeout(BOUND_SECONDS), in_transaction():
            await in_one_trip(Clinic, lambda connection: _clinics(connection, ids))
            raise PlanGaveUp
    # Then the plan's rows went with the transaction (on SQLite it did not wait for the lock
    # its own transaction holds), and a plan driven in a transaction commits with it
    assert await _written(ids) == []
    async with asyncio.timeout(BOUND_SECONDS), in_transaction() as connection:
        assert await drive(connection, _clinics(connection, later)) == 1
    assert await _written(later) == later


async def test_on_sqlite_the_whole_plan_is_one_trip_to_the_connections_thread(
    sqlite_trips: list[str],
) -> None:
    trips = sqlite_trips
    ids = _ids(3)
    # When the same four statements run as a plan, and then as Tortoise's transaction
    assert await in_one_trip(Clinic, lambda connection: _clinics(connection, ids)) == 3
    as_plan = len(trips)
    trips.clear()
    async with in_transaction() as connection:
        assert await drive(connection, _clinics(connection, _ids(3))) == 3
    # Then the plan took one trip, where the transaction took one per statement and more
    assert as_plan == 1
    assert len(trips) >= 4 + 2


async def test_on_sqlite_a_plan_whose_caller_is_cancelled_still_ends_whole() -> None:
    _sqlite_only()
    ids = _ids(2)
    on_the_thread, go_on = threading.Event(), threading.Event()

    def hold() -> None:  # runs on the connection's thread, between the two inserts
        on_the_thread.set()
        go_on.wait(BOUND_SECONDS)

    # Given a plan stopped half-way on the connection's thread
    caller = asyncio.create_task(
        in_one_trip(Clinic, lambda connection: _clinics(connection, ids, hold))
    )
    assert await asyncio.to_thread(on_the_thread.wait, BOUND_SECONDS)
    # When its caller is cancelled, and a query asks for the connection meanwhile
    caller.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await caller
    query = asyncio.create_task(_written(ids))
    go_on.set()
    # Then the plan committed whole (the thread cannot be stopped half-way, and must not stop
    # holding a transaction open), and the connection serves the query
    async with asyncio.timeout(BOUND_SECONDS):
        assert await query == ids


async def test_a_plan_not_atomic_keeps_each_statement_it_ran() -> None:
    # Given a plan whose statements stand alone, that gives up after its first insert
    ids = _ids(2)

    def give_up() -> None:
        raise PlanGaveUp

    # When it runs with atomic=False
    with pytest.raises(PlanGaveUp):
        async with asyncio.timeout(BOUND_SECONDS):
            await in_one_trip(Clinic, lambda db: _clinics(db, ids, give_up), atomic=False)
    # Then what it ran before giving up stays, as it would have run alone, and the connection
    # serves the next plan
    assert await _written(ids) == ids[:1]
    later = _ids(1)
    assert await in_one_trip(Clinic, lambda db: _clinics(db, later), atomic=False) == 1
