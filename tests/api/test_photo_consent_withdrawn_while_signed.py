"""A PHOTO consent withdrawn while its purposes are being written: the journey took the signing
step, then the withdrawal's step, before the signing request wrote the purposes it gives. The
withdrawal found no purposes to take back, and those written after it stood in force (a photo
usable for marketing) while the journey counted the consent withdrawn. The withdrawal is sent
over HTTP, and answered, between the signing step and the purposes' rows.

Finding no grant, the withdrawal took the consent for one signed before grants were kept and
ended every purpose in force, the clinical record the client gave on her own included: a
signing still being written takes back what it gave itself, and the withdrawal leaves the rest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from domain.roles import Role
from schema.journeys import consent
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT, consents, publish
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.photo_support import PHOTOS, set_consent

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
# What a PHOTO consent signed for marketing and teaching, then withdrawn, leaves in the purposes'
# history: each given by the signing's nurse, then withdrawn by the withdrawal's.
GIVEN_THEN_WITHDRAWN = [
    ("MARKETING", True, "NURSE"),
    ("TEACHING", True, "NURSE"),
    ("MARKETING", False, "NURSE"),
    ("TEACHING", False, "NURSE"),
]


async def _photo_consents(clinic: JourneyDriver, client: str) -> dict[str, Any]:
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    return data["client"]["photoConsents"]  # type: ignore[no-any-return]


def _history(photo_consents: dict[str, Any]) -> list[tuple[str, bool, str]]:
    return [(c["purpose"], c["given"], c["recordedByRole"]) for c in photo_consents["changes"]]


def _withdrawn_before_purposes_written(
    clinic: JourneyDriver, monkeypatch: pytest.MonkeyPatch, withdrawal: dict[str, Any]
) -> list[dict[str, Any]]:
    """Sends `withdrawal` once, answered, when a signing is about to write its purposes: after
    the journey took the signing step. The answers it got (one, once a signing ran)."""
    real_record = consent.record_signed_purposes
    withdrawn: list[dict[str, Any]] = []

    async def withdrawn_first(*args: Any, **kwargs: Any) -> Any:
        if not withdrawn:
            withdrawn.append(await clinic.act(WITHDRAW_CONSENT, Role.NURSE, **withdrawal))
        return await real_record(*args, **kwargs)

    monkeypatch.setattr(consent, "record_signed_purposes", withdrawn_first)
    return withdrawn


def _signing(journey_id: str) -> dict[str, Any]:
    """A PHOTO consent for marketing and teaching: on the published template, if any, else on
    the paper form its key stands for."""
    return {
        "journeyId": journey_id,
        "kind": "PHOTO",
        "signerName": "Anna Nowak",
        "templateId": "photo-consent",
        "templateVersion": "1",
        "signature": {"format": "SVG_PATH", "data": "M 10 10 L 20 20"},
        "rightsExplained": True,
        "photoPurposes": ["MARKETING", "TEACHING"],
        "idempotencyKey": new_key(),
    }


@dataclass(frozen=True)
class SignedWhileWithdrawn:
    """A PHOTO consent's signing and its withdrawal sent in the signing's window, both taken."""

    journey_id: str
    signing: dict[str, Any]
    signed: dict[str, Any]
    withdrawal: dict[str, Any]
    withdrawn: dict[str, Any]


async def _signed_while_withdrawn(
    clinic: JourneyDriver, monkeypatch: pytest.MonkeyPatch, client: str
) -> SignedWhileWithdrawn:
    """The client's journey at CONSENT; her withdrawal of the photo consent sent right after
    the journey took its signing (for marketing and teaching), before the purposes it gives are
    written. Both steps taken, the signing first."""
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    withdrawal = {"journeyId": jid, "kind": "PHOTO", "idempotencyKey": new_key()}
    withdrawn = _withdrawn_before_purposes_written(clinic, monkeypatch, withdrawal)
    signing = _signing(jid)
    signed = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **signing)
    assert signed["__typename"] == "JourneyPayload", signed
    (taken,) = withdrawn
    assert taken["__typename"] == "JourneyPayload", taken
    return SignedWhileWithdrawn(jid, signing, signed, withdrawal, taken)


async def _retried_alike(
    clinic: JourneyDriver, client: str, steps: SignedWhileWithdrawn, photo_consents: Any
) -> None:
    """A retry of either request answers as the first time, giving or taking nothing back."""
    assert await clinic.act(WITHDRAW_CONSENT, Role.NURSE, **steps.withdrawal) == steps.withdrawn
    assert await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **steps.signing) == steps.signed
    assert await _photo_consents(clinic, client) == photo_consents
    await end_journey(clinic, steps.journey_id)


async def _client_of(fresh_clinic: FreshClinic, published: bool) -> tuple[JourneyDriver, str]:
    """A client of a new clinic whose PHOTO consent is signed on its published template, or on
    the paper form its key stands for."""
    clinic = await fresh_clinic()
    if published:
        await publish(clinic, key="photo-consent", kind="PHOTO")
    return clinic, await clinic.register_client()


async def _signature_withdrawn(clinic: JourneyDriver, client: str) -> bool:
    """Whether her signature of a published template is marked withdrawn (False: none)."""
    signatures = await consents(clinic, client)
    assert len(signatures) <= 1, signatures
    return bool(signatures) and signatures[0]["withdrawnAt"] is not None


@pytest.mark.parametrize("published", [True, False], ids=["published", "paper"])
async def test_a_withdrawal_taken_before_the_purposes_were_written_takes_them_back(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch, published: bool
) -> None:
    # Given a journey at CONSENT
    clinic, client = await _client_of(fresh_clinic, published)
    # When the consent is signed for marketing and teaching, and withdrawn before the purposes
    # it gives are written
    steps = await _signed_while_withdrawn(clinic, monkeypatch, client)
    # Then no purpose it gave is in force, as the journey counts the consent withdrawn: each
    # given, then withdrawn by the withdrawal's nurse
    photo_consents = await _photo_consents(clinic, client)
    assert photo_consents["inForce"] == []
    assert sorted(_history(photo_consents)) == sorted(GIVEN_THEN_WITHDRAWN)
    assert await _signature_withdrawn(clinic, client) is published
    # And a retry of either request answers as the first time, giving nothing back
    await _retried_alike(clinic, client, steps, photo_consents)


@pytest.mark.parametrize("published", [True, False], ids=["published", "paper"])
async def test_a_withdrawal_taken_before_the_purposes_were_written_leaves_her_clinical_record(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch, published: bool
) -> None:
    # Given a client who let the front desk record photos for her clinical record
    clinic, client = await _client_of(fresh_clinic, published)
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    # When her PHOTO consent is signed for marketing and teaching, and withdrawn before the
    # purposes it gives are written
    steps = await _signed_while_withdrawn(clinic, monkeypatch, client)
    # Then what the signing gave is taken back, and the clinical record she gave on her own
    # stands: the PHOTO consent never gave it
    photo_consents = await _photo_consents(clinic, client)
    assert photo_consents["inForce"] == ["CLINICAL_RECORD"]
    history = _history(photo_consents)
    assert history[0] == ("CLINICAL_RECORD", True, "FRONT_DESK")
    assert sorted(history[1:]) == sorted(GIVEN_THEN_WITHDRAWN)
    assert await _signature_withdrawn(clinic, client) is published
    # And a retry of either request answers as the first time, taking nothing more back
    await _retried_alike(clinic, client, steps, photo_consents)
