"""Her written consultation record is a clinical document: it names the consultant as they were
named when the consultation was recorded, an administrator's rename since or not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import CONSULTATION, JourneyDriver, new_key
from tests.api.procedure_support import pdf_text, run, squeeze

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
RECORD = """
query Record($id: ID!, $language: String!) {
  clientConsultationRecord(journeyId: $id, language: $language) {
    __typename
    ... on ClientConsultationRecord { html pdfBase64 }
    ... on UserError { code message }
  }
}
"""
RENAME = (
    "mutation R($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) { "
    "__typename } }"
)
NAME = "query { me { ... on StaffMember { displayName } } }"


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
