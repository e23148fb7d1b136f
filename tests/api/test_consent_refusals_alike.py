"""A consent signed or withdrawn in a journey (`signConsent`, `withdrawConsent`) and one signed
or withdrawn for the client in none (`signSharingConsent`, `withdrawSharingConsent`) refuse the
same failure alike, on a field of their own input, so one signing screen shows it in one place:
a client under 18 signing herself is a problem of `capacity`, and a withdrawal with nothing in
force names the field of the input that says whose consent it is."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from tests.api import consent_support, documents
from tests.api import test_sharing_consent as sharing
from tests.api.flow import JourneyDriver, assert_unchanged, new_key


def _problems(answer: dict[str, Any]) -> list[str]:
    assert answer["__typename"] == "ValidationFailed", answer
    return [problem["field"] for problem in answer["problems"]]


async def test_a_minor_signing_herself_is_a_problem_of_capacity_in_a_journey_or_none(
    driver: JourneyDriver,
) -> None:
    # Given a client of 14 whose journey waits in CONSENT, and a published DATA_SHARING text
    client_id = await consent_support.register_minor(driver)
    jid = await consent_support.at_consent(driver, client_id)
    before = await driver.journey(jid)
    template = await sharing._template(driver)
    # When she signs it herself, in the journey and for herself in none
    signing = sharing._signing(client_id, template, signerName="Ola Nowak")
    alone = await sharing._run(driver, sharing.SIGN, Role.NURSE, **signing)
    in_journey = {k: v for k, v in signing.items() if k != "clientId"}
    refused = await driver.act(
        documents.SIGN_CONSENT, Role.NURSE, journeyId=jid, kind="DATA_SHARING", **in_journey
    )
    # Then both are refused alike, on `capacity`, and the journey is as it was
    assert _problems(alone) == ["capacity"]
    assert _problems(refused) == ["capacity"]
    assert refused["problems"] == alone["problems"]
    await assert_unchanged(driver, before)
    # And a guardian signing for her is taken in the journey
    guardian = {"guardianName": "Jan Nowak", "guardianRelation": "father"}
    retaken = {**in_journey, **guardian, "idempotencyKey": new_key()}
    signed = await driver.act(
        documents.SIGN_CONSENT, Role.NURSE, journeyId=jid, kind="DATA_SHARING", **retaken
    )
    assert signed["__typename"] == "JourneyPayload", signed


async def test_nothing_in_force_to_withdraw_names_a_field_of_the_input(
    driver: JourneyDriver,
) -> None:
    # Given a client who never signed a DATA_SHARING consent
    client_id = await driver.register_client()
    # When her withdrawal of one is recorded
    withdrawal = {"clientId": client_id, "idempotencyKey": new_key()}
    refused = await sharing._run(driver, sharing.WITHDRAW, Role.NURSE, **withdrawal)
    # Then it is refused on `clientId`, a field WithdrawSharingConsentInput has (not `kind`)
    assert _problems(refused) == ["clientId"]
    assert refused["problems"][0]["message"] == "no DATA_SHARING consent is in force"


async def test_nothing_in_force_is_refused_alike_while_the_journey_runs_and_after_it(
    driver: JourneyDriver,
) -> None:
    # Given a client whose journey waits in CONSENT, nothing signed in it
    client_id = await driver.register_client()
    jid = await consent_support.at_consent(driver, client_id)
    before = await driver.journey(jid)
    # When her PHOTO consent, and her PROCEDURE consent, are withdrawn while it runs
    withdrawing = {"journeyId": jid, "kind": "PHOTO"}
    running = await driver.act(
        consent_support.WITHDRAW_CONSENT, Role.NURSE, **withdrawing, idempotencyKey=new_key()
    )
    procedure = {**withdrawing, "kind": "PROCEDURE", "idempotencyKey": new_key()}
    unsigned = await driver.act(consent_support.WITHDRAW_CONSENT, Role.NURSE, **procedure)
    # Then each is refused on `kind`, naming the consent, and the journey is as it was
    assert _problems(running) == ["kind"]
    assert running["problems"][0]["message"] == "no PHOTO consent is in force"
    assert unsigned["problems"] == [
        {"field": "kind", "message": "no PROCEDURE consent is in force"}
    ]
    await assert_unchanged(driver, before)
    # And once the journey has ended, the same withdrawal is refused the same way
    await driver.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=jid, reason="moved away")
    ended = await driver.act(
        consent_support.WITHDRAW_CONSENT, Role.NURSE, **withdrawing, idempotencyKey=new_key()
    )
    assert ended == running
