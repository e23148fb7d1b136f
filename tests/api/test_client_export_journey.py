"""The client's own copy carries what DOMAIN.md's "The client file" names beyond her entries and
treatments: to whom her file was disclosed (`recordFileDisclosure`), the records of her journeys
from consultation to follow-up call, and her bills, payments and refunds. Each through the API a
supervisor uses, and a retry with the export's key is the same copy."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from schema.ids import decode_id
from tests.api import consent_support, documents
from tests.api.client_file_support import write
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
EXPORT = """
mutation Export($input: ExportClientFileInput!) {
  exportClientFile(input: $input) {
    __typename
    ... on ClientFileExportPayload { file fhirBundle }
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
    result = await write(clinic, EXPORT, Role.SUPERVISOR, clientId=client, idempotencyKey=key)
    assert result["__typename"] == "ClientFileExportPayload", result
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


async def test_the_copy_lists_to_whom_her_file_was_disclosed(fresh_clinic: FreshClinic) -> None:
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
