"""Withdrawing a PHOTO consent withdraws the purposes it gave, and no other: a purpose the client
gave otherwise stands, whether the consent was signed on a paper form or on a published
template. A consent signed before the purposes it gave were kept ends every purpose in force,
as it always did."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.photos.purposes import PhotoPurpose
from domain.roles import Role
from domain.store.models import Journey as JourneyRow
from domain.store.photos import PhotoConsentChange, PhotoConsentGrant
from schema.ids import decode_id
from schema.journeys import consent as sign_consent
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT, consents, publish, signing
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.photo_support import PHOTOS, set_consent, sign_photo_consent

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _photo_consents(clinic: JourneyDriver, client: str) -> dict[str, Any]:
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    return data["client"]["photoConsents"]  # type: ignore[no-any-return]


def _history(photo_consents: dict[str, Any]) -> list[tuple[str, bool, str]]:
    return [(c["purpose"], c["given"], c["recordedByRole"]) for c in photo_consents["changes"]]


async def _withdraw(clinic: JourneyDriver, journey_id: str) -> None:
    withdrawn = await clinic.ok(
        WITHDRAW_CONSENT, Role.NURSE, journeyId=journey_id, kind="PHOTO", idempotencyKey=new_key()
    )
    assert withdrawn["stage"] == "CONSENT"  # photos stop no treatment: the journey goes on


async def test_a_paper_photo_consent_withdrawn_takes_back_only_its_purposes(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who let the front desk record photos for her clinical record, then signed
    # a paper PHOTO consent for marketing
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    await sign_photo_consent(clinic, journey["id"], ["MARKETING"])
    assert (await _photo_consents(clinic, client))["inForce"] == ["CLINICAL_RECORD", "MARKETING"]
    # When she withdraws the photo consent
    await _withdraw(clinic, journey["id"])
    # Then marketing, which it gave, is withdrawn, and her clinical record stands
    photo_consents = await _photo_consents(clinic, client)
    assert photo_consents["inForce"] == ["CLINICAL_RECORD"]
    assert _history(photo_consents) == [
        ("CLINICAL_RECORD", True, "FRONT_DESK"),
        ("MARKETING", True, "NURSE"),
        ("MARKETING", False, "NURSE"),
    ]
    await end_journey(clinic, journey["id"])


async def test_a_signed_photo_consent_withdrawn_takes_back_only_its_purposes(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who gave photos for her clinical record, then signed a published PHOTO
    # consent for teaching
    clinic = await fresh_clinic()
    await publish(clinic, key="photo-consent", kind="PHOTO")
    client = await clinic.register_client()
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    teaching = signing(
        jid,
        1,
        kind="PHOTO",
        templateId="photo-consent",
        photoPurposes=["TEACHING"],
        idempotencyKey=new_key(),
    )
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **teaching)
    # When she withdraws it
    await _withdraw(clinic, jid)
    # Then the signature is marked withdrawn, teaching with it, and her clinical record stands
    (signature,) = await consents(clinic, client)
    assert signature["withdrawnAt"] is not None
    photo_consents = await _photo_consents(clinic, client)
    assert photo_consents["inForce"] == ["CLINICAL_RECORD"]
    assert [c[:2] for c in _history(photo_consents)][1:] == [
        ("TEACHING", True),
        ("TEACHING", False),
    ]
    await end_journey(clinic, jid)


async def test_a_photo_consent_signed_before_its_purposes_were_kept_ends_every_purpose(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client who gave photos for her clinical record, then signed a paper PHOTO
    # consent for marketing, recorded as a release before grants recorded it: its changes only
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))

    async def changes_only(
        journey: JourneyRow,
        purposes: Iterable[PhotoPurpose],
        seed_id: str,
        signature_id: str | None,
        witness: tuple[str, str],
    ) -> None:
        for purpose in purposes:
            await PhotoConsentChange.create(
                id=f"{seed_id[:48]}-{purpose.value.lower()}",
                clinic_id=journey.clinic_id,
                client_id=journey.client_id,
                purpose=purpose.value,
                given=True,
                signature_id=signature_id,
                recorded_by=witness[0],
                recorded_by_role=witness[1],
                recorded_at=datetime.now(UTC),
            )

    with monkeypatch.context() as before_grants:
        before_grants.setattr(sign_consent, "record_signed_purposes", changes_only)
        await sign_photo_consent(clinic, journey["id"], ["MARKETING"])
    assert not await PhotoConsentGrant.exists(journey_id=decode_id(journey["id"], "Journey"))
    # When she withdraws the photo consent
    await _withdraw(clinic, journey["id"])
    # Then every purpose in force is withdrawn, as then: nothing says which ones it gave
    photo_consents = await _photo_consents(clinic, client)
    assert photo_consents["inForce"] == []
    assert sorted(_history(photo_consents)[2:]) == [
        ("CLINICAL_RECORD", False, "NURSE"),
        ("MARKETING", False, "NURSE"),
    ]
    await end_journey(clinic, journey["id"])
