"""The next recheck booked at the handover (DOMAIN.md step 8): checked, kept in the handover's
record and on the journey, and a reminder on the list of whoever makes the clinic's calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, consultants_call_their_clients, new_key

Clinic = Callable[[], Awaitable[JourneyDriver]]

BOOKED = """
query Booked($id: ID!) {
  journey(id: $id) { ... on Journey { stage nextRecheckAt history { action at details } } }
}
"""
TASKS = """
query Tasks($due: Boolean) {
  myTasks(first: 100, due: $due) {
    __typename
    ... on FollowUpTaskConnection { edges { node {
      id kind status journeyId followUpId dueAt assigneeRole assigneeId
    } } }
  }
}
"""
DISCOMFORT = {
    "normal": "mild swelling",
    "passes": "within three days",
    "callNow": "fever, severe pain",
    "selfCare": "cold compress",
    "activities": "no sauna for a week",
}


def _hand_over(jid: str, **extra: Any) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "aftercare": "no make-up until tomorrow",
        "discomfort": DISCOMFORT,
        "course": "AS_PLANNED",
        **extra,
    }


def _at(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


async def _rechecks(
    driver: JourneyDriver, role: Role, due: bool | None = None
) -> list[dict[str, Any]]:
    data = await driver.api.run(TASKS, driver.token(role), due=due)
    assert data["myTasks"]["__typename"] == "FollowUpTaskConnection", data
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return [node for node in nodes if node["kind"] == "RECHECK"]


async def _booked(driver: JourneyDriver, jid: str) -> dict[str, Any]:
    data = await driver.api.run(BOOKED, driver.token(Role.NURSE), id=jid)
    return data["journey"]  # type: ignore[no-any-return]


async def test_a_recheck_booked_at_the_handover_is_kept_and_reminded_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey at its handover, in a clinic whose follow-up staff make the calls
    driver = await fresh_clinic()
    jid = (await driver.drive_to("HANDOVER"))["id"]
    recheck = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    # When the doctor hands over with the suture removal booked in two weeks (sent in Warsaw's
    # time: the same moment)
    warsaw = recheck.astimezone(ZoneInfo("Europe/Warsaw")).isoformat()
    handover = _hand_over(jid, nextRecheckAt=warsaw, idempotencyKey=new_key())
    handed = await driver.ok(documents.HAND_OVER, Role.NURSE, **handover)
    # Then the journey goes on to its calls, and says when the recheck is
    assert handed["stage"] == "FOLLOW_UP"
    booked = await _booked(driver, jid)
    assert _at(booked["nextRecheckAt"]) == recheck
    (record,) = [e["details"] for e in booked["history"] if e["action"] == "hand_over"]
    assert _at(record["next_recheck_at"]) == recheck
    # And follow-up staff have it on their list, due the day before, not yet due now
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF)
    assert (task["journeyId"], task["status"], task["followUpId"]) == (jid, "OPEN", None)
    assert (task["assigneeRole"], task["assigneeId"]) == ("FOLLOW_UP_STAFF", None)
    assert _at(task["dueAt"]) == recheck - timedelta(hours=24)
    assert await _rechecks(driver, Role.FOLLOW_UP_STAFF, due=True) == []
    # When the same handover is sent again (its answer lost), and then under its key with
    # another time
    again = await driver.ok(documents.HAND_OVER, Role.NURSE, **handover)
    later = {**handover, "nextRecheckAt": (recheck + timedelta(days=1)).isoformat()}
    other = await driver.act(documents.HAND_OVER, Role.NURSE, **later)
    # Then the retry answers the first result, the other is a conflict: one reminder, as booked
    assert again["history"] == handed["history"]
    assert other["__typename"] == "Conflict", other
    reminders = await FollowUpTask.filter(journey_id=decode_id(jid, "Journey"), kind="RECHECK")
    assert [t.due_at for t in reminders] == [recheck - timedelta(hours=24)]
    # And whoever it reminded closes it by hand once the client is told
    done = {"taskId": task["id"], "note": "reminded, coming", "idempotencyKey": new_key()}
    closed = await driver.api.run(
        docs.COMPLETE_TASK, driver.token(Role.FOLLOW_UP_STAFF), input=done
    )
    assert closed["completeTask"]["task"]["status"] == "DONE", closed


async def test_a_recheck_booked_within_a_day_is_reminded_at_once(fresh_clinic: Clinic) -> None:
    # Given a journey at its handover
    driver = await fresh_clinic()
    jid = (await driver.drive_to("HANDOVER"))["id"]
    # When the recheck is booked for tomorrow morning, less than a day ahead
    recheck = (datetime.now(UTC) + timedelta(hours=20)).replace(microsecond=0)
    await driver.ok(
        documents.HAND_OVER, Role.NURSE, **_hand_over(jid, nextRecheckAt=recheck.isoformat())
    )
    # Then its reminder is due now (at the handover, not before it): on the list of what is due
    (task,) = await _rechecks(driver, Role.FOLLOW_UP_STAFF, due=True)
    booked = await _booked(driver, jid)
    (handed,) = [e for e in booked["history"] if e["action"] == "hand_over"]
    assert _at(task["dueAt"]) == _at(handed["at"])
    # And the journey still says when the recheck itself is
    assert _at(booked["nextRecheckAt"]) == recheck


async def test_a_clinic_whose_consultants_call_reminds_the_client_s_consultant(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic whose consultants call their own clients
    driver = await fresh_clinic()
    await consultants_call_their_clients(driver)
    jid = (await driver.drive_to("HANDOVER"))["id"]
    recheck = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    # When a recheck is booked at the handover
    await driver.ok(
        documents.HAND_OVER, Role.NURSE, **_hand_over(jid, nextRecheckAt=recheck.isoformat())
    )
    # Then the reminder is the consultant's, not follow-up staff's
    (task,) = await _rechecks(driver, Role.CONSULTANT)
    assert task["assigneeId"] == driver.staff[Role.CONSULTANT].account_id
    assert await _rechecks(driver, Role.FOLLOW_UP_STAFF) == []


async def test_a_recheck_in_the_past_or_years_ahead_is_refused_and_none_is_nothing(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey at its handover
    driver = await fresh_clinic()
    jid = (await driver.drive_to("HANDOVER"))["id"]
    now = datetime.now(UTC)
    # When the recheck sent is an hour ago, or 401 days ahead (a year typed for a month)
    for wrong in (now - timedelta(hours=1), now + timedelta(days=401)):
        handover = _hand_over(jid, nextRecheckAt=wrong.isoformat())
        refused = await driver.act(documents.HAND_OVER, Role.NURSE, **handover)
        # Then the handover is refused on that field, and nothing is handed over
        assert refused["__typename"] == "ValidationFailed", refused
        assert [p["field"] for p in refused["problems"]] == ["nextRecheckAt"], refused
    assert (await _booked(driver, jid))["stage"] == "HANDOVER"
    # When the handover books no recheck
    await driver.ok(documents.HAND_OVER, Role.NURSE, **_hand_over(jid))
    # Then the journey names none, and no one is reminded of one
    assert (await _booked(driver, jid))["nextRecheckAt"] is None
    assert await _rechecks(driver, Role.FOLLOW_UP_STAFF) == []


async def test_a_recheck_at_the_calendar_s_edge_is_refused_naming_its_field(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey at its handover
    driver = await fresh_clinic()
    jid = (await driver.drive_to("HANDOVER"))["id"]
    # When the recheck sent is a moment whose UTC time lies beyond the calendar (the last day of
    # year 9999 west of UTC, the first of year 1 east of it)
    for edge in ("9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"):
        input = _hand_over(jid, nextRecheckAt=edge)
        with pytest.raises(TransportQueryError) as refused:
            await driver.act(documents.HAND_OVER, Role.NURSE, **input)
        # Then the DateTime scalar refuses it, naming the field, not an unexpected error
        message = str(refused.value)
        assert "nextRecheckAt" in message and "DateTime cannot represent" in message, message
    assert (await _booked(driver, jid))["stage"] == "HANDOVER"
