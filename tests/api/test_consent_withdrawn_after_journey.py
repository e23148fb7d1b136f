"""A photo consent outlives its journey (photos are used in after-care for a year, in marketing
later): it is withdrawn after the journey ended too, without the finished journey, and the
withdrawal is recorded once, its purposes taken back. A procedure's consent is history then."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.consents import ConsentWithdrawal, ConsentWithdrawalAfterJourney
from domain.store.models import IdempotencyKey
from domain.store.photos import PhotoConsentChange
from schema.ids import decode_id
from tests.api import documents
from tests.api.consent_support import (
    WITHDRAW_CONSENT,
    consents,
    publish,
    sign_data_processing_consent,
    signing,
)
from tests.api.flow import JourneyDriver, new_key
from tests.api.photo_support import PHOTOS, sign_photo_consent

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _photo_consents(clinic: JourneyDriver, client: str) -> dict[str, Any]:
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    return data["client"]["photoConsents"]  # type: ignore[no-any-return]


async def _withdraw(clinic: JourneyDriver, jid: str, kind: str, **extra: Any) -> dict[str, Any]:
    given = {"journeyId": jid, "kind": kind, "idempotencyKey": new_key(), **extra}
    return await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **given)


def _client_id(client: str) -> str:
    decoded = decode_id(client, "Client")
    assert decoded is not None
    return decoded


async def _cancelled_with_a_paper_photo_consent(fresh_clinic: FreshClinic) -> tuple[Any, ...]:
    """A client's journey cancelled after she signed a paper PHOTO consent for her clinical
    record and for marketing: the clinic, the client, the journey as it ended."""
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    await sign_photo_consent(clinic, journey["id"], ["CLINICAL_RECORD", "MARKETING"])
    cancelled = await clinic.ok(
        documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=journey["id"], reason="moved away"
    )
    assert cancelled["stage"] == "CANCELLED"
    return clinic, client, cancelled


async def test_a_photo_consent_is_withdrawn_after_its_journey_was_cancelled(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey cancelled after a paper PHOTO consent was signed in it
    clinic, client, cancelled = await _cancelled_with_a_paper_photo_consent(fresh_clinic)
    assert (await _photo_consents(clinic, client))["inForce"] == ["CLINICAL_RECORD", "MARKETING"]
    # When the client withdraws it at the front desk
    key = new_key()
    withdrawal = {"journeyId": cancelled["id"], "kind": "PHOTO", "note": "no more photos"}
    answer = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal, idempotencyKey=key)
    # Then it is recorded, the journey left as it ended: nothing was asked of its workflow; its
    # history shows the withdrawal after its last event
    assert answer["__typename"] == "JourneyPayload", answer
    *history, withdrawn = answer["journey"]["history"]
    assert {**answer["journey"], "history": history} == cancelled
    assert withdrawn["summary"] == "PHOTO consent withdrawn after the journey ended"
    (row,) = await ConsentWithdrawalAfterJourney.filter(
        journey_id=decode_id(cancelled["id"], "Journey")
    )
    assert (row.kind, row.note, row.recorded_by_role) == ("PHOTO", "no more photos", "FRONT_DESK")
    # And both purposes it gave end
    photo_consents = await _photo_consents(clinic, client)
    assert photo_consents["inForce"] == []
    assert [(c["purpose"], c["given"]) for c in photo_consents["changes"]][2:] == [
        ("CLINICAL_RECORD", False),
        ("MARKETING", False),
    ]
    # And a retry answers as the first time and writes nothing; the key with another note is
    # a Conflict
    again = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal, idempotencyKey=key)
    assert again == answer
    other = {**withdrawal, "note": "something else"}
    conflict = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **other, idempotencyKey=key)
    assert conflict["__typename"] == "Conflict", conflict
    assert len((await _photo_consents(clinic, client))["changes"]) == 4
    # And withdrawing it once more is refused: it is withdrawn already
    refused = await _withdraw(clinic, cancelled["id"], "PHOTO")
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "kind", "message": "the PHOTO consent is withdrawn already"}
    ]


async def test_withdrawals_sent_at_once_after_the_journey_record_one(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey cancelled after a paper PHOTO consent was signed in it
    clinic, client, cancelled = await _cancelled_with_a_paper_photo_consent(fresh_clinic)
    # When two attempts of one request and two other requests withdraw it at once
    key = new_key()
    same = {"journeyId": cancelled["id"], "kind": "PHOTO", "idempotencyKey": key}
    answers = await asyncio.gather(
        clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **same),
        clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **same),
        _withdraw(clinic, cancelled["id"], "PHOTO"),
        _withdraw(clinic, cancelled["id"], "PHOTO"),
    )
    # Then one request withdrew it, and its attempts both heard so; the others were refused
    kinds = [answer["__typename"] for answer in answers]
    assert kinds[0] == kinds[1] and answers[0] == answers[1], answers
    assert sorted(kinds) in (
        ["JourneyPayload", "JourneyPayload", "ValidationFailed", "ValidationFailed"],
        ["JourneyPayload", "ValidationFailed", "ValidationFailed", "ValidationFailed"],
    )
    # And the withdrawal, and each purpose's end, was written once
    journey_id = decode_id(cancelled["id"], "Journey")
    assert await ConsentWithdrawalAfterJourney.filter(journey_id=journey_id).count() == 1
    assert await PhotoConsentChange.filter(client_id=_client_id(client), given=False).count() == 2


async def test_a_signed_photo_consent_is_withdrawn_after_its_journey_was_declined(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a PHOTO consent signed on a published template, and a journey the client then
    # declined by withdrawing her procedure consent
    clinic = await fresh_clinic()
    await publish(clinic, key="photo-consent", kind="PHOTO")
    client = await clinic.register_client()
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    photo = signing(jid, 1, kind="PHOTO", templateId="photo-consent", photoPurposes=["MARKETING"])
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **photo, idempotencyKey=new_key())
    await clinic.sign_consent(jid)
    declined = await _withdraw(clinic, jid, "PROCEDURE")
    assert declined["journey"]["stage"] == "DECLINED", declined
    # When she withdraws the photo consent too
    answer = await _withdraw(clinic, jid, "PHOTO")
    # Then its signature is marked withdrawn, and marketing ends
    assert answer["__typename"] == "JourneyPayload", answer
    assert answer["journey"]["history"][:-1] == declined["journey"]["history"]
    assert answer["journey"]["history"][-1]["action"] == "withdraw_consent"
    (signature,) = await consents(clinic, client)
    assert signature["kind"] == "PHOTO" and signature["withdrawnAt"] is not None
    journey_id = decode_id(jid, "Journey")
    assert await ConsentWithdrawal.filter(signature__journey_id=journey_id).count() == 1
    assert (await _photo_consents(clinic, client))["inForce"] == []


async def test_after_the_journey_a_procedure_consent_is_history_a_data_consent_is_not(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey cancelled after its data-processing and procedure consents were signed
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("CONSENT"))["id"]
    await sign_data_processing_consent(clinic, jid)
    await clinic.sign_consent(jid)
    await clinic.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=jid, reason="no date")
    # When the client withdraws the procedure's consent
    answer = await _withdraw(clinic, jid, "PROCEDURE")
    # Then it is refused: that treatment will never be given, its consent is history
    assert answer["__typename"] == "TransitionNotAllowed", answer
    assert answer["message"] == "the journey has ended (CANCELLED)"
    # And her consent to the processing of her data, which her file outlives the journey by,
    # is withdrawn
    withdrawn = await _withdraw(clinic, jid, "DATA_PROCESSING")
    assert (withdrawn["__typename"], withdrawn["journey"]["stage"]) == (
        "JourneyPayload",
        "CANCELLED",
    )
    kinds = ConsentWithdrawalAfterJourney.filter(journey_id=decode_id(jid, "Journey"))
    assert await kinds.values_list("kind", flat=True) == ["DATA_PROCESSING"]
    # And a photo consent she never signed is not in force to withdraw
    unsigned = await _withdraw(clinic, jid, "PHOTO")
    assert unsigned["problems"] == [{"field": "kind", "message": "no PHOTO consent is in force"}]


async def test_a_retry_of_a_withdrawal_the_running_journey_took_is_answered_by_it(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a PHOTO consent withdrawn while its journey ran, whose answer was lost (its key
    # claimed, never settled), and the journey cancelled since
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    await sign_photo_consent(clinic, jid, ["MARKETING"])
    key = new_key()
    withdrawal = {"journeyId": jid, "kind": "PHOTO", "idempotencyKey": key}
    first = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal)
    assert first["journey"]["stage"] == "CONSENT", first
    account = clinic.staff[Role.FRONT_DESK].account_id
    assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1
    await clinic.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=jid, reason="moved")
    # When it is retried
    again = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal)
    # Then the journey's step answers it: nothing is withdrawn after the journey
    assert again["__typename"] == "JourneyPayload", again
    assert not await ConsentWithdrawalAfterJourney.exists(journey_id=decode_id(jid, "Journey"))
    assert await PhotoConsentChange.filter(client_id=_client_id(client), given=False).count() == 1


async def test_a_retry_of_a_withdrawal_after_the_journey_whose_answer_was_lost(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a PHOTO consent withdrawn after its journey was cancelled, the answer lost
    clinic, client, cancelled = await _cancelled_with_a_paper_photo_consent(fresh_clinic)
    key = new_key()
    withdrawal = {"journeyId": cancelled["id"], "kind": "PHOTO", "idempotencyKey": key}
    first = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal)
    account = clinic.staff[Role.FRONT_DESK].account_id
    assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1
    # When it is retried
    again = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal)
    # Then it is answered as the first time, and nothing is written again
    assert (again, first["__typename"]) == (first, "JourneyPayload")
    assert await PhotoConsentChange.filter(client_id=_client_id(client), given=False).count() == 2
