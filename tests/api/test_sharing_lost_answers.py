"""A retry of a sharing act whose first attempt was done and whose answer was lost (the API
process died between writing the row and recording its answer under the idempotency key),
when something changed meanwhile that would refuse a new request: the consent withdrawn, a
newer text published, the custodian's account deactivated. The retry must answer what its
first attempt did, as every other mutation's does: a refusal saying "nothing recorded" beside
the row that was recorded tells the clinic the file was not shared when it was."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.models import IdempotencyKey
from tests.api import consent_support
from tests.api import test_file_disclosures as disclosures
from tests.api import test_sharing_consent as sharing
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_administration import UPDATE_STAFF

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _answer_lost(driver: JourneyDriver, role: Role, key: str) -> None:
    """The key stays claimed, its answer never recorded."""
    account = driver.staff[role].account_id
    assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1


async def _signed(driver: JourneyDriver, client_id: str) -> dict[str, Any]:
    template = await sharing._template(driver)
    signed = await sharing._run(
        driver, sharing.SIGN, Role.NURSE, **sharing._signing(client_id, template)
    )
    assert signed["__typename"] == "SharingConsentPayload", signed
    return signed


async def test_a_disclosure_retried_after_the_consent_was_withdrawn_answers_the_first(
    driver: JourneyDriver,
) -> None:
    # Given a disclosure recorded on the client's consent, whose answer was lost
    client_id = await driver.register_client()
    await _signed(driver, client_id)
    input = disclosures._disclosure(client_id)
    made = await disclosures._record(driver, Role.SUPERVISOR, input)
    assert made["__typename"] == "FileDisclosurePayload", made
    await _answer_lost(driver, Role.SUPERVISOR, input["idempotencyKey"])
    # And the client withdrew her consent since
    withdrawal = {"clientId": client_id, "idempotencyKey": new_key()}
    withdrawn = await sharing._run(driver, sharing.WITHDRAW, Role.NURSE, **withdrawal)
    assert withdrawn["__typename"] == "SharingConsentWithdrawalPayload", withdrawn
    # When the supervisor's front end retries the disclosure
    again = await disclosures._record(driver, Role.SUPERVISOR, input)
    # Then it is answered with the disclosure made while the consent stood, written once
    assert again == made
    assert await disclosures._rows(client_id) == 1


async def test_a_consent_retried_after_a_newer_text_was_published_answers_the_first(
    driver: JourneyDriver,
) -> None:
    # Given a DATA_SHARING consent signed on version 1 of a template, whose answer was lost
    client_id = await driver.register_client()
    template = await sharing._template(driver)
    signing = sharing._signing(client_id, template)
    signed = await sharing._run(driver, sharing.SIGN, Role.NURSE, **signing)
    assert signed["__typename"] == "SharingConsentPayload", signed
    await _answer_lost(driver, Role.NURSE, signing["idempotencyKey"])
    # And the clinic published version 2 of the text since
    await consent_support.publish(
        driver, template["templateId"], "2", kind="DATA_SHARING", procedureType="client-file"
    )
    # When the nurse's front end retries the signature
    again = await sharing._run(driver, sharing.SIGN, Role.NURSE, **signing)
    # Then it is answered with the consent signed, not refused as a text replaced
    assert again == signed


async def test_a_withdrawal_retried_after_its_answer_was_lost_answers_what_it_withdrew(
    driver: JourneyDriver,
) -> None:
    # Given the client's DATA_SHARING consent withdrawn, the withdrawal's answer lost
    client_id = await driver.register_client()
    signed = await _signed(driver, client_id)
    withdrawal = {"clientId": client_id, "idempotencyKey": new_key()}
    withdrawn = await sharing._run(driver, sharing.WITHDRAW, Role.NURSE, **withdrawal)
    assert withdrawn["__typename"] == "SharingConsentWithdrawalPayload", withdrawn
    assert [s["id"] for s in withdrawn["withdrawn"]] == [signed["signature"]["id"]]
    await _answer_lost(driver, Role.NURSE, withdrawal["idempotencyKey"])
    # When the nurse's front end retries it
    again = await sharing._run(driver, sharing.WITHDRAW, Role.NURSE, **withdrawal)
    # Then it is answered with the consent it withdrew, not told none was in force
    assert again == withdrawn


async def test_a_custodian_named_and_retried_after_a_deactivation_answers_the_first(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic whose supervisor named a nurse its records custodian, the answer lost
    clinic = await fresh_clinic()
    nurse = clinic.staff[Role.NURSE].global_id
    naming = {"staffId": nurse, "idempotencyKey": new_key()}
    supervisor = clinic.token(Role.SUPERVISOR)
    named = await clinic.api.run(disclosures.SET_CUSTODIAN, supervisor, input=naming)
    assert named["setRecordsCustodian"]["__typename"] == "RecordsCustodianPayload", named
    await _answer_lost(clinic, Role.SUPERVISOR, naming["idempotencyKey"])
    # And the nurse's account was deactivated since
    off = {"staffId": nurse, "active": False, "idempotencyKey": new_key()}
    done = await clinic.api.run(UPDATE_STAFF, clinic.token(Role.ADMIN), input=off)
    assert done["updateStaffAccount"]["__typename"] == "StaffAccountPayload", done
    # When the supervisor's front end retries the naming
    again = await clinic.api.run(disclosures.SET_CUSTODIAN, supervisor, input=naming)
    # Then it is answered as the appointment made (the nurse named, no longer active)
    payload = again["setRecordsCustodian"]
    assert payload["__typename"] == "RecordsCustodianPayload", again
    assert payload["custodian"]["staff"]["id"] == nurse
    assert payload["custodian"]["active"] is False
