"""The written consultation record the client takes home (seed 003, art. 9), through the real
API: her needs and each plan with its risks, recovery and price, in her language, as HTML and a
PDF that reads back; as corrected once amended; never the consultant's assessments of her; an
audited read of her file; refused before there is a consultation, to another clinic, and in a
language the clinic does not print."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import decode_id
from tests.api.audit_support import entries_of_request, new_request_id, raw_client, run_traced
from tests.api.client_file_support import write
from tests.api.flow import CONSULTATION, PLAN, JourneyDriver, new_key
from tests.api.harness import TEST_CLINIC_ZONE, Api
from tests.api.procedure_support import pdf_text, run, squeeze

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
RECORD = """
query Record($id: ID!, $language: String!) {
  clientConsultationRecord(journeyId: $id, language: $language) {
    __typename
    ... on ClientConsultationRecord { language consultedOn amended html pdfBase64 }
    ... on ValidationFailed { problems { field message } }
    ... on UserError { code message }
  }
}
"""
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) { __typename ... on UserError { code message } }
}
"""
# What the consultant judged of her (psychological state, spending capacity, physical
# condition): on her file, not on the page she takes home.
ASSESSMENTS = CONSULTATION["assessment"].values()
CORRECTED_RISKS = "bruising, swelling, rarely a small lump for a week"


async def _consulted(clinic: JourneyDriver) -> tuple[str, str]:
    """A client whose journey's consultation was recorded: (client id, journey id)."""
    client = await clinic.register_client("Ewa Zielińska")
    journey = await clinic.drive_to("EXPERT_REVIEW", await clinic.start(client))
    return client, journey["id"]


async def _consultation_seq(journey_id: str) -> int:
    raw = decode_id(journey_id, "Journey")
    event = await JourneyEvent.get(journey_id=raw, action="record_consultation")
    return event.seq


async def test_the_client_takes_home_her_needs_and_the_plans_not_the_assessments(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    clinic = await fresh_clinic()
    client, jid = await _consulted(clinic)
    # When the consultant prints the record for her, in Polish
    request = new_request_id()
    data = await run_traced(
        api, RECORD, clinic.token(Role.CONSULTANT), request, id=jid, language="pl"
    )
    record: dict[str, Any] = data["clientConsultationRecord"]
    # Then it holds her needs and the plan, with its risks, recovery and price, and its day
    assert record["__typename"] == "ClientConsultationRecord", record
    assert (record["language"], record["amended"]) == ("pl", False)
    assert record["consultedOn"] == datetime.now(TEST_CLINIC_ZONE).date().isoformat()
    said = [CONSULTATION["needs"]["goal"], PLAN["title"], PLAN["risks"], PLAN["recovery"]]
    said += ["1200.00 EUR", "Zapis konsultacji", "Ryzyko"]
    pdf = squeeze(pdf_text(record["pdfBase64"]))
    for words in said:
        assert words in record["html"], words
        assert squeeze(words) in pdf, words
    # And nothing the consultant judged of her is on it
    for judged in ASSESSMENTS:
        assert judged not in record["html"], judged
        assert squeeze(judged) not in pdf, judged
    # And printing it was a read of her file, audited
    seen = [(entry[0], entry[1]) for entry in await entries_of_request(request)]
    assert (raw_client(client), "consultation.record.read") in seen

    # When its risks are corrected, the record she is given is the corrected one
    amended = await write(
        clinic,
        AMEND,
        Role.SUPERVISOR,
        journeyId=jid,
        seq=await _consultation_seq(jid),
        reason="the consultant named the rare lump too",
        correction={"plans": [{**PLAN, "risks": CORRECTED_RISKS}]},
        idempotencyKey=new_key(),
    )
    assert amended["__typename"] == "AmendmentPayload", amended
    again = await run(clinic, RECORD, Role.NURSE, id=jid, language="zh")
    assert (again["language"], again["amended"]) == ("zh", True)
    assert CORRECTED_RISKS in again["html"]
    assert "咨询记录" in squeeze(pdf_text(again["pdfBase64"]))


async def test_no_record_before_the_consultation_nor_for_another_clinic(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    _, consulted = await _consulted(clinic)
    waiting = await clinic.drive_to(
        "CONSULTATION", await clinic.start(await clinic.register_client("Ola Kowalska"))
    )
    # Before the consultation is recorded there is nothing to print
    early = await run(clinic, RECORD, Role.CONSULTANT, id=waiting["id"], language="en")
    assert (early["__typename"], early["code"]) == ("NotFound", "NOT_FOUND"), early
    # Another clinic's staff find no such journey
    other = await fresh_clinic()
    foreign = await run(other, RECORD, Role.CONSULTANT, id=consulted, language="en")
    assert foreign["__typename"] == "NotFound", foreign
    # A language the clinic does not print is refused on its field
    german = await run(clinic, RECORD, Role.CONSULTANT, id=consulted, language="de")
    assert german["problems"] == [{"field": "language", "message": "one of pl, ru, zh, en"}]
    # And the front desk, which reads no clinical record, is not told
    desk = await run(clinic, RECORD, Role.FRONT_DESK, id=consulted, language="en")
    assert desk["__typename"] == "NotAuthorized", desk
