"""A DATA_SHARING consent signed for the client, in no journey (`signSharingConsent`), and
withdrawn (`withdrawSharingConsent`): a client whose treatment is long over lets the clinic
send her file to her family doctor or an insurer (seed 000: only on her written consent)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from domain.roles import Role
from domain.store.consents import ConsentSignature as SignatureRow
from schema.ids import decode_id
from tests.api import consent_support, documents
from tests.api import test_file_disclosures as disclosures
from tests.api.flow import JourneyDriver, new_key

SIGNATURE = "id journeyId kind contentHash signerName capacity guardianName witnessRole withdrawnAt"
SIGN = f"""
mutation Sign($input: SignSharingConsentInput!) {{
  signSharingConsent(input: $input) {{
    __typename
    ... on SharingConsentPayload {{ signature {{ {SIGNATURE} }} }}
    ... on ValidationFailed {{ problems {{ field message }} }}
    ... on UserError {{ code message }}
  }}
}}
"""
WITHDRAW = f"""
mutation Withdraw($input: WithdrawSharingConsentInput!) {{
  withdrawSharingConsent(input: $input) {{
    __typename
    ... on SharingConsentWithdrawalPayload {{ withdrawn {{ {SIGNATURE} }} }}
    ... on ValidationFailed {{ problems {{ field message }} }}
    ... on UserError {{ code message }}
  }}
}}
"""


async def _template(driver: JourneyDriver) -> dict[str, Any]:
    key = f"file-sharing-{uuid.uuid4().hex[:8]}"
    template = await consent_support.publish(
        driver, key, kind="DATA_SHARING", procedureType="client-file"
    )
    return {"templateId": key, "templateVersion": str(template["version"])}


async def _run(driver: JourneyDriver, document: str, role: Role, **input: Any) -> dict[str, Any]:
    data = await driver.api.run(document, driver.token(role), input=input)
    return next(iter(data.values()))  # type: ignore[no-any-return]


def _signing(client_id: str, template: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "signerName": "Anna Nowak",
        "rightsExplained": True,
        "signature": {"format": "SVG_PATH", "data": "M 10 10 L 20 20"},
        "idempotencyKey": new_key(),
        **template,
        **extra,
    }


async def test_a_client_in_no_journey_consents_and_her_file_is_shared(
    driver: JourneyDriver,
) -> None:
    # Given a registered client with no journey waiting in CONSENT, and a published template
    client_id = await driver.register_client()
    template = await _template(driver)
    # When a nurse witnesses her DATA_SHARING consent, and sends it again after a lost answer
    signing = _signing(client_id, template)
    signed = await _run(driver, SIGN, Role.NURSE, **signing)
    again = await _run(driver, SIGN, Role.NURSE, **signing)
    # Then it is signed once, for the client, in no journey, with its proof
    assert signed["__typename"] == "SharingConsentPayload", signed
    assert again == signed
    signature = signed["signature"]
    assert (signature["journeyId"], signature["kind"]) == (None, "DATA_SHARING")
    assert (signature["capacity"], signature["witnessRole"]) == ("CLIENT", "NURSE")
    assert signature["contentHash"]
    raw_client = decode_id(client_id, "Client")
    assert await SignatureRow.filter(client_id=raw_client).count() == 1
    # And another signer under the same key is a Conflict
    other = await _run(driver, SIGN, Role.NURSE, **{**signing, "signerName": "Ewa Nowak"})
    assert other["__typename"] == "Conflict", other
    # And a supervisor records a disclosure of her file on it
    made = await disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
    assert made["__typename"] == "FileDisclosurePayload", made
    assert made["disclosure"]["consentId"] == decode_id(signature["id"], "ConsentSignature")


async def test_only_a_published_text_and_a_guardian_for_a_minor(driver: JourneyDriver) -> None:
    # Given a client under 18, and a published template
    data = await driver.api.run(
        documents.REGISTER_CLIENT,
        driver.token(Role.FRONT_DESK),
        input={
            "fullName": "Ola Nowak",
            "birthDate": "2012-05-01",
            "phone": "+48 600 100 201",
            "dataConsent": True,
            "guardianName": "Anna Nowak",  # a minor consents by her guardian
            "guardianRelation": "mother",
            "registerAnyway": True,
        },
    )
    client_id = data["registerClient"]["client"]["id"]
    template = await _template(driver)
    # When she signs herself, or on a key nothing is published under
    herself = await _run(driver, SIGN, Role.NURSE, **_signing(client_id, template))
    paper = {"templateId": "paper-form", "templateVersion": "1"}
    guardian = {"guardianName": "Jan Nowak", "guardianRelation": "father"}
    unproven = await _run(driver, SIGN, Role.NURSE, **_signing(client_id, paper, **guardian))
    # Then each is refused, and nothing is signed
    assert herself["__typename"] == "ValidationFailed", herself
    assert [p["field"] for p in herself["problems"]] == ["capacity"]
    assert unproven["__typename"] == "ValidationFailed", unproven
    assert [p["field"] for p in unproven["problems"]] == ["templateId"]
    # And her guardian signs it for her
    signed = await _run(driver, SIGN, Role.NURSE, **_signing(client_id, template, **guardian))
    assert signed["__typename"] == "SharingConsentPayload", signed
    assert signed["signature"]["capacity"] == "GUARDIAN"
    # And a front-desk account may not witness it
    desk = await _run(driver, SIGN, Role.FRONT_DESK, **_signing(client_id, template))
    assert desk["__typename"] == "NotAuthorized", desk


async def test_a_withdrawal_ends_every_sharing_consent_of_hers(driver: JourneyDriver) -> None:
    # Given a client who signed a DATA_SHARING consent in a journey and one for herself
    client_id, jid = await disclosures._client_at_consent(driver)
    await disclosures._sign_sharing(driver, jid)
    signed = await _run(driver, SIGN, Role.NURSE, **_signing(client_id, await _template(driver)))
    assert signed["__typename"] == "SharingConsentPayload", signed
    # When she withdraws her consent to share her file, and it is sent again
    withdrawal = {"clientId": client_id, "idempotencyKey": new_key()}
    withdrawn = await _run(driver, WITHDRAW, Role.NURSE, **withdrawal)
    again = await _run(driver, WITHDRAW, Role.NURSE, **withdrawal)
    # Then both consents are withdrawn, once
    assert withdrawn["__typename"] == "SharingConsentWithdrawalPayload", withdrawn
    assert again == withdrawn
    ended = withdrawn["withdrawn"]
    assert len(ended) == 2 and all(s["withdrawnAt"] for s in ended), ended
    # And nothing of her file is shared after it
    refused = await disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
    assert refused["__typename"] == "SharingConsentMissing", refused
    # And a new withdrawal finds none in force
    none = await _run(driver, WITHDRAW, Role.NURSE, clientId=client_id, idempotencyKey=new_key())
    assert none["__typename"] == "ValidationFailed", none


async def test_withdrawals_sent_at_once_withdraw_once_and_refuse_the_others(
    driver: JourneyDriver,
) -> None:
    # Given a client who signed a DATA_SHARING consent for herself
    client_id = await driver.register_client()
    signed = await _run(driver, SIGN, Role.NURSE, **_signing(client_id, await _template(driver)))
    assert signed["__typename"] == "SharingConsentPayload", signed
    # When four withdrawals of it are sent at once, each its own request
    answers = await asyncio.gather(
        *(
            _run(driver, WITHDRAW, Role.NURSE, clientId=client_id, idempotencyKey=new_key())
            for _ in range(4)
        )
    )
    # Then one withdrew it, and each other is answered as a withdrawal sent after it is: none
    # in force (before, one that had looked before the first wrote answered an empty list)
    later = await _run(driver, WITHDRAW, Role.NURSE, clientId=client_id, idempotencyKey=new_key())
    assert later["__typename"] == "ValidationFailed", later
    withdrew = [a for a in answers if a["__typename"] == "SharingConsentWithdrawalPayload"]
    assert [len(a["withdrawn"]) for a in withdrew] == [1], answers
    assert [a for a in answers if a not in withdrew] == [later] * 3, answers
