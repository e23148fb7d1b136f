"""A client's file shared outside the clinic (`recordFileDisclosure`, `fileDisclosures`) only on
the client's signed DATA_SHARING consent, never by e-mail; and the clinic's records custodian
(`setRecordsCustodian`, `recordsCustodian`). Seed 000, DOMAIN.md "Confidentiality"."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.disclosures import FileDisclosure
from schema.ids import decode_id
from tests.api import consent_support, documents
from tests.api.client_file_support import EXPORT_CLIENT_FILE
from tests.api.flow import JourneyDriver, new_key

DISCLOSURE = "id clientId consentId recipientName parts channel custodianId recordedByRole"
RECORD = f"""
mutation Record($input: RecordFileDisclosureInput!) {{
  recordFileDisclosure(input: $input) {{
    __typename
    ... on FileDisclosurePayload {{ disclosure {{ {DISCLOSURE} }} }}
    ... on SharingConsentMissing {{ code message withdrawnAt }}
    ... on UserError {{ code message }}
  }}
}}
"""
LIST = f"""
query List($clientId: ID!, $first: Int, $after: String) {{
  fileDisclosures(clientId: $clientId, first: $first, after: $after) {{
    __typename
    ... on FileDisclosureConnection {{
      edges {{ cursor node {{ {DISCLOSURE} }} }} pageInfo {{ hasNextPage endCursor }}
    }}
    ... on UserError {{ code message }}
  }}
}}
"""
SET_CUSTODIAN = """
mutation Set($input: SetRecordsCustodianInput!) {
  setRecordsCustodian(input: $input) {
    __typename
    ... on RecordsCustodianPayload { custodian { staff { id role } active appointedById } }
    ... on UserError { code message }
  }
}
"""
CUSTODIAN = """
query { recordsCustodian { __typename
  ... on RecordsCustodianPayload { custodian { staff { id } } }
  ... on UserError { code }
} }
"""


def _disclosure(client_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "recipientName": "dr Jan Kowalski",
        "recipientOrganisation": "Klinika Dermatologii",
        "purpose": "a second opinion on the filler's nodule",
        "parts": ["ALLERGIES", "TREATMENTS", "PHOTOS"],
        "channel": "REGISTERED_POST",
        "idempotencyKey": new_key(),
        **extra,
    }


async def _record(driver: JourneyDriver, role: Role, input: dict[str, Any]) -> dict[str, Any]:
    data = await driver.api.run(RECORD, driver.token(role), input=input)
    return data["recordFileDisclosure"]  # type: ignore[no-any-return]


async def _rows(client_id: str) -> int:
    return await FileDisclosure.filter(client_id=decode_id(client_id, "Client")).count()


async def _client_at_consent(driver: JourneyDriver) -> tuple[str, str]:
    """A new client and their journey waiting in CONSENT."""
    client_id = await driver.register_client()
    return client_id, await consent_support.at_consent(driver, client_id)


async def _sign_sharing(driver: JourneyDriver, jid: str) -> None:
    """The client signs a DATA_SHARING consent on a template of its own (a row, text kept)."""
    key = f"file-sharing-{uuid.uuid4().hex[:8]}"
    template = await consent_support.publish(
        driver, key, kind="DATA_SHARING", procedureType="client-file"
    )
    signing = {
        "journeyId": jid,
        "kind": "DATA_SHARING",
        "signerName": "Anna Nowak",
        "templateId": key,
        "templateVersion": str(template["version"]),
        "rightsExplained": True,
    }
    await driver.ok(documents.SIGN_CONSENT, Role.NURSE, **signing)


async def test_without_a_sharing_consent_nothing_is_disclosed(driver: JourneyDriver) -> None:
    # Given a client who consented to the processing of their data, not to its sharing
    client_id, jid = await _client_at_consent(driver)
    await consent_support.sign_data_processing_consent(driver, jid)
    # When a supervisor records a disclosure of their file
    refused = await _record(driver, Role.SUPERVISOR, _disclosure(client_id))
    # Then it is refused as such and nothing is written
    assert refused["__typename"] == "SharingConsentMissing", refused
    assert (refused["code"], refused["withdrawnAt"]) == ("SHARING_CONSENT_MISSING", None)
    assert await _rows(client_id) == 0


async def test_a_disclosure_on_a_signed_consent_is_recorded_once_and_listed(
    driver: JourneyDriver,
) -> None:
    # Given a clinic whose records a nurse keeps, and a client who signed a DATA_SHARING consent
    nurse = driver.staff[Role.NURSE].global_id
    named = await driver.api.run(
        SET_CUSTODIAN, driver.token(Role.SUPERVISOR), input={"staffId": nurse}
    )
    assert named["setRecordsCustodian"]["custodian"]["staff"]["id"] == nurse, named
    client_id, jid = await _client_at_consent(driver)
    await _sign_sharing(driver, jid)
    # When a supervisor records a disclosure, and sends it again after a lost answer
    input = _disclosure(client_id)
    first = await _record(driver, Role.SUPERVISOR, input)
    again = await _record(driver, Role.SUPERVISOR, input)
    # Then it is recorded once, on that consent, naming the custodian of the day
    assert first["__typename"] == "FileDisclosurePayload", first
    assert again == first
    disclosure = first["disclosure"]
    assert (disclosure["parts"], disclosure["channel"]) == (
        ["ALLERGIES", "TREATMENTS", "PHOTOS"],
        "REGISTERED_POST",
    )
    assert disclosure["custodianId"] == decode_id(nurse, "StaffMember")
    assert disclosure["recordedByRole"] == "SUPERVISOR"
    assert await _rows(client_id) == 1
    # And another input under the same key is a Conflict that writes nothing
    changed = await _record(driver, Role.SUPERVISOR, {**input, "purpose": "another"})
    assert changed["__typename"] == "Conflict", changed
    # And a supervisor lists it, one page at a time
    second = await _record(driver, Role.SUPERVISOR, _disclosure(client_id, channel="IN_PERSON"))
    assert second["__typename"] == "FileDisclosurePayload", second
    page = await driver.api.run(LIST, driver.token(Role.SUPERVISOR), clientId=client_id, first=1)
    listed = page["fileDisclosures"]
    assert [e["node"]["id"] for e in listed["edges"]] == [second["disclosure"]["id"]]
    assert listed["pageInfo"]["hasNextPage"] is True
    after = listed["pageInfo"]["endCursor"]
    rest = await driver.api.run(
        LIST, driver.token(Role.SUPERVISOR), clientId=client_id, first=5, after=after
    )
    assert [e["node"]["id"] for e in rest["fileDisclosures"]["edges"]] == [disclosure["id"]]
    # And the desk knows whom to ask for the records
    seen = await driver.api.run(CUSTODIAN, driver.token(Role.FRONT_DESK))
    assert seen["recordsCustodian"]["custodian"]["staff"]["id"] == nurse


async def test_a_withdrawn_sharing_consent_shares_nothing_more(driver: JourneyDriver) -> None:
    # Given a client who signed a DATA_SHARING consent, a disclosure made on it, then withdrew it
    client_id, jid = await _client_at_consent(driver)
    await _sign_sharing(driver, jid)
    before = _disclosure(client_id)
    made = await _record(driver, Role.SUPERVISOR, before)
    assert made["__typename"] == "FileDisclosurePayload", made
    withdraw = {"journeyId": jid, "kind": "DATA_SHARING"}
    await driver.ok(consent_support.WITHDRAW_CONSENT, Role.NURSE, **withdraw)
    # When another disclosure is recorded
    refused = await _record(driver, Role.SUPERVISOR, _disclosure(client_id))
    # Then it is refused, saying when the consent was withdrawn, and nothing is written
    assert refused["__typename"] == "SharingConsentMissing", refused
    assert refused["withdrawnAt"] is not None
    assert await _rows(client_id) == 1
    # And the retry of the one made while the consent stood is answered as it was
    assert await _record(driver, Role.SUPERVISOR, before) == made
    assert await _rows(client_id) == 1


async def test_an_e_mail_disclosure_cannot_be_expressed(driver: JourneyDriver) -> None:
    # Given a client who consents to sharing their file
    client_id, jid = await _client_at_consent(driver)
    await _sign_sharing(driver, jid)
    # When a disclosure by e-mail, or to a personal drive, is sent
    for channel in ("EMAIL", "PERSONAL_DRIVE", "CLOUD_DRIVE"):
        with pytest.raises(TransportQueryError) as refused:
            await _record(driver, Role.SUPERVISOR, _disclosure(client_id, channel=channel))
        # Then GraphQL refuses the value before any resolver runs, and nothing is written
        assert "DisclosureChannel" in str(refused.value)
    assert await _rows(client_id) == 0


async def test_only_supervisors_record_and_list_disclosures_and_name_the_custodian(
    driver: JourneyDriver,
) -> None:
    # Given a client who consents to sharing their file
    client_id, jid = await _client_at_consent(driver)
    await _sign_sharing(driver, jid)
    for role in (Role.NURSE, Role.EXPERT, Role.CONSULTANT, Role.FRONT_DESK, Role.CASHIER):
        # When another role records a disclosure, lists them, or names the custodian
        recorded = await _record(driver, role, _disclosure(client_id))
        listed = await driver.api.run(LIST, driver.token(role), clientId=client_id)
        named = await driver.api.run(
            SET_CUSTODIAN,
            driver.token(role),
            input={"staffId": driver.staff[role].global_id, "idempotencyKey": new_key()},
        )
        # Then each is NotAuthorized, and nothing is written
        assert recorded["__typename"] == "NotAuthorized", (role, recorded)
        assert listed["fileDisclosures"]["__typename"] == "NotAuthorized", (role, listed)
        assert named["setRecordsCustodian"]["__typename"] == "NotAuthorized", (role, named)
    assert await _rows(client_id) == 0


async def test_the_clients_copy_carries_their_sharing_consent(driver: JourneyDriver) -> None:
    # Given a client who signed a DATA_SHARING consent
    client_id, jid = await _client_at_consent(driver)
    await _sign_sharing(driver, jid)
    # When a supervisor takes the client's own copy of the file
    data = await driver.api.run(
        EXPORT_CLIENT_FILE, driver.token(Role.SUPERVISOR), input={"clientId": client_id}
    )
    copy = data["exportClientFile"]
    # Then the consent is in it, and in the FHIR Bundle as a privacy consent
    assert copy["__typename"] == "ClientFileExportPayload", copy
    assert [c["kind"] for c in copy["file"]["consents"]] == ["DATA_SHARING"]
    resources = [e["resource"] for e in copy["fhirBundle"]["entry"]]
    consents = [r for r in resources if r["resourceType"] == "Consent"]
    assert [c["scope"]["coding"][0]["code"] for c in consents] == ["patient-privacy"]
