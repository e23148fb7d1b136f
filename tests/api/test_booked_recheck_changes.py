"""A recheck booked at the handover, after it (found by review): a correction of the booking
(`amendRecord` on the handover's record) moves what the journey shows and its reminder, checked
as `handOver` checks it, pushed live once; the reminder follows the journey's calls to whoever
makes them now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import TaskChangeLog
from domain.store.models import JourneyEvent, JourneyRecord
from domain.store.recheck_tasks import recheck_task_id
from schema import idempotency
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, consultants_call_their_clients, new_key
from tests.api.live import pushed_task, reading
from tests.api.test_booked_rechecks import _at, _booked, _hand_over, _rechecks

Clinic = Callable[[], Awaitable[JourneyDriver]]

AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { id correction } }
    ... on ValidationFailed { problems { field message } }
    ... on UserError { code message }
  }
}
"""
DAY = timedelta(hours=24)


async def _handed_over(driver: JourneyDriver, recheck: datetime | None) -> tuple[str, int]:
    """A journey handed over, booking `recheck`: its id, and its handover's seq."""
    jid = (await driver.drive_to("HANDOVER"))["id"]
    booking = {"nextRecheckAt": recheck.isoformat()} if recheck else {}
    handed = await driver.ok(documents.HAND_OVER, Role.NURSE, **_hand_over(jid, **booking))
    (handover,) = [e for e in handed["history"] if e["action"] == "hand_over"]
    return jid, handover["seq"]


def _correction(jid: str, seq: int, value: Any, key: str | None = None) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "seq": seq,
        "reason": "the client moved the recheck",
        "correction": {"next_recheck_at": value},
        "idempotencyKey": key or new_key(),
    }


async def _amend(driver: JourneyDriver, change: dict[str, Any]) -> dict[str, Any]:
    data = await driver.api.run(AMEND, driver.token(Role.NURSE), input=change)
    return data["amendRecord"]  # type: ignore[no-any-return]


async def _logged_changes(jid: str) -> int:
    the_task = recheck_task_id(decode_id(jid, "Journey"))
    return await TaskChangeLog.filter(task_id=the_task).count()


async def test_a_corrected_booking_moves_the_journey_s_recheck_and_its_reminder_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a recheck booked at the handover in two weeks, and follow-up staff watching
    driver = await fresh_clinic()
    booked = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    jid, seq = await _handed_over(driver, booked)
    moved = booked + timedelta(days=3)
    watch = driver.api.subscription(docs.TASKS_CHANGED, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # When the nurse who handed over corrects it to three days later, and the correction
        # is sent again under its key (its answer lost)
        change = _correction(jid, seq, moved.isoformat())
        first = await _amend(driver, change)
        again = await _amend(driver, change)
        # Then the reminder moves with it, a day before the new time, and watchers hear of it
        pushed = await pushed_task(pushes, kind="RECHECK", journeyId=jid)
    assert first["__typename"] == "AmendmentPayload", first
    assert again == first
    assert _at(pushed["dueAt"]) == moved - DAY
    # And the journey shows the recheck as corrected
    assert _at((await _booked(driver, jid))["nextRecheckAt"]) == moved
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF)
    assert _at(task["dueAt"]) == moved - DAY
    # And the retry moved nothing again: one change of the task logged
    assert await _logged_changes(jid) == 1
    # When another field of the record is corrected later
    other = {**_correction(jid, seq, None), "correction": {"aftercare": "no sauna for a week"}}
    assert (await _amend(driver, other))["__typename"] == "AmendmentPayload"
    # Then the booking stands as last corrected
    assert _at((await _booked(driver, jid))["nextRecheckAt"]) == moved
    assert await _logged_changes(jid) == 1


async def test_a_correction_whose_answer_was_lost_moves_the_reminder_once_on_retry(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a recheck booked at the handover
    driver = await fresh_clinic()
    booked = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    jid, seq = await _handed_over(driver, booked)
    # When its correction is written but the request dies before its answer is kept
    settle = idempotency.settle
    dying = [True]

    async def die_once(*args: Any, **kwargs: Any) -> None:
        if dying.pop() if dying else False:
            raise RuntimeError("the request died here")
        await settle(*args, **kwargs)

    monkeypatch.setattr(idempotency, "settle", die_once)
    moved = booked + timedelta(days=1)
    change = _correction(jid, seq, moved.isoformat())
    with pytest.raises(TransportQueryError):
        await _amend(driver, change)
    # And is sent again under its key
    answered = await _amend(driver, change)
    # Then it is answered with the one amendment, and the reminder moved once
    assert answered["__typename"] == "AmendmentPayload", answered
    journey = decode_id(jid, "Journey")
    assert await JourneyRecord.filter(journey_id=journey, amends_id__not_isnull=True).count() == 1
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF)
    assert _at(task["dueAt"]) == moved - DAY
    assert await _logged_changes(jid) == 1


async def test_a_correction_of_the_booking_is_checked_as_the_handover_was(
    fresh_clinic: Clinic,
) -> None:
    # Given a recheck booked at the handover
    driver = await fresh_clinic()
    booked = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    jid, seq = await _handed_over(driver, booked)
    handed_at = datetime.now(UTC)
    # When the booking is corrected to before the handover, past the bound, to no time or to
    # something that is not one
    for wrong in (
        (handed_at - timedelta(days=2)).isoformat(),
        (handed_at + timedelta(days=402)).isoformat(),
        None,
        "next Tuesday",
        14,
    ):
        refused = await _amend(driver, _correction(jid, seq, wrong))
        # Then the correction is refused on its field, and nothing is recorded
        assert refused["__typename"] == "ValidationFailed", (wrong, refused)
        assert [p["field"] for p in refused["problems"]] == ["correction"], refused
    assert _at((await _booked(driver, jid))["nextRecheckAt"]) == booked
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF)
    assert _at(task["dueAt"]) == booked - DAY


async def test_a_correction_to_a_time_already_past_is_refused_as_the_handover_would(
    fresh_clinic: Clinic,
) -> None:
    # Given a recheck booked at the handover, or none booked
    driver = await fresh_clinic()
    booked = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    for booking in (booked, None):
        jid, seq = await _handed_over(driver, booking)
        handover = await JourneyEvent.get(journey_id=decode_id(jid, "Journey"), seq=seq)
        # When the booking is corrected to a time after the handover but already past
        past = handover.at + timedelta(milliseconds=1)
        assert past < datetime.now(UTC)
        refused = await _amend(driver, _correction(jid, seq, past.isoformat()))
        # Then it is refused on its field, as `handOver` refuses a time not ahead, and nothing
        # is recorded: no amendment, no reminder opened or moved to fall due at once
        assert refused["__typename"] == "ValidationFailed", refused
        assert refused["problems"] == [
            {"field": "correction", "message": "next_recheck_at: a time still ahead"}
        ]
        journey = decode_id(jid, "Journey")
        assert not await JourneyRecord.filter(journey_id=journey, amends_id__not_isnull=True)
        shown = (await _booked(driver, jid))["nextRecheckAt"]
        assert (_at(shown) if shown else None) == booking
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF)
    assert _at(task["dueAt"]) == booked - DAY


async def test_a_booking_a_correction_adds_is_reminded(fresh_clinic: Clinic) -> None:
    # Given a handover that booked no recheck
    driver = await fresh_clinic()
    jid, seq = await _handed_over(driver, None)
    # When its record is corrected: a recheck was booked after all
    booked = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    added = await _amend(driver, _correction(jid, seq, booked.isoformat()))
    assert added["__typename"] == "AmendmentPayload", added
    # Then the journey shows it, and follow-up staff are reminded the day before
    assert _at((await _booked(driver, jid))["nextRecheckAt"]) == booked
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF)
    assert _at(task["dueAt"]) == booked - DAY


async def test_the_reminder_follows_the_calls_to_the_owner_when_the_clinic_says_so(
    fresh_clinic: Clinic,
) -> None:
    # Given a recheck booked at the handover, reminded by follow-up staff, who watch their list
    driver = await fresh_clinic()
    booked = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    jid, _ = await _handed_over(driver, booked)
    watch = driver.api.subscription(docs.TASKS_CHANGED, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # When the clinic has its consultants call their clients, and the journey's first
        # call falls due
        await consultants_call_their_clients(driver)
        await driver.wait_until_due(jid, 1)
        # Then the reminder leaves the follow-up staff's list with the call
        left = await pushes.next()
        while left["task"] is None or left["task"]["kind"] != "RECHECK":
            left = await pushes.next()
    assert left["change"] == "LEFT", left
    # And it is the journey's consultant's, as its call is
    owner = driver.staff[Role.CONSULTANT].account_id
    (task,) = await _rechecks(driver, Role.CONSULTANT)
    assert (task["journeyId"], task["assigneeId"]) == (jid, owner)
    assert _at(task["dueAt"]) == booked - DAY
    assert await _rechecks(driver, Role.FOLLOW_UP_STAFF) == []
