"""The client's own copy carries the corrections of her records (`amendRecord`): the treatment
as first written, with each amendment beside it (who, when, what it changed, why), in the JSON;
in the FHIR Bundle the Procedure as amended, and a Provenance of each amendment that keeps what
it replaced. A retry with the export's key is the same copy, corrections made since left out.
The journeys' records are read by a subquery of her journeys: their ids, which grow with her
history, are never sent as a list (past 32,766 values a statement fails; found by a review)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from domain.client_file.fhir import resource_id
from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import decode_id
from tests.api import documents
from tests.api.client_file_support import export_file, write
from tests.api.consent_support import new_key, publish, signing
from tests.api.flow import JourneyDriver
from tests.sql_statements import statements_logged

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { id authorId at reason correction } }
    ... on UserError { code message }
  }
}
"""
# The steps whose records are parts of the copy (the treatment, and those from consultation to
# handover): the ids of these are sent, bounded by their part.
IN_THE_COPY = {
    "record_consultation",
    "request_expert_review",
    "approve_plan",
    "start_treatment",
    "complete_treatment",
    "hand_over",
}
RELABELLED = [{"name": "Filler X", "lot_number": "LOT-43", "dose": "1 ml"}]


async def _treated_client(clinic: JourneyDriver) -> tuple[str, str, int]:
    """A client treated and handed over: (client, journey, the treatment's seq)."""
    client = await clinic.register_client("Maria Nowak")
    await publish(clinic)
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    jid = journey["id"]
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    await clinic.pay(jid)
    await clinic.start_treatment(jid)
    treated = await clinic.complete_treatment(jid)
    await clinic.hand_over(jid)
    seq = next(e["seq"] for e in treated["history"] if e["action"] == "complete_treatment")
    return client, jid, seq


async def _amend(clinic: JourneyDriver, jid: str, seq: int, **correction: Any) -> dict[str, Any]:
    amended = await write(
        clinic,
        AMEND,
        Role.SUPERVISOR,
        journeyId=jid,
        seq=seq,
        reason="the lot on the box was LOT-43",
        correction=correction,
        idempotencyKey=new_key(),
    )
    assert amended["__typename"] == "AmendmentPayload", amended
    return amended["amendment"]  # type: ignore[no-any-return]


async def test_the_export_shows_a_treatment_with_its_amendment_beside_the_original(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treated client whose treatment record a supervisor corrected (the lot number)
    clinic = await fresh_clinic()
    client, jid, seq = await _treated_client(clinic)
    amendment = await _amend(clinic, jid, seq, products=RELABELLED)
    # When the supervisor exports her file, and the record is corrected again after that
    key = new_key()
    result = await export_file(clinic, client, key)
    await _amend(clinic, jid, seq, notes="swelling on the left")
    # Then her copy has the treatment as first written, and the amendment beside it
    (treatment,) = result["file"]["treatments"]
    assert treatment["products"] == [
        {"name": "Filler X", "lotNumber": "LOT-42", "dose": "1 ml", "bodyArea": None}
    ]
    (written,) = treatment["amendments"]
    assert {k: v for k, v in written.items() if k not in ("at", "atLocal")} == {
        "id": amendment["id"],
        "reason": "the lot on the box was LOT-43",
        "correction": {"products": [{"name": "Filler X", "lotNumber": "LOT-43", "dose": "1 ml"}]},
        "by": clinic.staff[Role.SUPERVISOR].account_id,
    }
    assert datetime.fromisoformat(written["at"]) == datetime.fromisoformat(amendment["at"])
    assert written["atLocal"]
    # And the Bundle validates, its Procedure as amended, the original kept by a Provenance
    bundle = result["fhirBundle"]
    assert bundle_problems(bundle) == []
    resources = [e["resource"] for e in bundle["entry"]]
    (procedure,) = [r for r in resources if r["id"] == resource_id("Treatment", treatment["id"])]
    assert {"text": "Filler X lot LOT-43 dose 1 ml"} in procedure["note"]
    assert {"text": "Filler X lot LOT-42 dose 1 ml"} not in procedure["note"]
    (provenance,) = [r for r in resources if r["resourceType"] == "Provenance"]
    assert provenance["target"] == [{"reference": f"urn:uuid:{procedure['id']}"}]
    assert provenance["reason"] == [{"text": "the lot on the box was LOT-43"}]
    assert "LOT-42" in provenance["entity"][0]["what"]["display"]
    # And a retry with the key is the same copy, byte for byte; a new export has both
    retry = await export_file(clinic, client, key)
    assert json.dumps([retry["file"], retry["fhirBundle"]]) == json.dumps([result["file"], bundle])
    fresh = await export_file(clinic, client, new_key())
    (later,) = fresh["file"]["treatments"]
    assert [a["correction"] for a in later["amendments"]] == [
        written["correction"],
        {"notes": "swelling on the left"},
    ]


async def test_the_export_never_sends_the_ids_of_her_journeys_records_as_a_list(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treated client, whose journey took in records of kinds the copy does not list
    # (consent, payment)
    clinic = await fresh_clinic()
    client, jid, _ = await _treated_client(clinic)
    taken_in = await JourneyEvent.filter(
        journey_id=decode_id(jid, "Journey"), record_id__not_isnull=True
    ).values_list("action", "record_id")
    others = {str(record) for action, record in taken_in if action not in IN_THE_COPY}
    assert len(others) >= 2  # her consent's, her payment's
    # When the supervisor exports her file
    with statements_logged() as statements:
        result = await export_file(clinic, client, new_key())
    assert len(result["file"]["treatments"]) == 1
    # Then no statement bound the ids of the records that are not in the copy's parts
    bound = {str(value) for _, values in statements.runs for value in values}
    assert bound.isdisjoint(others)
