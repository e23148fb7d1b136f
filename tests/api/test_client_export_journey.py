"""The client's own copy carries what DOMAIN.md's "The client file" names beyond her entries and
treatments: to whom her file was disclosed (`recordFileDisclosure`), the records of her journeys
from consultation to follow-up call, and her bills, payments and refunds. Each through the API
staff use, and a retry with the export's key is the same copy."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.client_file import export as client_file_export
from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from schema.ids import decode_id
from tests.api import consent_support, documents
from tests.api.client_file_support import EXPORT_CLIENT_FILE, export_file, write
from tests.api.flow import JourneyDriver, new_key
from tests.api.money_support import (
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { id } }
    ... on UserError { code message }
  }
}
"""
RECORD_DISCLOSURE = """
mutation Record($input: RecordFileDisclosureInput!) {
  recordFileDisclosure(input: $input) {
    __typename
    ... on FileDisclosurePayload { disclosure { id consentId recordedAt } }
    ... on UserError { code message }
  }
}
"""


async def _export(clinic: JourneyDriver, client: str, key: str) -> dict[str, Any]:
    result = await export_file(clinic, client, key)
    assert bundle_problems(result["fhirBundle"]) == []
    return result


async def _sign_sharing(clinic: JourneyDriver, jid: str) -> None:
    """The client signs a DATA_SHARING consent on a template of its own."""
    key = f"file-sharing-{uuid.uuid4().hex[:8]}"
    template = await consent_support.publish(
        clinic, key, kind="DATA_SHARING", procedureType="client-file"
    )
    await clinic.ok(
        documents.SIGN_CONSENT,
        Role.NURSE,
        journeyId=jid,
        kind="DATA_SHARING",
        signerName="Anna Nowak",
        templateId=key,
        templateVersion=str(template["version"]),
        rightsExplained=True,
    )


async def test_the_copy_lists_to_whom_her_file_was_disclosed(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client who signed a DATA_SHARING consent, and a disclosure of her file made on it
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    jid = await consent_support.at_consent(clinic, client)
    await _sign_sharing(clinic, jid)
    recorded = await write(
        clinic,
        RECORD_DISCLOSURE,
        Role.SUPERVISOR,
        clientId=client,
        recipientName="dr Jan Kowalski",
        recipientOrganisation="Klinika Dermatologii",
        purpose="a second opinion on the nodule",
        parts=["ALLERGIES", "TREATMENTS"],
        channel="REGISTERED_POST",
        idempotencyKey=new_key(),
    )
    assert recorded["__typename"] == "FileDisclosurePayload", recorded
    disclosure = recorded["disclosure"]
    # When a supervisor exports her file, and her file is disclosed again after that
    key = new_key()
    first = await _export(clinic, client, key)
    again = await write(
        clinic,
        RECORD_DISCLOSURE,
        Role.SUPERVISOR,
        clientId=client,
        recipientName="PZU insurance",
        purpose="a claim",
        parts=["BILLING"],
        channel="IN_PERSON",
        idempotencyKey=new_key(),
    )
    assert again["__typename"] == "FileDisclosurePayload", again
    # Then her copy says who received which parts, why, how, on which consent, and who recorded it
    (listed,) = first["file"]["disclosures"]
    assert {k: v for k, v in listed.items() if k not in ("at", "atLocal")} == {
        "id": disclosure["id"],
        "recipientName": "dr Jan Kowalski",
        "recipientOrganisation": "Klinika Dermatologii",
        "purpose": "a second opinion on the nodule",
        "parts": ["ALLERGIES", "TREATMENTS"],
        "channel": "REGISTERED_POST",
        "consentId": disclosure["consentId"],
        "custodianId": None,
        "by": clinic.staff[Role.SUPERVISOR].account_id,
        "authorRole": "SUPERVISOR",
    }
    assert decode_id(client, "Client") == first["file"]["clientId"]
    # And a retry with the key is the same copy byte for byte; a new export lists both
    retry = await _export(clinic, client, key)
    assert json.dumps(retry) == json.dumps(first)
    fresh = await _export(clinic, client, new_key())
    assert [d["recipientName"] for d in fresh["file"]["disclosures"]] == [
        "dr Jan Kowalski",
        "PZU insurance",
    ]
    # And past the bound on disclosures the copy is refused whole, never cut short
    monkeypatch.setattr(client_file_export, "MAX_DISCLOSURES", 1)
    over = await write(
        clinic, EXPORT_CLIENT_FILE, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key()
    )
    assert over["__typename"] == "ValidationFailed", over


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


async def _billed_and_paid(clinic: JourneyDriver, client: str) -> tuple[str, dict[str, Any]]:
    """Her journey from consultation to a confirmed bill paid in full: (journey, bill)."""
    item = await set_item(clinic, listPrice=eur("800.00"))
    journey, bill = await billed_journey(
        clinic, [{"priceItemId": item["id"]}], await clinic.start(client)
    )
    paid = await clinic.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "800.00", "FULL")
    )
    assert paid["stage"] == "TREATMENT"
    return journey["id"], bill


async def _part_given_back(clinic: JourneyDriver, jid: str) -> None:
    """After her treatment, a supervisor gives back part of her payment."""
    (paid,) = (await bill_of(clinic, jid))["payments"]
    refunded = await money_call(
        clinic,
        RECORD_REFUND,
        Role.SUPERVISOR,
        paymentId=paid["id"],
        amount=eur("100.00"),
        reason="the second syringe was not used",
        idempotencyKey=new_key(),
    )
    assert refunded["__typename"] == "RefundPayload", refunded


async def test_the_copy_carries_her_journey_from_consultation_to_follow_up_call(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client driven from consultation to her first follow-up call, billed and paid, part
    # of her payment given back, and her handover's aftercare corrected after it was written
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    jid, bill = await _billed_and_paid(clinic, client)
    for step in (clinic.start_treatment, clinic.complete_treatment, clinic.hand_over):
        journey = await step(jid)
    await _part_given_back(clinic, jid)
    handed = next(e for e in journey["history"] if e["action"] == "hand_over")
    corrected = await write(
        clinic,
        AMEND,
        Role.SUPERVISOR,
        journeyId=jid,
        seq=handed["seq"],
        reason="the make-up rule is for two days",
        correction={"aftercare": "no make-up for two days"},
        idempotencyKey=new_key(),
    )
    assert corrected["__typename"] == "AmendmentPayload", corrected
    await clinic.wait_until_due(jid, 1)
    await clinic.complete_follow_up(jid, "fu-1")
    # When a supervisor exports her file
    key = new_key()
    result = await _export(clinic, client, key)
    file, bundle = result["file"], result["fhirBundle"]
    journey_id = decode_id(jid, "Journey")
    # Then her copy has each record of the journey, who wrote it, and when
    (consultation,) = file["consultations"]
    assert consultation["journeyId"] == journey_id
    assert consultation["needs"]["goal"] == "look rested"
    assert consultation["assessment"]["physicalCondition"] == "good"
    (plan,) = consultation["plans"]
    assert (plan["price"], plan["risks"], plan["recovery"]) == (
        "1200.00",
        "bruising, swelling",
        "two days",
    )
    assert (consultation["by"], consultation["authorRole"]) == (
        clinic.staff[Role.CONSULTANT].account_id,
        "CONSULTANT",
    )
    (briefing,) = file["expertBriefings"]
    assert briefing["briefing"]["helpWanted"] == "confirm the plan"
    (review,) = file["expertReviews"]
    assert (review["decision"], review["points"]) == ("APPROVE", "volume in the cheeks, no lips")
    assert review["finalPlan"]["title"] == "Full-face rejuvenation"
    (checked,) = file["preTreatmentChecks"]
    assert checked["checks"]["pregnancyExcluded"] is True
    (handover,) = file["handovers"]
    assert handover["aftercare"].startswith("no make-up ")  # as first written
    assert handover["discomfort"]["callNow"] == "fever, severe pain"
    (amendment,) = handover["amendments"]
    assert amendment["correction"] == {"aftercare": "no make-up for two days"}
    (call,) = file["followUpCalls"]
    assert (call["followUpId"], call["outcome"], call["satisfaction"]) == ("fu-1", "REACHED", 5)
    assert call["authorRole"] == "FOLLOW_UP_STAFF"
    # And her bill, itemised, her payment against it and the refund
    (billed,) = file["bills"]
    assert (billed["id"], billed["total"], billed["currency"]) == (
        decode_id(bill["id"], "Bill"),
        "800.00",
        "EUR",
    )
    (line,) = billed["lines"]
    assert (line["name"], line["quantity"], line["lineTotal"]) == (
        "Hyaluronic acid, cheeks",
        1,
        "800.00",
    )
    assert billed["confirmation"]["signerName"] == "Anna Nowak"
    (paid,) = file["payments"]
    assert (paid["billId"], paid["kind"], paid["amount"]) == (billed["id"], "FULL", "800.00")
    (refund,) = file["refunds"]
    assert (refund["paymentId"], refund["amount"], refund["reason"]) == (
        paid["id"],
        "100.00",
        "the second syringe was not used",
    )
    # And the Bundle carries them as the resources they are, the handover as corrected
    (final_plan,) = [
        p
        for p in _resources(bundle, "CarePlan")
        if p["intent"] == "plan" and p.get("title") == "Full-face rejuvenation"
    ]
    assert final_plan["status"] == "unknown"
    (proposed,) = [p for p in _resources(bundle, "CarePlan") if p["intent"] == "proposal"]
    assert {"text": "price: 1200.00"} in proposed["note"]
    (aftercare,) = [p for p in _resources(bundle, "CarePlan") if p.get("title") == "aftercare"]
    assert aftercare["description"] == "no make-up for two days"
    assert len(_resources(bundle, "ClinicalImpression")) == 2
    (encounter,) = _resources(bundle, "Encounter")
    assert encounter["status"] == "finished"
    satisfaction = [o for o in _resources(bundle, "Observation") if "valueInteger" in o]
    assert [o["valueInteger"] for o in satisfaction] == [5]
    (invoice,) = _resources(bundle, "Invoice")
    assert invoice["totalGross"] == {"value": 800, "currency": "EUR"}
    reconciled = [r["paymentAmount"]["value"] for r in _resources(bundle, "PaymentReconciliation")]
    assert reconciled == [800, -100]
    # And a retry with the key is the same copy byte for byte
    retry = await _export(clinic, client, key)
    assert json.dumps(retry) == json.dumps(result)
    # And past a part's bound the copy is refused whole, never cut short
    for bound in ("MAX_JOURNEY_RECORDS", "MAX_FOLLOW_UP_CALLS", "MAX_BILLS", "MAX_REFUNDS"):
        with monkeypatch.context() as patched:
            patched.setattr(client_file_export, bound, 0)
            over = await write(
                clinic,
                EXPORT_CLIENT_FILE,
                Role.SUPERVISOR,
                clientId=client,
                idempotencyKey=new_key(),
            )
        assert over["__typename"] == "ValidationFailed", (bound, over)
