"""After-care beyond the first calls: a complication reported on a recheck's own call, and the
invitation a consultation that did not convert leaves its consultant (seed 003)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.models import IdempotencyKey
from domain.store.models import Journey as JourneyRow
from schema.aftercare import complication
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.test_aftercare import _tasks

CLOSE_NOT_CONVERTED = documents.action("closeNotConverted", "CloseJourneyInput")


async def test_a_complication_on_a_recheck_s_own_call_opens_another_recheck(
    driver: JourneyDriver,
) -> None:
    # Given a journey whose complication opened a recheck, the recheck treated and handed over,
    # both making their follow-up calls
    jid = await _first_call_due(driver)
    first = await _report_complication(driver, jid, "swelling growing since yesterday")
    recheck = first["recheckJourney"]
    await _treated(driver, recheck["id"])
    await driver.wait_until_due(recheck["id"], 1)
    # When a complication is reported on the recheck's own first call
    second = await _report_complication(driver, recheck["id"], "a lump where it was treated")
    # Then the call is closed and a new recheck opens from the recheck, though the journey it
    # came from still makes its calls
    assert second["journey"]["followUps"][0] == {"id": "fu-1", "status": "DONE"}
    another = second["recheckJourney"]
    assert another is not None and another["id"] != recheck["id"]
    assert (another["visitCategory"], another["linkedJourneyId"]) == ("RECHECK", recheck["id"])


async def test_a_client_in_after_care_comes_back_at_reception_while_the_calls_go_on(
    driver: JourneyDriver,
) -> None:
    # Seed 002 §5 follows a client up for a year after treatment; seed 004 registers them when
    # they come back within it: "顾客在医院完成项目的,再次来院(换药、输液、拆线等)均按照复查登记",
    # and one who bought before and comes for another item is a repeat purchase (再消费)
    client = await driver.register_client()
    treated = await driver.drive_to("FOLLOW_UP", await driver.start(client))

    # When the client comes back for a recheck while the treated journey makes its calls
    recheck = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client, recheck=True
    )
    # Then reception opens it, a recheck by the records
    assert recheck["__typename"] == "JourneyPayload", recheck
    assert recheck["journey"]["visitCategory"] == "RECHECK"
    # And while it is on its way, no third journey opens beside it
    third = await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, clientId=client)
    assert third["__typename"] == "ValidationFailed", third
    assert [p["field"] for p in third["problems"]] == ["clientId"]
    # When it ends and the client comes for another item, a repeat purchase opens
    await end_journey(driver, recheck["journey"]["id"])
    more = await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, clientId=client)
    assert more["__typename"] == "JourneyPayload", more
    assert more["journey"]["visitCategory"] == "REPEAT_PURCHASE"
    # And the treated journey still makes its calls
    assert (await driver.journey(treated["id"]))["stage"] == "FOLLOW_UP"
    await end_journey(driver, more["journey"]["id"])


async def _first_call_due(driver: JourneyDriver) -> str:
    """A journey handed over, its first follow-up call due: its id."""
    journey = await driver.drive_to("FOLLOW_UP")
    await driver.wait_until_due(journey["id"], 1)
    return str(journey["id"])


async def _treated(driver: JourneyDriver, recheck: str) -> None:
    """The recheck checked in, its doctor picked, treated and handed over."""
    await driver.ok(documents.CHECK_IN, Role.FRONT_DESK, journeyId=recheck)
    expert = driver.staff[Role.EXPERT].global_id
    await driver.ok(
        documents.ASSIGN_CONSULTANT, Role.FRONT_DESK, journeyId=recheck, consultantId=expert
    )
    for step in (driver.start_treatment, driver.complete_treatment, driver.hand_over):
        await step(recheck)


async def _report_complication(
    driver: JourneyDriver, jid: str, note: str, key: str | None = None
) -> dict[str, Any]:
    report = {
        "journeyId": jid,
        "followUpId": "fu-1",
        "note": note,
        "idempotencyKey": key or new_key(),
    }
    data = await driver.api.run(
        docs.REPORT_COMPLICATION, driver.token(Role.FOLLOW_UP_STAFF), input=report
    )
    reported = data["reportComplication"]
    assert reported["__typename"] == "ComplicationReported", reported
    return reported  # type: ignore[no-any-return]


async def test_a_consultation_that_did_not_convert_leaves_its_consultant_an_invitation(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a consultation recorded, and the journey closed as not converted
    driver = await fresh_clinic()
    journey = await driver.drive_to("CONSULTATION")
    await driver.consult(journey["id"])
    closed = await driver.act(
        CLOSE_NOT_CONVERTED, Role.CONSULTANT, journeyId=journey["id"], reason="thinking it over"
    )
    assert closed["__typename"] == "JourneyPayload", closed
    # Then the consultant has a task to invite the client back, due in a week
    (invitation,) = [t for t in await _tasks(driver, Role.CONSULTANT) if t["kind"] == "INVITATION"]
    assert invitation["journeyId"] == journey["id"] and invitation["status"] == "OPEN"
    assert invitation["assigneeId"] == driver.staff[Role.CONSULTANT].account_id
    due = datetime.fromisoformat(invitation["dueAt"])
    assert timedelta(days=6, hours=23) < due - datetime.now(UTC) <= timedelta(days=7)
    # And closes it by hand with what came of the call
    done = {"taskId": invitation["id"], "note": "booked for March", "idempotencyKey": new_key()}
    data = await driver.api.run(docs.COMPLETE_TASK, driver.token(Role.CONSULTANT), input=done)
    assert data["completeTask"]["task"]["status"] == "DONE", data


async def test_a_complication_task_closed_by_hand_stays_closed_when_its_recheck_ends(
    driver: JourneyDriver,
) -> None:
    # Given a complication whose doctor's task the doctor closed by hand, its recheck still open
    jid = await _first_call_due(driver)
    reported = await _report_complication(driver, jid, "swelling since yesterday")
    tasks = await _tasks(driver, Role.EXPERT)
    (task,) = [t for t in tasks if t["kind"] == "COMPLICATION" and t["journeyId"] == jid]
    done = {"taskId": task["id"], "note": "seen on the phone: fine", "idempotencyKey": new_key()}
    data = await driver.api.run(docs.COMPLETE_TASK, driver.token(Role.EXPERT), input=done)
    assert data["completeTask"]["task"]["status"] == "DONE", data
    # When the recheck ends (the client did not come)
    recheck = reported["recheckJourney"]["id"]
    await driver.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=recheck, reason="fine")
    # Then the task stays as the doctor closed it
    assert (await FollowUpTask.get(id=task["id"])).status == "DONE"


async def test_a_retried_complication_keeps_the_recheck_its_first_attempt_found(
    driver: JourneyDriver,
) -> None:
    # Given a complication served by the recheck a warranty claim had opened, whose answer was
    # lost; that recheck then treated (it serves no new complication from then on)
    journey = await driver.drive_to("FOLLOW_UP")
    jid = journey["id"]
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=jid)
    number = data["journey"]["warrantyCard"]["number"]
    claim = {"warrantyNumber": number, "reason": "asymmetry", "idempotencyKey": new_key()}
    claimed = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    recheck = claimed["claimWarranty"]["recheckJourney"]["id"]
    await driver.wait_until_due(jid, 1)
    key = new_key()
    first = await _report_complication(driver, jid, "swelling since yesterday", key)
    assert first["recheckJourney"]["id"] == recheck
    account = driver.staff[Role.FOLLOW_UP_STAFF].account_id
    assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1
    await _treated(driver, recheck)
    # When the complication is retried with its key
    again = await _report_complication(driver, jid, "swelling since yesterday", key)
    # Then it still names the recheck it was served by, and no other recheck opened
    assert again["recheckJourney"]["id"] == recheck
    client = (await JourneyRow.get(id=decode_id(jid, "Journey"))).client_id
    assert await JourneyRow.filter(client_id=client, visit_category="RECHECK").count() == 1


async def test_a_complication_retried_after_the_journey_moved_on_opens_its_recheck(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a complication whose call was recorded and whose process died before its recheck
    # opened
    client = await driver.register_client()
    jid = (await driver.drive_to("FOLLOW_UP", await driver.start(client)))["id"]
    await driver.wait_until_due(jid, 1)
    opened, calls = complication.open_linked_recheck, []

    async def dies_once(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the process died")
        return await opened(*args, **kwargs)

    monkeypatch.setattr(complication, "open_linked_recheck", dies_once)
    key = new_key()
    report = {"journeyId": jid, "followUpId": "fu-1", "note": "swelling", "idempotencyKey": key}
    token = driver.token(Role.FOLLOW_UP_STAFF)
    with pytest.raises(TransportQueryError):
        await driver.api.run(docs.REPORT_COMPLICATION, token, input=report)
    # And the journey moved on: its last call made (COMPLETED), the client back for a new visit
    await driver.wait_until_due(jid, 1)
    assert (await driver.complete_follow_up(jid, "fu-2"))["stage"] == "COMPLETED"
    await driver.start(client)
    # When the follow-up staff's app retries the complication twice with its key
    first = await driver.api.run(docs.REPORT_COMPLICATION, token, input=report)
    second = await driver.api.run(docs.REPORT_COMPLICATION, token, input=report)
    # Then the recheck opens beside the new visit, and both retries are answered alike with it
    assert first == second, (first, second)
    reported = first["reportComplication"]
    assert reported["__typename"] == "ComplicationReported", reported
    recheck = reported["recheckJourney"]
    assert (recheck["visitCategory"], recheck["linkedJourneyId"]) == ("RECHECK", jid)
    tasks = await _tasks(driver, Role.EXPERT)
    (task,) = [t for t in tasks if t["kind"] == "COMPLICATION" and t["journeyId"] == jid]
    assert task["linkedJourneyId"] == recheck["id"]
    raw = decode_id(client, "Client")
    assert await JourneyRow.filter(client_id=raw, visit_category="RECHECK").count() == 1
