"""Her copy's FHIR Bundle carries her complaints: each a Communication of hers to the clinic,
each answer a Communication of the clinic's in response to it, and the handling of it a Task
(its state, when the first answer is due, the answers, and the outcome with its note)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.client_file.fhir import resource_id
from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from schema.ids import decode_id
from tests.api.client_file_support import export_file
from tests.api.complaint_support import answered, complaint, taken
from tests.api.flow import JourneyDriver, new_key


def _of(bundle: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    resources = [entry["resource"] for entry in bundle["entry"]]
    return {r["id"]: r for r in resources if r["resourceType"] == kind}


def _ref(kind: str, global_id: str, type_name: str = "") -> dict[str, str]:
    raw = decode_id(global_id, type_name) if type_name else global_id
    assert raw is not None
    return {"reference": f"urn:uuid:{resource_id(kind, raw)}"}


async def test_her_bundle_carries_each_complaint_its_answers_and_its_outcome(
    driver: JourneyDriver,
) -> None:
    # Given a complaint of hers on a follow-up call, answered twice and resolved, and a letter
    # received ten days ago that no one has answered
    client_id = await driver.register_client()
    made = await taken(
        driver, Role.FOLLOW_UP_STAFF, **complaint(client_id, channel="FOLLOW_UP_CALL")
    )
    await answered(driver, "respondToComplaint", made["id"], note="we called her back")
    await answered(driver, "respondToComplaint", made["id"], note="a recheck is booked")
    done = await answered(
        driver, "resolveComplaint", made["id"], outcome="PARTLY_UPHELD", note="recheck free"
    )
    old = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    letter = await taken(
        driver,
        Role.FRONT_DESK,
        **complaint(client_id, channel="LETTER", category=None, receivedAt=old),
    )
    # When a supervisor hands her a copy of her file
    bundle = (await export_file(driver, client_id, new_key()))["fhirBundle"]
    # Then the Bundle validates, and each complaint is her Communication, in her words
    assert bundle_problems(bundle) == []
    patient = _ref("Patient", client_id, "Client")
    said = _of(bundle, "Communication")
    complaint_ref = _ref("Complaint", made["id"], "Complaint")
    told = said[complaint_ref["reference"].removeprefix("urn:uuid:")]
    assert told["payload"] == [{"contentString": made["description"]}]
    assert (told["subject"], told["sender"], told["status"]) == (patient, patient, "completed")
    assert told["received"] == made["receivedAt"]
    assert told["medium"][0]["coding"][0]["code"] == "PHONE"
    assert told["topic"] == {"text": "CONSULTANT"}
    # And each answer is the clinic's Communication to her, in response to it
    answers = [r for r in said.values() if r.get("inResponseTo") == [complaint_ref]]
    assert [a["payload"][0]["contentString"] for a in answers] == [
        "we called her back",
        "a recheck is booked",
    ]
    assert all(a["recipient"] == [patient] for a in answers)
    # And its handling is a Task: completed, with the outcome and the resolution's note
    tasks = {t["focus"]["reference"]: t for t in _of(bundle, "Task").values()}
    handled = tasks[complaint_ref["reference"]]
    assert (handled["status"], handled["businessStatus"]["text"]) == ("completed", "RESOLVED")
    assert handled["for"] == patient
    outputs = {o["type"]["text"]: o for o in handled["output"]}
    assert outputs["outcome"]["valueCodeableConcept"] == {"text": "PARTLY_UPHELD"}
    (resolution,) = handled["note"]
    assert resolution["text"] == "resolution (PARTLY_UPHELD): recheck free"
    assert resolution["time"] == done["answers"][-1]["recordedAt"]
    assert [o["valueReference"] for o in handled["output"] if o["type"]["text"] == "answer"] == [
        {"reference": f"urn:uuid:{a['id']}"} for a in answers
    ]
    assert done["status"] == "RESOLVED"
    # And the unanswered letter's Task is requested, its first answer overdue
    letter_ref = _ref("Complaint", letter["id"], "Complaint")
    waiting = tasks[letter_ref["reference"]]
    assert waiting["status"] == "requested"
    assert waiting["businessStatus"]["text"] == "OPEN, first answer overdue"
    assert "output" not in waiting and "note" not in waiting
    (due,) = [i for i in waiting["input"] if i["type"]["text"] == "first answer due"]
    assert due["valueDateTime"] == letter["firstAnswerDueAt"]
    (mailed,) = said[letter_ref["reference"].removeprefix("urn:uuid:")]["medium"]
    assert mailed["coding"][0]["code"] == "MAILWRIT"
