"""A complication or warranty claim of an earlier treatment while the client is on a new journey:
seed 002 §5 calls a treated client for a year, and seed 004 opens a new journey when they come
back within it (再消费, another item). A complication reported on such a call is escalated to the
doctor and a recheck booked (DOMAIN §9; seed 004: 对于发生并发症的患者,应及时采取有效措施进行治疗),
the recheck opening beside the new journey."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import Conflict
from domain.roles import Role
from domain.store.models import Journey as JourneyRow
from schema.aftercare import complication
from schema.errors import from_domain
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.test_aftercare import _tasks


async def test_a_complication_on_a_call_opens_a_recheck_beside_the_client_s_new_journey(
    driver: JourneyDriver,
) -> None:
    # Given a treated journey whose first call is due, and the client back at reception for
    # another item
    client, treated, new = await _back_for_another_item(driver)
    await driver.wait_until_due(treated, 1)
    # When the client reports a complication on that call
    reported = await _report(driver, treated, "fu-1", "swelling growing since yesterday")
    # Then the call is recorded, and a recheck opens beside the new journey
    assert reported["__typename"] == "ComplicationReported", reported
    assert reported["journey"]["followUps"][0] == {"id": "fu-1", "status": "DONE"}
    recheck = reported["recheckJourney"]
    assert (recheck["stage"], recheck["visitCategory"], recheck["linkedJourneyId"]) == (
        "RECEPTION",
        "RECHECK",
        treated,
    )
    # And the treating doctor has a task for it, naming the recheck
    doctor_tasks = await _tasks(driver, Role.EXPERT)
    (task,) = [t for t in doctor_tasks if t["kind"] == "COMPLICATION" and t["journeyId"] == treated]
    assert task["linkedJourneyId"] == recheck["id"]
    # And a complication on the next call is served by the same recheck
    await driver.wait_until_due(treated, 1)
    second = await _report(driver, treated, "fu-2", "still swollen")
    assert second["recheckJourney"]["id"] == recheck["id"], second
    assert await _rechecks(client) == 1
    # And the new journey goes on, unaffected, to its treatment and calls
    assert (await driver.drive_to("FOLLOW_UP", new))["visitCategory"] == new["visitCategory"]
    # And while the recheck is on its way reception opens no other journey for the client
    refused = await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, clientId=client)
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["clientId"]
    await end_journey(driver, recheck["id"])


async def test_a_warranty_claim_opens_a_recheck_beside_the_client_s_new_journey(
    driver: JourneyDriver,
) -> None:
    # Given a treated journey, and the client back at reception for another item
    client, treated, new = await _back_for_another_item(driver)
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=treated)
    number = data["journey"]["warrantyCard"]["number"]
    # When the client claims the treatment's warranty
    claim = {"warrantyNumber": number, "reason": "asymmetry", "idempotencyKey": new_key()}
    claimed = await _claim(driver, claim)
    # Then the claim is accepted, and a recheck opens beside the new journey
    assert claimed["__typename"] == "WarrantyClaimed", claimed
    recheck = claimed["recheckJourney"]
    assert (recheck["visitCategory"], recheck["linkedJourneyId"]) == ("RECHECK", treated)
    # And a retry with its key is answered as the first time
    assert await _claim(driver, claim) == claimed
    # And a complication reported on a call meanwhile is served by that recheck
    await driver.wait_until_due(treated, 1)
    reported = await _report(driver, treated, "fu-1", "swelling")
    assert reported["recheckJourney"]["id"] == recheck["id"], reported
    assert await _rechecks(client) == 1
    # And the new journey stands where it was
    assert (await driver.journey(new["id"]))["stage"] == new["stage"]
    for journey in (recheck["id"], new["id"]):
        await end_journey(driver, journey)


async def test_a_complication_refused_for_the_new_journey_is_recorded_on_its_retry(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a complication refused, nothing recorded, because the client was on a new journey
    # (as the release before this one did: its refusal was not kept as the key's answer)
    _, treated, new = await _back_for_another_item(driver)
    await driver.wait_until_due(treated, 1)
    recording = complication.run_recorded_action

    async def refused_as_before(*args: Any, **kwargs: Any) -> Any:
        async def refuse(_: JourneyRow) -> Any:
            return from_domain(Conflict("the client already has another active journey"))

        return await recording(*args, **{**kwargs, "before_update": refuse})

    monkeypatch.setattr(complication, "run_recorded_action", refused_as_before)
    key = new_key()
    first = await _report(driver, treated, "fu-1", "swelling", key)
    assert first["__typename"] == "Conflict", first
    monkeypatch.undo()
    # When the follow-up staff's app retries it with its key
    again = await _report(driver, treated, "fu-1", "swelling", key)
    # Then the complication is recorded and its recheck opens, and every retry answers so
    assert again["__typename"] == "ComplicationReported", again
    assert again["recheckJourney"]["linkedJourneyId"] == treated
    assert await _report(driver, treated, "fu-1", "swelling", key) == again
    for journey in (again["recheckJourney"]["id"], new["id"]):
        await end_journey(driver, journey)


async def _back_for_another_item(driver: JourneyDriver) -> tuple[str, str, dict[str, Any]]:
    """A client, their treated journey making its calls, and the new journey reception opened
    for them since (its id, as a journey)."""
    client = await driver.register_client()
    treated = await driver.drive_to("FOLLOW_UP", await driver.start(client))
    new = await driver.start(client)
    assert new["visitCategory"] == "REPEAT_PURCHASE", new
    return client, str(treated["id"]), new


async def _report(
    driver: JourneyDriver, jid: str, follow_up_id: str, note: str, key: str | None = None
) -> dict[str, Any]:
    report = {
        "journeyId": jid,
        "followUpId": follow_up_id,
        "note": note,
        "idempotencyKey": key or new_key(),
    }
    token = driver.token(Role.FOLLOW_UP_STAFF)
    data = await driver.api.run(docs.REPORT_COMPLICATION, token, input=report)
    return data["reportComplication"]  # type: ignore[no-any-return]


async def _claim(driver: JourneyDriver, claim: dict[str, Any]) -> dict[str, Any]:
    token = driver.token(Role.FRONT_DESK)
    data = await driver.api.run(docs.CLAIM_WARRANTY, token, input=claim)
    return data["claimWarranty"]  # type: ignore[no-any-return]


async def _rechecks(client: str) -> int:
    raw = decode_id(client, "Client")
    return await JourneyRow.filter(client_id=raw, visit_category="RECHECK").count()
