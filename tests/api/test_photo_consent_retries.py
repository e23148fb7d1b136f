"""Photo consents asked more than once: a withdrawal retried after its answer was lost, and the
same consent sent several times at once. A retry does what its first attempt did, and a call
that changes nothing adds nothing to the history."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.models import IdempotencyKey
from domain.store.photos import PhotoConsentChange
from schema.ids import decode_id
from schema.journeys import consent_changes
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT, consents, publish, signing
from tests.api.flow import JourneyDriver, new_key
from tests.api.photo_support import PHOTOS, SET_CONSENT, set_consent, sign_photo_consent

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_retried_photo_withdrawal_leaves_a_purpose_given_after_it(
    fresh_clinic: Clinic,
) -> None:
    # Given a client who signed a PHOTO consent for teaching, then withdrew it, the answer lost
    # before its key was settled
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    await sign_photo_consent(clinic, journey["id"], ["TEACHING"])
    key = new_key()
    withdraw = {"journeyId": journey["id"], "kind": "PHOTO", "idempotencyKey": key}
    await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **withdraw)
    assert await IdempotencyKey.filter(key=key).update(result_id="") == 1
    # And afterwards the client gives photos for the clinical record
    consents = await set_consent(clinic, client, "CLINICAL_RECORD", True)
    assert consents["inForce"] == ["CLINICAL_RECORD"]
    # When the nurse's app retries the withdrawal with its key
    retried = await clinic.act(WITHDRAW_CONSENT, Role.NURSE, **withdraw)
    assert retried["__typename"] == "JourneyPayload", retried
    # Then the retry changed nothing: the purpose given after the withdrawal still stands, and
    # the history holds the signing, its withdrawal and the new purpose only
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    photo_consents = data["client"]["photoConsents"]
    assert photo_consents["inForce"] == ["CLINICAL_RECORD"]
    changes = [(c["purpose"], c["given"]) for c in photo_consents["changes"]]
    assert sorted(changes) == [("CLINICAL_RECORD", True), ("TEACHING", False), ("TEACHING", True)]


async def test_a_withdrawal_retried_after_a_new_signature_withdraws_the_one_it_was_asked_for(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a PHOTO consent for teaching signed on a published template, and its withdrawal,
    # whose process died once the journey took it, before the signature was marked
    clinic = await fresh_clinic()
    await publish(clinic, key="photo-consent", kind="PHOTO")
    client = await clinic.register_client()
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    photo = {"kind": "PHOTO", "templateId": "photo-consent"}
    teaching = signing(jid, 1, **photo, photoPurposes=["TEACHING"], idempotencyKey=new_key())
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **teaching)
    marked, calls = consent_changes.write_withdrawal, []

    async def dies_once(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the process died")
        await marked(*args, **kwargs)

    monkeypatch.setattr(consent_changes, "write_withdrawal", dies_once)
    withdraw = {"journeyId": jid, "kind": "PHOTO", "idempotencyKey": new_key()}
    with pytest.raises(TransportQueryError):
        await clinic.api.run(WITHDRAW_CONSENT, clinic.token(Role.NURSE), input=withdraw)
    # And afterwards the client signs a new PHOTO consent, for marketing
    marketing = signing(jid, 1, **photo, photoPurposes=["MARKETING"], idempotencyKey=new_key())
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **marketing)
    # When the nurse's app retries the withdrawal with its key
    retried = await clinic.act(WITHDRAW_CONSENT, Role.NURSE, **withdraw)
    assert retried["__typename"] == "JourneyPayload", retried
    # Then the consent it was asked for is withdrawn, with its purpose, and the new one stands
    first, second = await consents(clinic, client)
    assert first["withdrawnAt"] is not None and second["withdrawnAt"] is None
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    assert data["client"]["photoConsents"]["inForce"] == ["MARKETING"]


async def test_the_same_photo_consent_sent_at_once_is_recorded_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a client with no photo consent
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    token = clinic.token(Role.FRONT_DESK)
    given = {"clientId": client, "purpose": "CLINICAL_RECORD", "given": True}
    # When a double-clicking SPA sends the same consent six times at once, a key each
    answers = await asyncio.gather(
        *(
            clinic.api.run(SET_CONSENT, token, input={**given, "idempotencyKey": new_key()})
            for _ in range(6)
        )
    )
    # Then every call is answered with the consent in force
    assert {a["setPhotoConsent"]["__typename"] for a in answers} == {"PhotoConsentPayload"}
    assert {tuple(a["setPhotoConsent"]["consents"]["inForce"]) for a in answers} == {
        ("CLINICAL_RECORD",)
    }
    # And the history holds one change: a call that changes nothing adds none
    raw = decode_id(client, "Client")
    assert await PhotoConsentChange.filter(client_id=raw).count() == 1
