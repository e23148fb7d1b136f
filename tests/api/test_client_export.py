"""The client's own copy through the API: the whole file as JSON and as a FHIR Bundle that
validates, with the audit trail's earlier reads, and the export itself in the audit trail."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.client_file import export as client_file_export
from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from domain.store import administration
from domain.store.audit_models import AuditEntry
from domain.store.models import StaffAccount
from schema.ids import decode_id
from tests.api import documents
from tests.api.audit_support import raw_client
from tests.api.client_file_support import (
    ALLERGY,
    AMEND_CLIENT_IDENTITY,
    MARK_ENTERED_IN_ERROR,
    RECORD_ALLERGY,
    RECORD_MEDICAL_HISTORY,
    RECORD_MEDICATION,
    RECORD_PREGNANCY_STATUS,
    entry,
    nodes,
    write,
)
from tests.api.consent_support import WITHDRAW_CONSENT, new_key, publish, signing
from tests.api.flow import JourneyDriver, end_journey
from tests.api.harness import clinic_today
from tests.api.photo_support import (
    consenting_client,
    png,
    set_consent,
    sign_photo_consent,
    upload,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")

EXPORT = """
mutation Export($input: ExportClientFileInput!) {
  exportClientFile(input: $input) {
    __typename
    ... on ClientFileExportPayload { clientId asOf file fhirVersion fhirBundle }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""


async def _export(clinic: JourneyDriver, role: Role, **input: Any) -> dict[str, Any]:
    return await write(clinic, EXPORT, role, **input)


async def _client_with_a_file(clinic: JourneyDriver) -> str:
    """A signed consent and a treatment, then history, an allergy (one more entered in
    error), a medication, pregnancy and an amended name."""
    client = await clinic.register_client("Maria Nowak")
    await publish(clinic)
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    jid = journey["id"]
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    # Treated before the history below is taken, so no contraindication stands in the way
    for step in (clinic.pay, clinic.start_treatment, clinic.complete_treatment, clinic.hand_over):
        await step(jid)
    await clinic.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=jid, reason="export test done")
    history = {"topic": "EARLIER_TREATMENT", "description": "lips two years ago"}
    await entry(
        clinic,
        RECORD_MEDICAL_HISTORY,
        Role.CONSULTANT,
        clientId=client,
        **history,
        treatment="hyaluronic acid",
        treatedOn="2023-05-10",
        effect="lumps",
    )
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    wrong = await entry(
        clinic,
        RECORD_ALLERGY,
        Role.NURSE,
        clientId=client,
        substance="latex",
        reaction="rash",
        severity="MILD",
    )
    marked = await write(
        clinic,
        MARK_ENTERED_IN_ERROR,
        Role.NURSE,
        entryId=wrong["id"],
        reason="another client's allergy",
    )
    assert marked["__typename"] == "ClientEntryPayload", marked
    await entry(
        clinic, RECORD_MEDICATION, Role.EXPERT, clientId=client, name="isotretinoin", dose="20 mg"
    )
    await entry(
        clinic,
        RECORD_PREGNANCY_STATUS,
        Role.CONSULTANT,
        clientId=client,
        pregnant=False,
        lactating=True,
        statedOn=clinic_today().isoformat(),
    )
    amended = await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.FRONT_DESK,
        clientId=client,
        fullName="Maria Kowalska",
        reason="married",
    )
    assert amended["__typename"] == "ClientPayload", amended
    return client


async def test_the_export_carries_the_whole_file_a_valid_bundle_and_who_saw_it(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client with a file, whose allergies the expert has read
    clinic = await fresh_clinic()
    client = await _client_with_a_file(clinic)
    assert len(await nodes(clinic, client, "allergies", Role.EXPERT)) == 2
    raw = raw_client(client)
    # When a consultant asks for the copy, they are refused and nothing is recorded
    before = await AuditEntry.filter(client_id=raw).count()
    refused = await _export(clinic, Role.CONSULTANT, clientId=client, idempotencyKey=new_key())
    assert refused["__typename"] == "NotAuthorized", refused
    assert await AuditEntry.filter(client_id=raw).count() == before
    # When the supervisor exports it
    key = new_key()
    result = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert result["__typename"] == "ClientFileExportPayload", result
    copy, bundle = result["file"], result["fhirBundle"]
    # Then the JSON has the identity with its amendment and every entry, the marked one too
    assert copy["identity"]["fullName"] == "Maria Kowalska"
    assert copy["identity"]["registered"]["fullName"] == "Maria Nowak"
    assert [a["reason"] for a in copy["identity"]["amendments"]] == ["married"]
    assert [h["treatment"] for h in copy["medicalHistory"]] == ["hyaluronic acid"]
    allergies = {a["substance"]: a for a in copy["allergies"]}
    assert allergies["latex"]["enteredInError"]["reason"] == "another client's allergy"
    assert allergies["lidocaine"]["inForce"] is True
    assert [m["dose"] for m in copy["medications"]] == ["20 mg"]
    assert copy["pregnancyStatements"][0]["lactating"] is True
    (consent,) = copy["consents"]
    assert (consent["language"], consent["capacity"], consent["withdrawn"]) == (
        "ru",
        "CLIENT",
        None,
    )
    assert len(consent["template"]["sha256"]) == 64
    (treatment,) = copy["treatments"]
    assert treatment["products"] == [
        {"name": "Filler X", "lotNumber": "LOT-42", "dose": "1 ml", "bodyArea": None}
    ]
    # And the FHIR Bundle validates and holds each kind of resource
    assert result["fhirVersion"] == "4.3.0"
    assert bundle_problems(bundle) == []
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Procedure") == 2  # the earlier treatment and the one performed here
    assert kinds.count("AllergyIntolerance") == 2  # the latex one marked entered-in-error
    types = sorted(set(kinds))
    assert types == [
        "AllergyIntolerance",
        "CarePlan",  # the plans proposed and approved, the aftercare
        "ClinicalImpression",  # the consultation and the expert's review
        "Consent",
        "MedicationStatement",
        "Observation",
        "Patient",
        "PaymentReconciliation",  # her payment
        "Procedure",
        "ServiceRequest",  # the consultant's briefing for the expert
    ]
    # And the earlier reads are in "who saw my file", with the reader's name and role
    who = copy["whoSawMyFile"]
    reads = [(e["action"], e["actorRole"]) for e in who["entries"] if e["kind"] == "READ"]
    assert ("client.allergies.read", "EXPERT") in reads
    assert who["total"] == who["included"] == before
    expert = next(e for e in who["entries"] if e["action"] == "client.allergies.read")
    assert expert["actorId"] == clinic.staff[Role.EXPERT].account_id and expert["actorName"]
    # And the export left its own audit entry
    export_rows = await AuditEntry.filter(client_id=raw, action="client.file_export.read")
    assert [(r.actor_role, r.actor_id) for r in export_rows] == [
        ("SUPERVISOR", clinic.staff[Role.SUPERVISOR].account_id)
    ]
    # When the file grows and the export is retried with its key, the first copy comes back
    await entry(clinic, RECORD_MEDICATION, Role.EXPERT, clientId=client, name="aspirin")
    again = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert (again["asOf"], again["file"], again["fhirBundle"]) == (result["asOf"], copy, bundle)
    # And the key used for another client is a Conflict
    other = await clinic.register_client("Ewa Lis")
    reused = await _export(clinic, Role.SUPERVISOR, clientId=other, idempotencyKey=key)
    assert reused["__typename"] == "Conflict", reused
    # And a fresh export has the new medication and the earlier export among the reads
    fresh = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())
    assert [m["name"] for m in fresh["file"]["medications"]] == ["isotretinoin", "aspirin"]
    actions = [e["action"] for e in fresh["file"]["whoSawMyFile"]["entries"]]
    assert actions.count("client.file_export.read") == 2  # the first and its retry


async def test_the_export_shows_what_the_photos_may_be_used_for_given_and_withdrawn(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who signed a paper PHOTO consent for her record and marketing
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    jid = journey["id"]
    await sign_photo_consent(clinic, jid, ["CLINICAL_RECORD", "MARKETING"])
    # And withdrew it, then allowed teaching at the desk
    await clinic.ok(WITHDRAW_CONSENT, Role.FRONT_DESK, journeyId=jid, kind="PHOTO")
    await set_consent(clinic, client, "TEACHING", True)
    # When the supervisor exports her file
    result = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())
    assert result["__typename"] == "ClientFileExportPayload", result
    # Then her copy says what was given and withdrawn, by whom, oldest first
    changes = result["file"]["photoConsents"]
    given = [(c["purpose"], c["given"], c["authorRole"]) for c in changes]
    assert sorted(given[:2]) == [("CLINICAL_RECORD", True, "NURSE"), ("MARKETING", True, "NURSE")]
    assert sorted(given[2:4]) == [
        ("CLINICAL_RECORD", False, "FRONT_DESK"),
        ("MARKETING", False, "FRONT_DESK"),
    ]
    assert given[4:] == [("TEACHING", True, "FRONT_DESK")]
    assert all(c["at"] and c["atLocal"] and c["by"] for c in changes)
    await end_journey(clinic, jid)


async def test_the_export_lists_her_photos_as_of_its_moment_without_the_images(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client photographed before her treatment by the nurse and after by the expert
    clinic, client, tags = await consenting_client(fresh_clinic)
    taken = []
    for role, stage, area in ((Role.NURSE, "BEFORE", "left cheek"), (Role.EXPERT, "AFTER", "chin")):
        image = png(stage.encode())
        photo = await upload(
            clinic, role, image, stage=stage, bodyArea=area, idempotencyKey=new_key(), **tags
        )
        assert photo["__typename"] == "PhotoPayload", photo
        taken.append(photo["photo"])
    # When the supervisor exports her file, and one more photo is taken after that
    key = new_key()
    result = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert result["__typename"] == "ClientFileExportPayload", result
    later = await upload(clinic, Role.NURSE, png(b"later"), idempotencyKey=new_key(), **tags)
    assert later["__typename"] == "PhotoPayload", later
    # Then her copy lists each photo, oldest first: stage, area, when, who took it, no image
    photos = result["file"]["photos"]
    journey = decode_id(tags["journeyId"], "Journey")
    assert [(p["id"], p["journeyId"], p["stage"], p["bodyArea"]) for p in photos] == [
        (decode_id(taken[0]["id"], "Photo"), journey, "BEFORE", "left cheek"),
        (decode_id(taken[1]["id"], "Photo"), journey, "AFTER", "chin"),
    ]
    assert [(p["by"], p["authorRole"]) for p in photos] == [
        (clinic.staff[Role.NURSE].account_id, "NURSE"),
        (clinic.staff[Role.EXPERT].account_id, "EXPERT"),
    ]
    assert [p["at"] for p in photos] == [t["uploadedAt"] for t in taken]
    assert [p["atLocal"] for p in photos] == [t["uploadedAtLocal"] for t in taken]
    assert [p["sha256"] for p in photos] == [t["sha256"] for t in taken]
    # And a retry with the key is the same copy, while a new export lists the later photo too
    retry = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert retry["file"]["photos"] == photos
    fresh = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())
    assert [p["stage"] for p in fresh["file"]["photos"]] == ["BEFORE", "AFTER", "BEFORE"]
    # And past the copy's bound on photos, the copy is refused rather than cut short
    monkeypatch.setattr(client_file_export, "MAX_PHOTOS", 2)
    over = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())
    assert over["__typename"] == "ValidationFailed", over
    assert over["problems"][0]["message"].startswith("the file holds more than 2 photos"), over
    await end_journey(clinic, tags["journeyId"])


async def test_exports_racing_with_one_key_all_answer_the_same_copy(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client with a file
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    # When ten attempts of one export, one key, arrive at once (a client retrying a lost answer)
    key = new_key()
    answers = await asyncio.gather(
        *(_export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key) for _ in range(10))
    )
    # Then every one answers the same copy, as of one moment, and so does a later retry
    assert {answer["__typename"] for answer in answers} == {"ClientFileExportPayload"}
    assert len({answer["asOf"] for answer in answers}) == 1, [a["asOf"] for a in answers]
    retry = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert retry["asOf"] == answers[0]["asOf"]
    assert all(answer["file"] == retry["file"] for answer in answers)


async def test_an_export_retried_after_a_reader_was_renamed_is_the_same_copy(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client whose allergies the expert has read, and the supervisor's copy of the file
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    assert len(await nodes(clinic, client, "allergies", Role.EXPERT)) == 1
    key = new_key()
    first = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert first["__typename"] == "ClientFileExportPayload", first
    # When an administrator renames the expert, and the copy is asked for again with its key
    expert = await StaffAccount.get(id=clinic.staff[Role.EXPERT].account_id)
    await administration.update_account(expert, None, None, f"{expert.display_name} Renamed")
    retry = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    # Then it is the same copy, naming the expert as she was named when she read the file
    assert retry["file"] == first["file"]
    entries = retry["file"]["whoSawMyFile"]["entries"]
    read = next(e for e in entries if e["action"] == "client.allergies.read")
    assert read["actorName"] == expert.display_name
    # While a new copy names her as she is named now for what she reads from now on
    assert len(await nodes(clinic, client, "allergies", Role.EXPERT)) == 1
    later = await _export(clinic, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())
    reads = [
        e["actorName"]
        for e in later["file"]["whoSawMyFile"]["entries"]
        if e["action"] == "client.allergies.read"
    ]
    assert reads == [f"{expert.display_name} Renamed", expert.display_name]
