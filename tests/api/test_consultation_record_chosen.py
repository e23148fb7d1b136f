"""Her written consultation record is a clinical document: it names the consultant as they were
named when the consultation was recorded, an administrator's rename since or not. And a journey
consulted again has a record of each consultation: the desk prints the one it picks from the
journey's `history` by its `seq` (the latest unless asked), and a `seq` that is no consultation
of the journey is NotFound."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.audit_support import entries_of_request, new_request_id, raw_client, run_traced
from tests.api.flow import CONSULTATION, PLAN, JourneyDriver, new_key
from tests.api.procedure_support import pdf_text, run, squeeze

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
RECORD = """
query Record($id: ID!, $language: String!, $seq: Int) {
  clientConsultationRecord(journeyId: $id, language: $language, seq: $seq) {
    __typename
    ... on ClientConsultationRecord { seq amended html pdfBase64 }
    ... on UserError { code message }
  }
}
"""
RENAME = (
    "mutation R($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) { "
    "__typename } }"
)
NAME = "query { me { ... on StaffMember { displayName } } }"
SECOND_PLAN = {**PLAN, "title": "Lips only", "risks": "swelling for three days"}


async def _consulting(clinic: JourneyDriver) -> tuple[str, str]:
    """A client at her consultation, before it is recorded: (client id, journey id)."""
    client = await clinic.register_client("Ewa Zielińska")
    journey = await clinic.drive_to("CONSULTATION", await clinic.start(client))
    return client, journey["id"]


async def _consult(clinic: JourneyDriver, jid: str, **consultation: Any) -> int:
    """Records a consultation on the journey: its `seq` in the journey's history."""
    journey = await clinic.ok(
        documents.RECORD_CONSULTATION, Role.CONSULTANT, journeyId=jid, **consultation
    )
    return max(e["seq"] for e in journey["history"] if e["action"] == "record_consultation")


async def _rename_the_consultant(clinic: JourneyDriver, name: str) -> None:
    rename = {"staffId": clinic.staff[Role.CONSULTANT].global_id, "displayName": name}
    renamed = await run(clinic, RENAME, Role.ADMIN, input={**rename, "idempotencyKey": new_key()})
    assert renamed["__typename"] == "StaffAccountPayload", renamed


async def test_the_record_names_the_consultant_as_named_when_it_was_recorded(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a consultation recorded, and its consultant renamed by the administrator since
    clinic = await fresh_clinic()
    _, jid = await _consulting(clinic)
    await _consult(clinic, jid, **CONSULTATION)
    named_then = (await run(clinic, NAME, Role.CONSULTANT))["displayName"]
    await _rename_the_consultant(clinic, "Dr Renamed Since")
    assert (await run(clinic, NAME, Role.CONSULTANT))["displayName"] == "Dr Renamed Since"
    # When her record is printed
    record = await run(clinic, RECORD, Role.NURSE, id=jid, language="en")
    # Then it names the consultant as named when the consultation was recorded
    assert record["__typename"] == "ClientConsultationRecord", record
    assert f"Consultant: {named_then}" in record["html"]
    assert "Dr Renamed Since" not in record["html"]
    assert squeeze(named_then) in squeeze(pdf_text(record["pdfBase64"]))


async def test_each_consultation_of_the_journey_is_printed_as_chosen_the_latest_unasked(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey consulted twice, its consultant renamed between the two
    clinic = await fresh_clinic()
    client, jid = await _consulting(clinic)
    first = await _consult(clinic, jid, **CONSULTATION)
    named_then = (await run(clinic, NAME, Role.CONSULTANT))["displayName"]
    await _rename_the_consultant(clinic, "Dr Consulting Again")
    second = await _consult(clinic, jid, **{**CONSULTATION, "plans": [SECOND_PLAN]})
    assert second > first
    # When the record is printed without a choice, it is the latest consultation's
    latest = await run(clinic, RECORD, Role.CONSULTANT, id=jid, language="en")
    assert latest["__typename"] == "ClientConsultationRecord", latest
    assert latest["seq"] == second
    assert SECOND_PLAN["title"] in latest["html"] and PLAN["title"] not in latest["html"]
    assert "Consultant: Dr Consulting Again" in latest["html"]
    # And when the first is chosen by its seq, it is the first, under the name its consultant
    # had then, and the read is audited as any other
    request = new_request_id()
    token = clinic.token(Role.CONSULTANT)
    data = await run_traced(clinic.api, RECORD, token, request, id=jid, language="en", seq=first)
    chosen = data["clientConsultationRecord"]
    assert chosen["__typename"] == "ClientConsultationRecord", chosen
    assert chosen["seq"] == first
    assert PLAN["title"] in chosen["html"] and SECOND_PLAN["title"] not in chosen["html"]
    assert f"Consultant: {named_then}" in chosen["html"]
    assert squeeze(PLAN["risks"]) in squeeze(pdf_text(chosen["pdfBase64"]))
    seen = [(entry[0], entry[1]) for entry in await entries_of_request(request)]
    assert (raw_client(client), "consultation.record.read") in seen
    # And the latest chosen by its seq is the one printed unasked
    again = await run(clinic, RECORD, Role.CONSULTANT, id=jid, language="en", seq=second)
    assert (again["seq"], again["html"]) == (second, latest["html"])


async def test_a_seq_that_is_no_consultation_of_the_journey_is_not_found(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey consulted once, and another journey consulted twice
    clinic = await fresh_clinic()
    _, jid = await _consulting(clinic)
    consulted = await _consult(clinic, jid, **CONSULTATION)
    _, other = await _consulting(clinic)
    await _consult(clinic, other, **CONSULTATION)
    twice = await _consult(clinic, other, **CONSULTATION)
    # When a record is asked for by a seq of another step, of none, or of the other journey's
    # second consultation (no event of this one), it is not found, and nothing is printed
    for seq in (consulted - 1, consulted + 1, twice, 0, -1):
        record = await run(clinic, RECORD, Role.CONSULTANT, id=jid, language="en", seq=seq)
        assert (record["__typename"], record["code"]) == ("NotFound", "NOT_FOUND"), (seq, record)
    # And the front desk, which reads no clinical record, is not told which seqs are
    desk = await run(clinic, RECORD, Role.FRONT_DESK, id=jid, language="en", seq=consulted)
    assert desk["__typename"] == "NotAuthorized", desk
