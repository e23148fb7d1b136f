"""The consultation says what she has had before (seed 003, 3.2: "treatment history"; DOMAIN.md
"Consultation": earlier treatments and their effects): each earlier treatment with roughly when
and its effect, or that she has had none. Neither, or both, is refused on the field, nothing
written and the journey's workflow not asked. The answer is read on the journey's history, on
her written consultation record in each language and in her copy of the file; a consultation an
older release recorded, without the flag, reads as not asked."""

from __future__ import annotations

import html
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import ActionDetails, ActionRequest, Actor
from domain.journey.table import Action
from domain.roles import Role
from domain.store import records
from domain.store.models import IdempotencyKey, JourneyEvent, JourneyRecord
from schema.ids import decode_id
from tests.api import documents
from tests.api.client_file_support import export_file
from tests.api.conftest import TASK_QUEUE
from tests.api.flow import (
    CONSULTATION,
    EARLIER_TREATMENT,
    NEEDS,
    JourneyDriver,
    assert_unchanged,
    end_journey,
    new_key,
)
from tests.api.procedure_support import pdf_text, squeeze
from workflows.client import JourneyGateway

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
NEITHER = {name: value for name, value in NEEDS.items() if name != "earlierTreatments"}
HISTORY = """
query History($id: ID!) {
  journey(id: $id) { ... on Journey { history { action details } } }
}"""
RECORD = """
query Record($id: ID!, $language: String!) {
  clientConsultationRecord(journeyId: $id, language: $language) {
    __typename
    ... on ClientConsultationRecord { html }
    ... on UserError { code message }
  }
}
"""
PDF = """
query Record($id: ID!, $language: String!) {
  clientConsultationRecord(journeyId: $id, language: $language) {
    ... on ClientConsultationRecord { pdfBase64 }
  }
}
"""
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on ValidationFailed { problems { field message } }
    ... on UserError { code message }
  }
}
"""
# The line each language prints for her earlier treatments: heading, then the answer.
NONE_LINES = {
    "pl": "Wcześniejsze zabiegi: brak",
    "ru": "Предыдущие процедуры: не было",
    "zh": "既往治疗: 无",
    "en": "Earlier treatments: none",
}
NOT_ASKED_LINES = {
    "pl": "Wcześniejsze zabiegi: nie pytano",
    "ru": "Предыдущие процедуры: не уточнялись",
    "zh": "既往治疗: 未询问",
    "en": "Earlier treatments: not asked",
}
LISTED = "botox, forehead (2023): smooth for four months"
# A consultation as a release before the flag recorded it: under the record's own names.
OLDER_BODY = {
    "occupation": "architect",
    "needs": {
        "areas": ["face"],
        "goal": "look rested",
        "expectation": "natural",
        "earlier_treatments": None,
    },
    "assessment": {
        "psychological": "realistic",
        "spending_capacity": "medium",
        "physical_condition": "good",
    },
    "plans": [
        {
            "title": "cheeks",
            "items": ["hyaluronic acid, cheeks"],
            "effect": "volume",
            "cycle": "one session",
            "price": "1200.00",
            "currency": "EUR",
            "risks": "bruising, swelling",
            "recovery": "two days",
            "requires_anesthesia": False,
            "catalog_item_ids": [],
            "procedure_type": None,
            "price_lines": [],
        }
    ],
}


async def _temporal_events(temporal_env: WorkflowEnvironment, journey_id: str) -> int:
    history = await temporal_env.client.get_workflow_handle(journey_id).fetch_history()
    return len(history.events)


@pytest.mark.parametrize(
    ("needs", "field"),
    [
        (NEITHER, "needs.earlierTreatments"),
        (
            {**NEITHER, "earlierTreatments": [], "noEarlierTreatments": False},
            "needs.earlierTreatments",
        ),
        ({**NEEDS, "noEarlierTreatments": True}, "needs.noEarlierTreatments"),
        (
            {**NEEDS, "earlierTreatments": [{**EARLIER_TREATMENT, "effect": " "}]},
            "needs.earlierTreatments[0].effect",
        ),
    ],
    ids=["neither", "an-empty-list", "both", "without-its-effect"],
)
async def test_a_consultation_that_does_not_say_her_earlier_treatments_writes_nothing(
    driver: JourneyDriver,
    temporal_env: WorkflowEnvironment,
    needs: dict[str, Any],
    field: str,
) -> None:
    # Given a journey at its consultation
    journey = await driver.assign((await driver.start())["id"])
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None
    kept_before = await JourneyRecord.filter(journey_id=raw_id).count()
    events_before = await _temporal_events(temporal_env, raw_id)
    # When the consultant records it without saying (or saying both ways) what she had before
    key = new_key()
    refused = await driver.act(
        documents.RECORD_CONSULTATION,
        Role.CONSULTANT,
        journeyId=journey["id"],
        idempotencyKey=key,
        **{**CONSULTATION, "needs": needs},
    )
    # Then it is refused on that field alone
    assert refused["__typename"] == "ValidationFailed", refused
    assert [problem["field"] for problem in refused["problems"]] == [field]
    # And nothing was written: no record, no key, no event, nothing sent to the journey
    await assert_unchanged(driver, journey)
    assert await JourneyRecord.filter(journey_id=raw_id).count() == kept_before
    assert not await IdempotencyKey.exists(key=key)
    assert await _temporal_events(temporal_env, raw_id) == events_before
    await end_journey(driver, journey["id"])


async def _consultation_details(clinic: JourneyDriver, jid: str) -> dict[str, Any]:
    data = await clinic.api.run(HISTORY, clinic.token(Role.SUPERVISOR), id=jid)
    (event,) = [e for e in data["journey"]["history"] if e["action"] == "record_consultation"]
    return event["details"]  # type: ignore[no-any-return]


async def _printed(clinic: JourneyDriver, jid: str, language: str) -> str:
    data = await clinic.api.run(RECORD, clinic.token(Role.CONSULTANT), id=jid, language=language)
    record = data["clientConsultationRecord"]
    assert record["__typename"] == "ClientConsultationRecord", record
    return html.unescape(record["html"])


async def _pdf(clinic: JourneyDriver, jid: str, language: str) -> str:
    data = await clinic.api.run(PDF, clinic.token(Role.CONSULTANT), id=jid, language=language)
    return squeeze(pdf_text(data["clientConsultationRecord"]["pdfBase64"]))


async def _consulted(clinic: JourneyDriver, needs: dict[str, Any]) -> tuple[str, str]:
    client = await clinic.register_client("Ewa Zielińska")
    journey = await clinic.assign((await clinic.start(client))["id"])
    await clinic.ok(
        documents.RECORD_CONSULTATION,
        Role.CONSULTANT,
        journeyId=journey["id"],
        **{**CONSULTATION, "needs": needs},
    )
    return client, journey["id"]


async def _copied_needs(clinic: JourneyDriver, client: str) -> tuple[dict[str, Any], list[str]]:
    """Her copy's consultation needs, and the notes of its FHIR impression."""
    copy = await export_file(clinic, client, new_key())
    (consultation,) = copy["file"]["consultations"]
    impressions = [
        entry["resource"]
        for entry in copy["fhirBundle"]["entry"]
        if entry["resource"]["resourceType"] == "ClinicalImpression"
        and "her needs" in entry["resource"].get("description", "")
    ]
    (impression,) = impressions
    return consultation["needs"], [note["text"] for note in impression.get("note", [])]


async def test_her_earlier_treatments_are_read_on_the_record_her_page_and_her_copy(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a consultation naming what she had before, when, and how it went
    client, jid = await _consulted(clinic, NEEDS)
    # Then the journey's record keeps each one, and that she has had some
    needs = (await _consultation_details(clinic, jid))["needs"]
    assert needs["earlier_treatments"] == [EARLIER_TREATMENT]
    assert needs["no_earlier_treatments"] is False
    # And her written record names them
    page = await _printed(clinic, jid, "en")
    assert f"Earlier treatments: {LISTED}" in page
    assert squeeze(LISTED) in await _pdf(clinic, jid, "en")
    # And so does her copy, as the record keeps them, and its Bundle
    copied, notes = await _copied_needs(clinic, client)
    assert copied["earlierTreatments"] == [EARLIER_TREATMENT]
    assert copied["noEarlierTreatments"] is False
    assert f"earlier treatments: {LISTED}" in notes


async def test_that_she_has_had_none_is_read_on_the_record_her_page_and_her_copy(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a consultation saying she has had no earlier treatment
    client, jid = await _consulted(clinic, {**NEITHER, "noEarlierTreatments": True})
    # Then the record says so
    needs = (await _consultation_details(clinic, jid))["needs"]
    assert needs["no_earlier_treatments"] is True
    assert needs["earlier_treatments"] is None
    # And her written record says so in each language it is printed in
    for language, line in NONE_LINES.items():
        assert line in await _printed(clinic, jid, language), language
    assert squeeze(NONE_LINES["zh"]) in await _pdf(clinic, jid, "zh")
    # And her copy
    copied, notes = await _copied_needs(clinic, client)
    assert copied["noEarlierTreatments"] is True
    assert "earlier treatments: none" in notes
    # When the consultant corrects it naming a treatment, but leaves "none" standing, it is
    # refused; cleared, the correction is what her page reads
    named = {"earlier_treatments": [EARLIER_TREATMENT]}
    both = await _amend(clinic, jid, named)
    assert both["__typename"] == "ValidationFailed", both
    assert [p["field"] for p in both["problems"]] == ["correction.needs.no_earlier_treatments"]
    corrected = await _amend(clinic, jid, {**named, "no_earlier_treatments": False})
    assert corrected["__typename"] == "AmendmentPayload", corrected
    assert f"Earlier treatments: {LISTED}" in await _printed(clinic, jid, "en")


async def _amend(clinic: JourneyDriver, jid: str, needs: dict[str, Any]) -> dict[str, Any]:
    raw_id = decode_id(jid, "Journey")
    event = await JourneyEvent.get(journey_id=raw_id, action="record_consultation")
    correction = {
        "journeyId": jid,
        "seq": event.seq,
        "reason": "she remembered a treatment",
        "correction": {"needs": needs},
        "idempotencyKey": new_key(),
    }
    data = await clinic.api.run(AMEND, clinic.token(Role.CONSULTANT), input=correction)
    return data["amendRecord"]  # type: ignore[no-any-return]


async def test_a_consultation_an_older_release_recorded_reads_as_not_asked(
    fresh_clinic: FreshClinic, temporal_env: WorkflowEnvironment
) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client("Ewa Zielińska")
    jid = (await clinic.assign((await clinic.start(client))["id"]))["id"]
    raw_id = decode_id(jid, "Journey")
    assert raw_id is not None
    # Given a consultation recorded as a release before the flag did: its record without it
    consultant = clinic.staff[Role.CONSULTANT].account_id
    record_id = await records.draft_record(raw_id, "consultation", OLDER_BODY, consultant)
    request = ActionRequest(
        action=Action.RECORD_CONSULTATION,
        actor=Actor(user_id=consultant, role=Role.CONSULTANT),
        details=ActionDetails(),
        record_id=record_id,
    )
    gateway = JourneyGateway(temporal_env.client, TASK_QUEUE)
    await gateway.act(raw_id, request, f"older-{uuid.uuid4()}")
    # Then the journey's record reads her earlier treatments as not asked
    needs = (await _consultation_details(clinic, jid))["needs"]
    assert needs["no_earlier_treatments"] is None
    assert needs["goal"] == "look rested"
    # And her written record says so in each language
    for language, line in NOT_ASKED_LINES.items():
        assert line in await _printed(clinic, jid, language), language
    # And her copy
    copied, notes = await _copied_needs(clinic, client)
    assert copied["noEarlierTreatments"] is None
    assert "earlier treatments: not asked" in notes
