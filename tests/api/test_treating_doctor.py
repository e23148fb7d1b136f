"""The treating doctor is the one who performed the treatment, not the expert who approved the
plan: a complication reported on a call goes to them (DOMAIN §9: "complication → escalate to the
doctor"; seed 002 §4.2 names the operating doctor, 操作医师), and the phone survey's answers
count for them. A correction of the treatment record's performer names who it really was."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from domain.store.models import StaffAccount
from server.seed import DEMO_PASSWORD
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Staff, clinic_month
from tests.api.sessions import new_account
from tests.api.test_aftercare import _tasks

AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) { __typename ... on UserError { code message } }
}
"""


async def _clinic_of(driver: JourneyDriver) -> str:
    return (await StaffAccount.get(id=driver.staff[Role.SUPERVISOR].account_id)).clinic_id


async def _second_doctor(driver: JourneyDriver) -> Staff:
    """Another doctor of the driver's clinic, signed in: not the one who approves its plans."""
    account = await new_account(Role.EXPERT, await _clinic_of(driver))
    data = await driver.api.run(
        documents.LOGIN, input={"username": account.username, "password": DEMO_PASSWORD}
    )
    answer = data["login"]
    assert answer["__typename"] == "LoginPayload", answer
    return Staff(
        account.account_id, answer["staff"]["id"], account.username, Role.EXPERT, answer["token"]
    )


async def _treated_by(driver: JourneyDriver, performer: Staff) -> dict[str, Any]:
    """A journey approved by the clinic's expert and treated by `performer`, in its calls."""
    journey = await driver.drive_to("TREATMENT")
    jid = journey["id"]
    await driver.start_treatment(jid)
    await driver.ok(
        documents.COMPLETE_TREATMENT,
        Role.NURSE,
        journeyId=jid,
        performerId=performer.global_id,
        procedure="fillers and toxin",
        products=[{"name": "Filler X", "lotNumber": "LOT-42", "dose": "1 ml"}],
    )
    return await driver.hand_over(jid)


async def _report(driver: JourneyDriver, jid: str, key: str) -> dict[str, Any]:
    report = {"journeyId": jid, "followUpId": "fu-1", "note": "swelling", "idempotencyKey": key}
    data = await driver.api.run(
        docs.REPORT_COMPLICATION, driver.token(Role.FOLLOW_UP_STAFF), input=report
    )
    answer = data["reportComplication"]
    assert answer["__typename"] == "ComplicationReported", answer
    return answer  # type: ignore[no-any-return]


async def _doctor_tasks(driver: JourneyDriver, doctor: Staff, jid: str) -> list[dict[str, Any]]:
    data = await driver.api.run(docs.MY_TASKS, doctor.token)
    return [e["node"] for e in data["myTasks"]["edges"] if e["node"]["journeyId"] == jid]


async def test_a_complication_and_the_survey_are_the_doctor_s_who_performed_the_treatment(
    fresh_clinic: Any,
) -> None:
    driver: JourneyDriver = await fresh_clinic()
    performer = await _second_doctor(driver)
    jid = (await _treated_by(driver, performer))["id"]
    await driver.wait_until_due(jid, 1)
    key = new_key()
    first = await _report(driver, jid, key)
    # The doctor who treated has it at once; the expert who approved the plan does not.
    (alert,) = await _doctor_tasks(driver, performer, jid)
    assert (alert["kind"], alert["assigneeRole"], alert["assigneeId"]) == (
        "COMPLICATION",
        "EXPERT",
        performer.account_id,
    )
    assert await _tasks(driver, Role.EXPERT) == []
    # A retry is answered as the first, and the task stays where it went.
    assert await _report(driver, jid, key) == first
    assert await _doctor_tasks(driver, performer, jid) == [alert]

    # The survey's answers count for the doctor who treated.
    scores = {"impression": 5, "trustInDoctor": 5, "priceJustified": 2, "quality": 4}
    survey = {"journeyId": jid, **scores, "idempotencyKey": new_key()}
    recorded = await driver.api.run(
        docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=survey
    )
    assert recorded["recordSurvey"]["alerted"], recorded
    results = await driver.api.run(
        docs.SURVEY_RESULTS,
        driver.token(Role.SUPERVISOR),
        clinicId=await _clinic_of(driver),
        month=clinic_month(),
    )
    assert results["surveyResults"]["byDoctor"] == [
        {"key": performer.account_id, "averages": {"responses": 1, "quality": 4.0}}
    ]


async def test_a_corrected_performer_is_the_treating_doctor(fresh_clinic: Any) -> None:
    driver: JourneyDriver = await fresh_clinic()
    approver = driver.staff[Role.EXPERT]
    performer = await _second_doctor(driver)
    # Recorded as treated by the approving expert, then corrected: the other doctor treated.
    journey = await _treated_by(driver, approver)
    jid = journey["id"]
    (treated,) = [e for e in journey["history"] if e["action"] == "complete_treatment"]

    async def amend(correction: dict[str, Any]) -> None:
        change = {"journeyId": jid, "seq": treated["seq"], "reason": "wrong doctor recorded"}
        data = await driver.api.run(
            AMEND,
            driver.token(Role.SUPERVISOR),
            input={**change, "correction": correction, "idempotencyKey": new_key()},
        )
        assert data["amendRecord"]["__typename"] == "AmendmentPayload", data

    await amend({"performer_id": performer.global_id})
    await amend({"notes": "a later correction that leaves the performer as corrected"})
    await driver.wait_until_due(jid, 1)
    await _report(driver, jid, new_key())
    (alert,) = await _doctor_tasks(driver, performer, jid)
    assert (alert["kind"], alert["assigneeId"]) == ("COMPLICATION", performer.account_id)
    assert await _doctor_tasks(driver, approver, jid) == []
