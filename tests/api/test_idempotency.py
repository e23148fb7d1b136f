"""Exactly once per idempotency key: retries racing each other act once, and the same key with
another input (or another action) is a `Conflict` that changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from domain.roles import Role
from domain.store.models import Client, JourneyRecord
from domain.store.triage_models import LeadContact
from schema.ids import decode_id, encode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key

CONFLICT = {
    "__typename": "Conflict",
    "code": "CONFLICT",
    "message": "this idempotency key was used for another request",
}
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { authorId reason correction } }
    ... on UserError { code message }
  }
}
"""
NUDGE = documents.action("nudgeJourney", "SupervisorNoteInput")
ESCALATE = documents.action("escalateJourney", "SupervisorNoteInput")
LEAD_CONTACT = """
mutation Lead($input: LeadContactInput!) {
  recordLeadContact(input: $input) {
    __typename
    ... on LeadContactPayload { ownerId }
    ... on UserError { code message }
  }
}
"""


def _client(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "fullName": name,
        "birthDate": "1990-02-03",
        "phone": "+48 600 300 400",
        "dataConsent": True,
        "registerAnyway": True,  # shared test data, another person
        **extra,
    }


async def _register(driver: JourneyDriver, input: dict[str, Any]) -> dict[str, Any]:
    data = await driver.api.run(
        documents.REGISTER_CLIENT, driver.token(Role.FRONT_DESK), input=input
    )
    return data["registerClient"]  # type: ignore[no-any-return]


def _actions(journey: dict[str, Any], action: str) -> int:
    return [event["action"] for event in journey["history"]].count(action)


async def test_ten_parallel_registrations_with_one_key_make_one_client(
    driver: JourneyDriver,
) -> None:
    # Given one registration, sent ten times at once with its key (a client retrying hard)
    name = f"Zofia Równoległa {uuid.uuid4().hex[:8]}"
    input = _client(name, idempotencyKey=new_key())
    # When all ten arrive together
    answers = await asyncio.gather(*(_register(driver, input) for _ in range(10)))
    # Then every caller is told the same client, and there is one client
    assert [a["__typename"] for a in answers] == ["ClientPayload"] * 10, answers
    assert all(a == answers[0] for a in answers)
    assert await Client.filter(full_name=name).count() == 1


async def test_a_registration_key_reused_with_another_input_is_a_conflict(
    driver: JourneyDriver,
) -> None:
    # Given a client registered with a key
    key = new_key()
    name = f"Ola Pierwsza {uuid.uuid4().hex[:8]}"
    first = await _register(driver, _client(name, email="ola@example.org", idempotencyKey=key))
    assert first["__typename"] == "ClientPayload"
    # When the same key comes with other details (the same person, another e-mail; or another
    # person altogether)
    changed = _client(name, email="ola.nowa@example.org", idempotencyKey=key)
    other = f"Ola Druga {uuid.uuid4().hex[:8]}"
    answers = [
        await _register(driver, changed),
        await _register(driver, _client(other, phone="+48 600 999 999", idempotencyKey=key)),
    ]
    # Then each is a conflict: nothing is written, and nobody is told it was
    assert answers == [CONFLICT, CONFLICT]
    assert await Client.filter(full_name=other).count() == 0
    assert [c.email for c in await Client.filter(full_name=name)] == ["ola@example.org"]


async def test_a_payment_key_reused_with_another_amount_is_a_conflict(
    driver: JourneyDriver,
) -> None:
    # Given a deposit of 100.00 recorded with a key
    journey = await driver.drive_to("PAYMENT")
    key = new_key()
    payment = {"journeyId": journey["id"], "currency": "EUR", "method": "CARD"}
    first = await driver.act(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        **payment,
        amount="100.00",
        kind="DEPOSIT",
        idempotencyKey=key,
    )
    assert first["__typename"] == "JourneyPayload", first
    # When the same key comes with 999.00
    again = await driver.act(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        **payment,
        amount="999.00",
        kind="DEPOSIT",
        idempotencyKey=key,
    )
    # Then the cashier is not told 999.00 was taken: a conflict, and one payment of 100.00
    assert again == CONFLICT
    after = await driver.journey(journey["id"])
    assert _actions(after, "record_payment") == 1
    raw_id = decode_id(journey["id"], "Journey")
    payments = await JourneyRecord.filter(journey_id=raw_id, kind="payment")
    assert [p.body["amount"] for p in payments] == ["100.00"]


async def test_a_payment_key_reused_with_an_input_its_checks_refuse_is_a_conflict(
    driver: JourneyDriver,
) -> None:
    # Given a deposit recorded with a key
    journey = await driver.drive_to("PAYMENT")
    key = new_key()
    payment = {"currency": "EUR", "method": "CARD", "kind": "DEPOSIT", "amount": "100.00"}
    first = await driver.act(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        **payment,
        journeyId=journey["id"],
        idempotencyKey=key,
    )
    assert first["__typename"] == "JourneyPayload", first
    # When the same key comes with a receipt number the checks refuse, and with a journey of no
    # clinic (both refused before the key is claimed)
    refused = [
        {**payment, "journeyId": journey["id"], "receiptNumber": "R" * 101},
        {**payment, "journeyId": encode_id("Journey", f"nowhere-{uuid.uuid4().hex}")},
    ]
    answers = [
        await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **input, idempotencyKey=key)
        for input in refused
    ]
    # Then each is a conflict, as any other input under that key, and nothing more is recorded
    assert answers == [CONFLICT, CONFLICT]
    assert _actions(await driver.journey(journey["id"]), "record_payment") == 1
    # And under a key of their own the checks answer them
    fresh = [
        await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **input, idempotencyKey=new_key())
        for input in refused
    ]
    assert [a["__typename"] for a in fresh] == ["ValidationFailed", "NotFound"], fresh


async def test_a_registration_key_reused_for_someone_registered_is_a_conflict(
    driver: JourneyDriver,
) -> None:
    # Given a client registered with a key, and another client registered
    key = new_key()
    first = await _register(
        driver, _client(f"Ewa Pierwsza {uuid.uuid4().hex[:8]}", idempotencyKey=key)
    )
    assert first["__typename"] == "ClientPayload", first
    known = _client(f"Maria Znana {uuid.uuid4().hex[:8]}", phone="+48 600 555 111")
    assert (await _register(driver, known))["__typename"] == "ClientPayload"
    # When the same key comes with the other client's details, not registered anyway (a check
    # asked before the key is claimed refuses that input)
    again = await _register(driver, {**known, "registerAnyway": False, "idempotencyKey": key})
    # Then it is a conflict, not "already registered"
    assert again == CONFLICT
    # And under a key of its own the desk is told of the client registered before
    fresh = {**known, "registerAnyway": False, "idempotencyKey": new_key()}
    assert (await _register(driver, fresh))["__typename"] == "ClientAlreadyRegistered"


async def test_a_hand_over_key_reused_with_other_notes_is_a_conflict(
    driver: JourneyDriver,
) -> None:
    # Given a hand-over made with a key
    journey = await driver.drive_to("HANDOVER")
    key = new_key()
    discomfort = {
        "normal": "swelling",
        "passes": "3 days",
        "callNow": "fever",
        "selfCare": "ice",
        "activities": "-",
    }
    handover = {
        "journeyId": journey["id"],
        "discomfort": discomfort,
        "course": "AS_PLANNED",
        "idempotencyKey": key,
    }
    first = await driver.act(
        documents.HAND_OVER, Role.NURSE, **handover, aftercare="no make-up today"
    )
    assert first["__typename"] == "JourneyPayload", first
    # When the same key comes with other aftercare
    again = await driver.act(
        documents.HAND_OVER, Role.NURSE, **handover, aftercare="no sauna for a month"
    )
    # Then it is a conflict and the hand-over happened once, with the first notes
    assert again == CONFLICT
    assert _actions(await driver.journey(journey["id"]), "hand_over") == 1
    raw_id = decode_id(journey["id"], "Journey")
    notes = await JourneyRecord.filter(journey_id=raw_id, kind="handover")
    assert [n.body["aftercare"] for n in notes] == ["no make-up today"]


async def test_different_actions_racing_with_one_key_run_one(driver: JourneyDriver) -> None:
    # Given a journey and two supervisor actions sent at once under one key
    journey = await driver.start()
    key = new_key()
    note = {"journeyId": journey["id"], "idempotencyKey": key}
    nudge = driver.act(NUDGE, Role.SUPERVISOR, **note, note="call her back")
    escalate = driver.act(ESCALATE, Role.SUPERVISOR, **note, note="waiting too long")
    # When they race
    answers = await asyncio.gather(nudge, escalate)
    # Then one ran and the other is a conflict (not the first one's answer under its name)
    assert sorted(a["__typename"] for a in answers) == ["Conflict", "JourneyPayload"], answers
    after = await driver.journey(journey["id"])
    assert _actions(after, "nudge") + _actions(after, "escalate") == 1


async def test_five_identical_amendments_at_once_make_one(driver: JourneyDriver) -> None:
    # Given a recorded consultation
    journey = await driver.consult((await driver.drive_to("CONSULTATION"))["id"])
    (event,) = [e for e in journey["history"] if e["action"] == "record_consultation"]
    reason = f"misheard {uuid.uuid4().hex[:8]}"
    input = {
        "journeyId": journey["id"],
        "seq": event["seq"],
        "reason": reason,
        "correction": {"occupation": "engineer"},
        "idempotencyKey": new_key(),
    }
    # When its author sends one amendment five times at once
    token = driver.token(Role.CONSULTANT)
    answers = await asyncio.gather(*(driver.api.run(AMEND, token, input=input) for _ in range(5)))
    # Then all five are told of one amendment, and one is stored
    assert [a["amendRecord"]["__typename"] for a in answers] == ["AmendmentPayload"] * 5, answers
    raw_id = decode_id(journey["id"], "Journey")
    amendments = JourneyRecord.filter(journey_id=raw_id, kind__endswith="_amendment")
    assert [r.body["reason"] for r in await amendments] == [reason]
    # And the same key with another correction is a conflict that stores nothing
    other = {**input, "correction": {"occupation": "teacher"}}
    conflict = await driver.api.run(AMEND, token, input=other)
    assert conflict["amendRecord"] == CONFLICT
    assert await amendments.count() == 1


async def test_five_identical_lead_contacts_at_once_record_one(driver: JourneyDriver) -> None:
    # Given a phone lead's contact, sent five times at once with its key
    client_id = await driver.register_client("Lena Telefon")
    input = {
        "clientId": client_id,
        "consultantId": driver.staff[Role.CONSULTANT].global_id,
        "channel": "PHONE",
        "idempotencyKey": new_key(),
    }
    token = driver.token(Role.FRONT_DESK)
    answers = await asyncio.gather(
        *(driver.api.run(LEAD_CONTACT, token, input=input) for _ in range(5))
    )
    # Then all five are answered and one contact is recorded
    assert [a["recordLeadContact"]["__typename"] for a in answers] == ["LeadContactPayload"] * 5
    raw_client = decode_id(client_id, "Client")
    assert await LeadContact.filter(client_id=raw_client).count() == 1


async def test_a_step_answered_or_refused_keeps_no_second_draft(driver: JourneyDriver) -> None:
    # Given a journey cancelled with a key (its reason kept as the step's record)
    journey = await driver.start()
    raw_id = decode_id(journey["id"], "Journey")
    cancel = {"journeyId": journey["id"], "reason": "moved abroad", "idempotencyKey": new_key()}
    first = await driver.act(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **cancel)
    assert first["__typename"] == "JourneyPayload", first
    # When the same request is retried after its answer, and the ended journey is then cancelled
    # again under a new key
    retry = await driver.act(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **cancel)
    again = {**cancel, "reason": "changed her mind", "idempotencyKey": new_key()}
    refused = await driver.act(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **again)
    # Then the retry hears the first answer and the new request a refusal, and the journey
    # holds the first request's record alone: neither wrote a draft
    assert retry == first
    assert refused["__typename"] == "TransitionNotAllowed", refused
    records = await JourneyRecord.filter(journey_id=raw_id, kind="cancellation")
    assert [r.body["reason"] for r in records] == ["moved abroad"]
