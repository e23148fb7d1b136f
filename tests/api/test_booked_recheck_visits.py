"""A recheck booked at the handover, kept (found by review): the recheck visit reception starts
for the client names the booking's journey, and once the client is checked in for it the
booking is kept and its reminder closed, recorded as a closing; only that client's booking, the
nearest of two, once however often the start is retried."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.roles import Role
from domain.store.aftercare import FollowUpTask, TaskChangeLog, TaskClosing
from domain.store.recheck_tasks import recheck_task_id
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_booked_rechecks import _hand_over

Clinic = Callable[[], Awaitable[JourneyDriver]]

KEPT = """
query Kept($id: ID!) {
  journey(id: $id) { ... on Journey { nextRecheckAt nextRecheckKeptBy linkedJourneyId } }
}
"""


async def _booked(driver: JourneyDriver, client: str, in_days: int) -> str:
    """A journey of `client` handed over, its recheck booked `in_days` ahead: its id."""
    journey = await driver.drive_to("HANDOVER", await driver.start(client))
    recheck = (datetime.now(UTC) + timedelta(days=in_days)).replace(microsecond=0)
    booking = _hand_over(journey["id"], nextRecheckAt=recheck.isoformat())
    handed = await driver.ok(documents.HAND_OVER, Role.NURSE, **booking)
    assert handed["stage"] == "FOLLOW_UP", handed
    return str(journey["id"])


async def _reminder(jid: str) -> FollowUpTask:
    return await FollowUpTask.get(id=recheck_task_id(decode_id(jid, "Journey") or ""))


async def _kept(driver: JourneyDriver, jid: str) -> dict[str, Any]:
    data = await driver.api.run(KEPT, driver.token(Role.FRONT_DESK), id=jid)
    return data["journey"]  # type: ignore[no-any-return]


async def test_the_recheck_visit_keeps_its_client_s_booking_once_the_client_is_in(
    fresh_clinic: Clinic,
) -> None:
    # Given two clients, each with a recheck booked at their handover in a week
    driver = await fresh_clinic()
    anna, other = await driver.register_client(), await driver.register_client("Ewa Lis")
    booked = await _booked(driver, anna, 7)
    others = await _booked(driver, other, 7)
    # When reception books Anna's recheck visit (she is not at the desk yet)
    visit = await driver.start(anna, recheck=True, checkedIn=False, idempotencyKey=new_key())
    # Then the visit names the journey whose handover booked it, and nothing is kept yet
    assert visit["visitCategory"] == "RECHECK"
    assert (await _kept(driver, visit["id"]))["linkedJourneyId"] == booked
    assert (await _reminder(booked)).status == "OPEN"
    assert (await _kept(driver, booked))["nextRecheckKeptBy"] is None
    # When she arrives and is checked in
    await driver.ok(documents.CHECK_IN, Role.FRONT_DESK, journeyId=visit["id"])
    # Then her booking is kept by the visit, still showing when it was booked for
    kept = await _kept(driver, booked)
    assert kept["nextRecheckKeptBy"] == visit["id"] and kept["nextRecheckAt"] is not None
    # And its reminder is done, closed by the desk with a closing row naming the visit
    reminder = await _reminder(booked)
    assert (reminder.status, reminder.linked_journey_id) == (
        "DONE",
        decode_id(visit["id"], "Journey"),
    )
    closing = await TaskClosing.get(task_id=reminder.id)
    assert closing.closed_by == driver.staff[Role.FRONT_DESK].account_id
    assert decode_id(visit["id"], "Journey") in closing.note
    # And the other client's booking stays to be kept, its reminder open
    assert (await _reminder(others)).status == "OPEN"
    assert (await _kept(driver, others))["nextRecheckKeptBy"] is None


async def test_a_walk_in_recheck_keeps_the_nearest_booking_once_however_often_retried(
    fresh_clinic: Clinic,
) -> None:
    # Given a client with two treatments, one recheck booked in two months, one in three days
    driver = await fresh_clinic()
    client = await driver.register_client()
    later = await _booked(driver, client, 60)
    sooner = await _booked(driver, client, 3)
    # When the client walks in for a recheck a day early, and the start is sent again under
    # its key (its answer lost)
    start = {"recheck": True, "idempotencyKey": new_key()}
    visit = await driver.start(client, **start)
    again = await driver.start(client, **start)
    # Then one visit keeps the nearest booking, early as it is; the later one is still to come
    assert again["id"] == visit["id"]
    assert (await _kept(driver, visit["id"]))["linkedJourneyId"] == sooner
    assert (await _kept(driver, sooner))["nextRecheckKeptBy"] == visit["id"]
    assert (await _kept(driver, later))["nextRecheckKeptBy"] is None
    assert (await _reminder(later)).status == "OPEN"
    # And its reminder was closed once: one closing, one change pushed
    reminder = await _reminder(sooner)
    assert reminder.status == "DONE"
    assert await TaskClosing.filter(task_id=reminder.id).count() == 1
    assert await TaskChangeLog.filter(task_id=reminder.id).count() == 1
