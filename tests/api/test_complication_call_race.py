"""A complication called in while the treating doctor is being deactivated, on PostgreSQL (its
transactions run side by side under READ COMMITTED; SQLite has one writer at a time).

The deactivation holds the account's exclusive lock (`staff_locks.account_changing`) and has
moved the doctor's open tasks, not committed yet. `reportComplicationCall` must wait for it
before it chooses the doctor: a task it wrote naming the departed doctor, after the move, would
be on the list of nobody who still works there."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.departed_tasks import hand_on_tasks
from domain.store.models import StaffAccount
from schema.ids import decode_id
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_complication_calls import REPORT

pytestmark = pytest.mark.postgres

WAIT = 30.0  # seconds: bounded waits, generous for a loaded machine
_LOOK_AGAIN = 0.05  # seconds between two looks at the server's locks


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches who waits for whom."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


class Deactivation:
    """The doctor's deactivation as `update_account` writes it (the account's row, then its
    exclusive lock and its tasks handed on), held uncommitted until `commit`."""

    def __init__(self, account: StaffAccount) -> None:
        self.account = account
        self.holding = asyncio.Event()
        self._commit = asyncio.Event()
        self.pid = 0

    async def run(self) -> None:
        async with in_transaction() as connection:
            await StaffAccount.filter(id=self.account.id).update(active=False)
            await hand_on_tasks(str(self.account.id), self.account.clinic_id, Role.EXPERT, False)
            rows = await connection.execute_query_dict("SELECT pg_backend_pid() AS pid")
            self.pid = int(rows[0]["pid"])
            self.holding.set()
            await asyncio.wait_for(self._commit.wait(), timeout=WAIT)

    def commit(self) -> None:
        self._commit.set()


async def _waits_for_the_lock(
    observer: asyncpg.Connection, request: asyncio.Future[Any], holder: int
) -> bool:
    """True once a server process waits for an advisory lock `holder` holds; False when
    `request` ends first."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done, _ = await asyncio.wait({request}, timeout=_LOOK_AGAIN)
        if done:
            return False
        waiting = await observer.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND wait_event = 'advisory' AND $1 = ANY(pg_blocking_pids(pid))",
            holder,
        )
        if waiting:
            return True
    raise AssertionError(f"neither done nor waiting for the deactivation in {WAIT:.0f} s")


async def test_a_complication_called_in_as_its_doctor_leaves_goes_to_any_doctor(
    observer: asyncpg.Connection, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    # Given a treated client of a clinic whose one doctor approved and performed the treatment
    driver = await fresh_clinic()
    journey = await driver.drive_to("FOLLOW_UP")
    doctor = await StaffAccount.get(id=driver.staff[Role.EXPERT].account_id)
    # And the doctor's deactivation holding the account's lock, not committed
    deactivation = Deactivation(doctor)
    leaving = asyncio.ensure_future(deactivation.run())
    try:
        await asyncio.wait_for(deactivation.holding.wait(), timeout=WAIT)
        # When the client calls in with a complication
        report = {"journeyId": journey["id"], "note": "swelling", "idempotencyKey": new_key()}
        token = driver.token(Role.FRONT_DESK)
        request = asyncio.ensure_future(driver.api.run(REPORT, token, input=report))
        # Then the report waits for the deactivation before it chooses the doctor
        waited = await _waits_for_the_lock(observer, request, deactivation.pid)
    finally:
        deactivation.commit()
    await asyncio.wait_for(leaving, timeout=WAIT)
    taken = (await asyncio.wait_for(request, timeout=WAIT))["reportComplicationCall"]
    assert waited, "the report did not wait for the deactivation's lock"
    # And the complication is any doctor's, not the departed one's
    assert taken["__typename"] == "ComplicationCallTaken", taken
    assert taken["doctorId"] is None
    raw = decode_id(journey["id"], "Journey")
    (task,) = await FollowUpTask.filter(journey_id=raw, kind="COMPLICATION")
    assert (task.assignee_role, task.assignee_id) == ("EXPERT", None)
