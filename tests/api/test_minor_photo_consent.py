"""A client under 18 gives no photo purpose on a staff member's word, the clinical record
included (seed 000: a guardian signs for a minor): only a PHOTO consent their guardian signs
gives one. A withdrawal needs no signature, and a change recorded before the rule covered the
clinical record is answered on retry as it was."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from domain.roles import Role
from domain.store.models import IdempotencyKey
from schema.photos import consent as photo_consent
from schema.photos.consent import GUARDIAN_SIGNS
from tests.api import documents
from tests.api.flow import JourneyDriver, end_journey
from tests.api.photo_support import CONSENTS, PHOTOS, new_key, set_consent

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
SET = f"""
mutation Consent($input: SetPhotoConsentInput!) {{
  setPhotoConsent(input: $input) {{
    __typename
    ... on PhotoConsentPayload {{ change {{ id purpose given }} consents {{ {CONSENTS} }} }}
    ... on ValidationFailed {{ problems {{ field message }} }}
  }}
}}
"""
REFUSED = {
    "__typename": "ValidationFailed",
    "problems": [{"field": "given", "message": GUARDIAN_SIGNS}],
}


async def _register_minor(clinic: JourneyDriver) -> str:
    """A client of 14 (day 1 of this month: no leap day to fall on)."""
    born = date.today().replace(year=date.today().year - 14, day=1)
    data = await clinic.api.run(
        documents.REGISTER_CLIENT,
        clinic.token(Role.FRONT_DESK),
        input={
            "fullName": "Ola Nowak",
            "birthDate": born.isoformat(),
            "phone": "+48 600 100 201",
            "dataConsent": True,
            "guardianName": "Anna Nowak",  # a minor consents by her guardian
            "guardianRelation": "mother",
            "registerAnyway": True,  # shared test data, another person
        },
    )
    return data["registerClient"]["client"]["id"]  # type: ignore[no-any-return]


async def _set(clinic: JourneyDriver, **input: Any) -> dict[str, Any]:
    data = await clinic.api.run(SET, clinic.token(Role.FRONT_DESK), input=input)
    return data["setPhotoConsent"]  # type: ignore[no-any-return]


async def _consents(clinic: JourneyDriver, client: str) -> dict[str, Any]:
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    return data["client"]["photoConsents"]  # type: ignore[no-any-return]


async def test_a_minor_gives_no_photo_purpose_but_by_a_guardian_s_signature(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client of 14
    clinic = await fresh_clinic()
    client = await _register_minor(clinic)
    # When the front desk records any purpose on its own word, the clinical record included
    for purpose in ("CLINICAL_RECORD", "MARKETING", "TEACHING"):
        asked = {"clientId": client, "purpose": purpose, "given": True}
        refused = await _set(clinic, **asked, idempotencyKey=new_key())
        # Then it is refused, typed: a photo consent the guardian signs gives it
        assert refused == REFUSED, (purpose, refused)
    # And nothing was recorded
    assert await _consents(clinic, client) == {"inForce": [], "changes": []}
    # While a withdrawal is recorded as asked
    assert (await set_consent(clinic, client, "MARKETING", False))["inForce"] == []
    # When her father signs a PHOTO consent for her clinical record, as her guardian
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    await clinic.ok(
        documents.SIGN_CONSENT,
        Role.NURSE,
        journeyId=journey["id"],
        kind="PHOTO",
        signerName="Jan Nowak",
        capacity="GUARDIAN",
        guardianName="Jan Nowak",
        guardianRelation="father",
        templateId="photo-consent",
        templateVersion="1",
        rightsExplained=True,
        photoPurposes=["CLINICAL_RECORD"],
        idempotencyKey=new_key(),
    )
    # Then the clinical record is given, by his signature
    consents = await _consents(clinic, client)
    assert consents["inForce"] == ["CLINICAL_RECORD"]
    assert [(c["purpose"], c["given"], c["recordedByRole"]) for c in consents["changes"]] == [
        ("MARKETING", False, "FRONT_DESK"),
        ("CLINICAL_RECORD", True, "NURSE"),
    ]
    await end_journey(clinic, journey["id"])


async def test_a_minor_s_clinical_record_recorded_before_the_rule_is_answered_on_retry(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client of 14 whose clinical record the front desk gave, withdrew and gave again
    # on its word, as a release before the rule let it, the last answer lost before its key
    # was settled
    clinic = await fresh_clinic()
    client = await _register_minor(clinic)
    given = {"clientId": client, "purpose": "CLINICAL_RECORD", "given": True}
    answered, lost = {**given, "idempotencyKey": new_key()}, {**given, "idempotencyKey": new_key()}
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(photo_consent, "_needs_a_guardian", _beyond_care_only)
        first = await _set(clinic, **answered)
        assert first["__typename"] == "PhotoConsentPayload", first
        await set_consent(clinic, client, "CLINICAL_RECORD", False)
        second = await _set(clinic, **lost)
        assert second["__typename"] == "PhotoConsentPayload", second
    assert await IdempotencyKey.filter(key=lost["idempotencyKey"]).update(result_id="") == 1
    # When the front desk's app retries both with their keys
    first_again, second_again = await _set(clinic, **answered), await _set(clinic, **lost)
    # Then each is answered with the change it recorded, and nothing new is recorded
    assert first_again["change"] == first["change"]
    assert second_again["change"] == second["change"]
    assert len((await _consents(clinic, client))["changes"]) == 3
    # While the same consent under a new key is refused: the guardian signs for it now
    assert await _set(clinic, **given, idempotencyKey=new_key()) == REFUSED


@pytest.mark.parametrize("withdrawn", [False, True], ids=["standing", "withdrawn-since"])
async def test_a_minor_s_consent_found_standing_before_the_rule_is_answered_on_retry(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch, withdrawn: bool
) -> None:
    # Given a client of 14 whose clinical record the front desk gave on its word, as a release
    # before the rule let it, and then asked again under another key: that found it given and
    # recorded nothing, its answer lost before its key was settled
    clinic = await fresh_clinic()
    client = await _register_minor(clinic)
    given = {"clientId": client, "purpose": "CLINICAL_RECORD", "given": True}
    again = {**given, "idempotencyKey": new_key()}
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(photo_consent, "_needs_a_guardian", _beyond_care_only)
        first = await _set(clinic, **given, idempotencyKey=new_key())
        assert first["__typename"] == "PhotoConsentPayload", first
        found = await _set(clinic, **again)
        assert found["change"] == first["change"], found
    assert await IdempotencyKey.filter(key=again["idempotencyKey"]).update(result_id="") == 1
    # (and, one way, the purpose withdrawn since: a withdrawal needs no guardian)
    if withdrawn:
        await set_consent(clinic, client, "CLINICAL_RECORD", False)
    # When the front desk's app retries it with its key, under the rule
    retried = await _set(clinic, **again)
    # Then it is answered with the change it found, and gives nothing anew
    assert retried["__typename"] == "PhotoConsentPayload", retried
    assert retried["change"] == first["change"]
    consents = await _consents(clinic, client)
    assert consents["inForce"] == ([] if withdrawn else ["CLINICAL_RECORD"])
    assert len(consents["changes"]) == (2 if withdrawn else 1)
    # While the same consent under a new key is refused
    assert await _set(clinic, **given, idempotencyKey=new_key()) == REFUSED


async def _beyond_care_only(info: object, client: object, input: Any) -> bool:
    """The guardian's rule as a release before it covered the clinical record had it."""
    return bool(input.given and input.purpose.value in ("MARKETING", "TEACHING"))
