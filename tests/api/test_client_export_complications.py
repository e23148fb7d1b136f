"""The client's own copy carries the complications she called in with after a treatment
(`reportComplicationCall`): in the JSON as `complicationCalls`, in the FHIR Bundle as a
Condition she asserted, named by the treatment's Procedure; and those she reported on one of
her follow-up calls (`reportComplication`), as `followUpComplications` and Conditions too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from domain.client_file import export as client_file_export
from domain.client_file.fhir import resource_id
from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from schema.ids import decode_id
from tests.api import documents
from tests.api.client_file_support import EXPORT_CLIENT_FILE, export_file, write
from tests.api.consent_support import new_key, publish, signing
from tests.api.flow import JourneyDriver, end_journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")
REPORT = """
mutation Report($input: ReportComplicationCallInput!) {
  reportComplicationCall(input: $input) {
    __typename
    ... on ComplicationCallTaken { reportId reportedAt recheckJourney { id } }
    ... on UserError { code message }
  }
}
"""
REPORT_ON_CALL = """
mutation Report($input: ReportComplicationInput!) {
  reportComplication(input: $input) {
    __typename
    ... on ComplicationReported { recheckJourney { id } }
    ... on UserError { code message }
  }
}
"""


def _assert_her_unconfirmed_complication(bundle: Any, condition_id: str, note: str) -> None:
    """The Bundle validates and holds one Condition, `condition_id`, saying `note`: asserted by
    the client, unconfirmed, and named by the treatment's Procedure as its complication."""
    assert bundle_problems(bundle) == []
    resources = [e["resource"] for e in bundle["entry"]]
    (condition,) = [r for r in resources if r["resourceType"] == "Condition"]
    assert condition["id"] == condition_id
    assert condition["code"] == {"text": note}
    assert condition["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    assert condition["asserter"] == {"reference": f"urn:uuid:{patient['id']}"}
    (procedure,) = [r for r in resources if r["resourceType"] == "Procedure"]
    assert procedure["complicationDetail"] == [{"reference": f"urn:uuid:{condition_id}"}]


async def _treated_client(clinic: JourneyDriver) -> tuple[str, str]:
    """A client treated in a journey whose follow-up calls are over: (client, journey)."""
    client = await clinic.register_client("Maria Nowak")
    await publish(clinic)
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    jid = journey["id"]
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    for step in (clinic.pay, clinic.start_treatment, clinic.complete_treatment, clinic.hand_over):
        await step(jid)
    await clinic.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=jid, reason="calls done")
    return client, jid


async def _call(clinic: JourneyDriver, role: Role, jid: str, note: str) -> dict[str, Any]:
    taken = await write(clinic, REPORT, role, journeyId=jid, note=note, idempotencyKey=new_key())
    assert taken["__typename"] == "ComplicationCallTaken", taken
    return taken


async def test_the_export_carries_the_complications_she_called_in_with(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treated client who called the desk with a complication after her calls were over
    clinic = await fresh_clinic()
    client, jid = await _treated_client(clinic)
    taken = await _call(clinic, Role.FRONT_DESK, jid, "lip blanching and pain since noon")
    # When the supervisor exports her file, and she calls the nurse again after that
    key = new_key()
    result = await export_file(clinic, client, key)
    later = await _call(clinic, Role.NURSE, jid, "a lump where the filler went")
    # Then her copy lists the call as of its moment: what she said, who took it, when, the recheck
    (call,) = result["file"]["complicationCalls"]
    journey = decode_id(jid, "Journey")
    recheck = decode_id(taken["recheckJourney"]["id"], "Journey")
    assert {k: v for k, v in call.items() if k not in ("at", "atLocal")} == {
        "id": taken["reportId"],
        "journeyId": journey,
        "note": "lip blanching and pain since noon",
        "recheckJourneyId": recheck,
        "by": clinic.staff[Role.FRONT_DESK].account_id,
        "authorRole": "FRONT_DESK",
    }
    assert datetime.fromisoformat(call["at"]) == datetime.fromisoformat(taken["reportedAt"])
    assert call["atLocal"]
    # And the Bundle validates, with the call as a Condition she asserted, unconfirmed, which
    # the treatment's Procedure names as its complication
    bundle = result["fhirBundle"]
    condition_id = resource_id("ComplicationCall", taken["reportId"])
    _assert_her_unconfirmed_complication(bundle, condition_id, "lip blanching and pain since noon")
    # And a retry with the key is the same copy, while a new export has the later call too
    retry = await export_file(clinic, client, key)
    assert (retry["file"], retry["fhirBundle"]) == (result["file"], bundle)
    fresh = await export_file(clinic, client, new_key())
    calls = fresh["file"]["complicationCalls"]
    assert [(c["id"], c["authorRole"]) for c in calls] == [
        (taken["reportId"], "FRONT_DESK"),
        (later["reportId"], "NURSE"),
    ]
    conditions = [
        e for e in fresh["fhirBundle"]["entry"] if e["resource"]["resourceType"] == "Condition"
    ]
    assert len(conditions) == 2
    for serving in {taken["recheckJourney"]["id"], later["recheckJourney"]["id"]}:
        await end_journey(clinic, serving)


async def test_the_export_carries_a_complication_she_reported_on_a_follow_up_call(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a treated client who reported a complication when her first follow-up call was due
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    jid = (await clinic.drive_to("FOLLOW_UP", await clinic.start(client)))["id"]
    await clinic.wait_until_due(jid, 1)
    note = "swelling under the left eye since yesterday"
    reported = await write(
        clinic,
        REPORT_ON_CALL,
        Role.FOLLOW_UP_STAFF,
        journeyId=jid,
        followUpId="fu-1",
        note=note,
        idempotencyKey=new_key(),
    )
    assert reported["__typename"] == "ComplicationReported", reported
    # When the supervisor exports her file
    key = new_key()
    result = await export_file(clinic, client, key)
    # Then her copy lists it: the call it came up on, what she said, who took the call, when
    (complication,) = result["file"]["followUpComplications"]
    assert {k: v for k, v in complication.items() if k not in ("id", "at", "atLocal")} == {
        "journeyId": decode_id(jid, "Journey"),
        "followUpId": "fu-1",
        "note": note,
        "by": clinic.staff[Role.FOLLOW_UP_STAFF].account_id,
        "authorRole": "FOLLOW_UP_STAFF",
        "amendments": [],
    }
    assert complication["id"] and complication["at"] and complication["atLocal"]
    assert result["file"]["complicationCalls"] == []
    # And the Bundle validates, with it as a Condition she asserted, unconfirmed, which the
    # treatment's Procedure names as its complication
    bundle = result["fhirBundle"]
    condition_id = resource_id("FollowUpComplication", complication["id"])
    _assert_her_unconfirmed_complication(bundle, condition_id, note)
    # And a retry with the key is the same copy
    retry = await export_file(clinic, client, key)
    assert (retry["file"], retry["fhirBundle"]) == (result["file"], bundle)
    # And past the copy's bound on them, the copy is refused rather than cut short
    monkeypatch.setattr(client_file_export, "MAX_FOLLOW_UP_COMPLICATIONS", 0)
    over = await write(
        clinic, EXPORT_CLIENT_FILE, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key()
    )
    assert over["__typename"] == "ValidationFailed", over
    await end_journey(clinic, reported["recheckJourney"]["id"])
