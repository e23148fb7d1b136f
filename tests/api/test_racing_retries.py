"""Attempts of one request racing each other (a client retrying before its first answer came)
all get the first result: never a Conflict with themselves, never "Unexpected error."; and a
retry after an answer lost before the key was settled is answered, not refused by its own
effect."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import SurveyResponse, WarrantyCard, WarrantyClaim
from domain.store.billing import Bill, Refund
from domain.store.models import ActiveRecheckClaim, IdempotencyKey, JourneyEvent, JourneyRecord
from domain.store.models import Journey as JourneyRow
from schema.aftercare import warranty
from schema.ids import decode_id
from schema.money import refunds
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import CONSULTATION, JourneyDriver, new_key
from tests.api.live import WAIT
from tests.api.money_support import (
    CONFIRM_BILL,
    CREATE_BILL,
    RECORD_REFUND,
    eur,
    money_call,
    payment,
    set_item,
)

Clinic = Callable[[], Awaitable[JourneyDriver]]
ATTEMPTS = 6


async def _at_once(driver: JourneyDriver, document: str, role: Role, **input: Any) -> list[Any]:
    """The same request sent ATTEMPTS times at once; each answer's union member."""
    token = driver.token(role)
    answers = await asyncio.gather(
        *(driver.api.run(document, token, input=input) for _ in range(ATTEMPTS))
    )
    return [next(iter(answer.values())) for answer in answers]


async def test_a_bill_made_and_confirmed_by_racing_attempts_is_one_bill(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("400.00"))
    journey = await driver.drive_to("PAYMENT")
    made = await _at_once(
        driver,
        CREATE_BILL,
        Role.CASHIER,
        journeyId=journey["id"],
        lines=[{"priceItemId": item["id"]}],
        idempotencyKey=new_key(),
    )
    assert {answer["__typename"] for answer in made} == {"BillPayload"}, made
    assert len({answer["bill"]["id"] for answer in made}) == 1
    assert await Bill.filter(journey_id=decode_id(journey["id"], "Journey")).count() == 1
    bill_id = made[0]["bill"]["id"]
    confirmed = await _at_once(
        driver,
        CONFIRM_BILL,
        Role.CASHIER,
        billId=bill_id,
        signerName="Anna Nowak",
        idempotencyKey=new_key(),
    )
    assert {answer["__typename"] for answer in confirmed} == {"BillPayload"}, confirmed


async def test_a_survey_and_the_task_it_raises_closed_by_racing_attempts_act_once(
    fresh_clinic: Clinic,
) -> None:
    # A clinic of its own: the supervisor's first page holds this journey's task, not the
    # shared clinic's tasks other tests left open before it
    driver = await fresh_clinic()
    journey = await driver.drive_to("FOLLOW_UP")
    scores = {"impression": 4, "trustInDoctor": 5, "priceJustified": 1, "quality": 4}
    surveys = await _at_once(
        driver,
        docs.RECORD_SURVEY,
        Role.FOLLOW_UP_STAFF,
        journeyId=journey["id"],
        **scores,
        idempotencyKey=new_key(),
    )
    assert {answer["__typename"] for answer in surveys} == {"SurveyRecorded"}, surveys
    assert len({answer["survey"]["id"] for answer in surveys}) == 1
    raw_journey = decode_id(journey["id"], "Journey")
    assert await SurveyResponse.filter(journey_id=raw_journey).count() == 1
    # The low score is a supervisor's task: closed by racing attempts of one request
    tasks = await driver.api.run(docs.MY_TASKS, driver.token(Role.SUPERVISOR))
    (low,) = [
        edge["node"]
        for edge in tasks["myTasks"]["edges"]
        if edge["node"]["journeyId"] == journey["id"] and edge["node"]["kind"] == "LOW_SURVEY_SCORE"
    ]
    closed = await _at_once(
        driver,
        docs.COMPLETE_TASK,
        Role.SUPERVISOR,
        taskId=low["id"],
        note="called back, all well",
        idempotencyKey=new_key(),
    )
    assert {answer["__typename"] for answer in closed} == {"TaskCompleted"}, closed
    assert len({answer["closedAt"] for answer in closed}) == 1


async def test_a_warranty_claimed_by_racing_attempts_is_one_claim(driver: JourneyDriver) -> None:
    journey = await driver.drive_to("HANDOVER")
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=journey["id"])
    number = data["journey"]["warrantyCard"]["number"]
    claims = await _at_once(
        driver,
        docs.CLAIM_WARRANTY,
        Role.FRONT_DESK,
        warrantyNumber=number,
        reason="asymmetry",
        idempotencyKey=new_key(),
    )
    assert {answer["__typename"] for answer in claims} == {"WarrantyClaimed"}, claims
    assert len({answer["claimId"] for answer in claims}) == 1
    assert len({answer["recheckJourney"]["id"] for answer in claims}) == 1
    assert await WarrantyClaim.filter(card_id=number).count() == 1


async def test_warranty_claims_sent_at_once_open_one_recheck(driver: JourneyDriver) -> None:
    # Given a treated client's warranty card
    journey = await driver.drive_to("HANDOVER")
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=journey["id"])
    number = data["journey"]["warrantyCard"]["number"]
    # When three claims on it are sent at once, each its own request (a double-click, two desks)
    claims = await asyncio.gather(
        *(
            driver.api.run(
                docs.CLAIM_WARRANTY,
                driver.token(Role.FRONT_DESK),
                input={
                    "warrantyNumber": number,
                    "reason": "asymmetry",
                    "idempotencyKey": new_key(),
                },
            )
            for _ in range(3)
        )
    )
    # Then each claim is recorded, and all of them name one recheck: the client has one
    answers = [claim["claimWarranty"] for claim in claims]
    assert {answer["__typename"] for answer in answers} == {"WarrantyClaimed"}, answers
    rechecks = {claim.recheck_journey_id for claim in await WarrantyClaim.filter(card_id=number)}
    assert len(rechecks) == 1
    card = await WarrantyCard.get(number=number)
    opened = await JourneyRow.filter(client_id=card.client_id, visit_category="RECHECK")
    assert [row.id for row in opened] == list(rechecks)


async def test_a_recheck_whose_start_died_serves_no_claim(driver: JourneyDriver) -> None:
    # Given a treated client whose next recheck was claimed by a request that died before the
    # recheck started (Temporal never heard of it)
    journey = await driver.drive_to("HANDOVER")
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=journey["id"])
    number = data["journey"]["warrantyCard"]["number"]
    card = await WarrantyCard.get(number=number)
    ghost = f"recheck-{new_key()}"
    claimed_at = datetime.now(UTC) - timedelta(minutes=5)  # beyond any request's life
    await ActiveRecheckClaim.create(
        client_id=card.client_id, journey_id=ghost, claimed_at=claimed_at
    )
    # When a warranty claim comes
    claim = {"warrantyNumber": number, "reason": "asymmetry", "idempotencyKey": new_key()}
    answer = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    # Then it opens a recheck of its own, which now holds the claim
    claimed = answer["claimWarranty"]
    assert claimed["__typename"] == "WarrantyClaimed", claimed
    recheck = decode_id(claimed["recheckJourney"]["id"], "Journey")
    assert recheck != ghost
    assert (await ActiveRecheckClaim.get(client_id=card.client_id)).journey_id == recheck


async def test_a_refund_whose_answer_was_lost_is_answered_not_refused_by_itself(
    fresh_clinic: Clinic,
) -> None:
    # Given a refund of a whole deposit, given back
    driver, paid, refund = await _a_deposit_to_refund(fresh_clinic)
    key = new_key()
    given = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=key)
    assert given["__typename"] == "RefundPayload", given
    # When its answer is lost before the key is settled (as a crash between the two leaves it)
    # and the cashier retries
    await IdempotencyKey.filter(key=key).update(result_id="")
    retried = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=key)
    # Then the retry is answered with the refund, not "nothing is left to refund"
    assert retried == given
    assert await Refund.filter(payment_id=decode_id(paid, "Payment")).count() == 1


async def test_a_refund_racing_the_journeys_own_refund_waits_for_its_row(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deposit, and a refund of it whose journey step has ended the journey (REFUNDED)
    # and whose row is not written yet
    driver, paid, refund = await _a_deposit_to_refund(fresh_clinic)
    reached, release = asyncio.Event(), asyncio.Event()

    async def held() -> None:
        reached.set()
        await release.wait()

    _before_the_first_entry(monkeypatch, held)
    first = asyncio.create_task(
        money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=new_key())
    )
    await asyncio.wait_for(reached.wait(), timeout=WAIT)
    # When a second cashier refunds the same deposit meanwhile, and it has asked for the
    # journey's turn (the first holds it)
    asked = _turns_asked(monkeypatch)
    second = asyncio.create_task(
        money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=new_key())
    )
    await asyncio.wait_for(asked.wait(), timeout=WAIT)
    release.set()
    # Then the first refund is recorded as its journey ended it
    assert (await asyncio.wait_for(first, timeout=WAIT))["__typename"] == "RefundPayload"
    # And the second, judged once the first's row was written, hears there is nothing left:
    # the deposit went back once
    refused = await asyncio.wait_for(second, timeout=WAIT)
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "amount.amount", "message": "at most 0.00 is left to refund"}
    ], refused
    assert await Refund.filter(payment_id=decode_id(paid, "Payment")).count() == 1


def _turns_asked(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Set when a refund asks for its journey's turn (`refund_turns.refund_turn`) from now on."""
    turn, asked = refunds.refund_turn, asyncio.Event()

    def asking(journey_id: str) -> Any:
        asked.set()
        return turn(journey_id)

    monkeypatch.setattr(refunds, "refund_turn", asking)
    return asked


async def test_a_refund_whose_entry_was_lost_after_its_step_is_written_on_retry(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a refund whose journey step ended the journey, and whose process died before its
    # entry was written
    driver, paid, refund = await _a_deposit_to_refund(fresh_clinic)

    async def dies() -> None:
        raise ConnectionError("the process died")

    _before_the_first_entry(monkeypatch, dies)
    key = new_key()
    with pytest.raises(TransportQueryError):
        await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=key)
    # When the cashier retries it with its key
    retried = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=key)
    # Then its entry is written (not "being recorded": it is this very refund), once
    assert retried["__typename"] == "RefundPayload", retried
    assert await Refund.filter(payment_id=decode_id(paid, "Payment")).count() == 1


def _before_the_first_entry(
    monkeypatch: pytest.MonkeyPatch, first: Callable[[], Awaitable[None]]
) -> None:
    """Runs `first` before the first refund entry is written (it may hold it, or fail it); the
    entries after are written as always."""
    write, done = refunds.write_refund, asyncio.Event()

    async def written(*args: Any, **kwargs: Any) -> None:
        if not done.is_set():
            done.set()
            await first()
        await write(*args, **kwargs)

    monkeypatch.setattr(refunds, "write_refund", written)


async def _a_deposit_to_refund(fresh_clinic: Clinic) -> tuple[JourneyDriver, str, dict[str, Any]]:
    """A fresh clinic's deposit of 100.00 (`_deposit_paid`), and a refund of all of it."""
    driver = await fresh_clinic()
    paid = await _deposit_paid(driver)
    return driver, paid, {"paymentId": paid, "amount": eur("100.00"), "reason": "moved abroad"}


async def _deposit_paid(driver: JourneyDriver) -> str:
    """A journey at payment with a confirmed bill of 500.00 and a deposit of 100.00 paid: the
    deposit's id."""
    item = await set_item(driver, listPrice=eur("500.00"))
    journey = await driver.drive_to("PAYMENT")
    made = await money_call(
        driver,
        CREATE_BILL,
        Role.CASHIER,
        journeyId=journey["id"],
        lines=[{"priceItemId": item["id"]}],
    )
    bill = made["bill"]
    confirmed = await money_call(
        driver, CONFIRM_BILL, Role.CASHIER, billId=bill["id"], signerName="Anna Nowak"
    )
    assert confirmed["__typename"] == "BillPayload", confirmed
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "100.00", "DEPOSIT"))
    data = await driver.api.run(
        "query B($id: ID) { bill(id: $id) { payments { id } } }",
        driver.token(Role.CASHIER),
        id=bill["id"],
    )
    (paid,) = data["bill"]["payments"]
    return str(paid["id"])


async def test_a_step_sent_by_racing_attempts_keeps_one_record(fresh_clinic: Clinic) -> None:
    # Given a journey at the consultation
    driver = await fresh_clinic()
    journey = await driver.drive_to("CONSULTATION")
    raw_id = decode_id(journey["id"], "Journey")
    # When the consultation is sent six times at once under one key
    consultation = {"journeyId": journey["id"], **CONSULTATION, "idempotencyKey": new_key()}
    answers = await _at_once(driver, documents.RECORD_CONSULTATION, Role.CONSULTANT, **consultation)
    # Then every attempt answers the step, and the journey keeps one record of it: every
    # attempt wrote the same draft (a draft per attempt left records no event names, and a
    # worker lost after its read-model write left an event naming a record the journey never
    # attached)
    assert {answer["__typename"] for answer in answers} == {"JourneyPayload"}, answers
    records = await JourneyRecord.filter(journey_id=raw_id, kind="consultation")
    assert len(records) == 1
    (event,) = await JourneyEvent.filter(journey_id=raw_id, action="record_consultation")
    assert event.record_id == records[0].id


async def test_a_journey_started_by_racing_attempts_keeps_one_reception_record(
    fresh_clinic: Clinic,
) -> None:
    # Given a registered client
    driver = await fresh_clinic()
    client = await driver.register_client()
    # When the start is sent six times at once under one key
    answers = await _at_once(
        driver, documents.START_JOURNEY, Role.FRONT_DESK, clientId=client, idempotencyKey=new_key()
    )
    # Then every attempt answers the one journey, which keeps one reception record (each
    # attempt wrote a draft of its own, which no event names)
    assert {answer["__typename"] for answer in answers} == {"JourneyPayload"}, answers
    (journey_id,) = {answer["journey"]["id"] for answer in answers}
    raw_id = decode_id(journey_id, "Journey")
    (record,) = await JourneyRecord.filter(journey_id=raw_id, kind="reception")
    (opened,) = await JourneyEvent.filter(journey_id=raw_id, seq=1)
    assert opened.record_id == record.id


async def test_a_warranty_claim_lost_after_its_recheck_opened_is_answered_though_the_card_ended(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a warranty claim whose attempt opened the recheck and was lost before the claim
    # was written
    journey = await driver.drive_to("HANDOVER")
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=journey["id"])
    claim = {
        "warrantyNumber": data["journey"]["warrantyCard"]["number"],
        "reason": "asymmetry",
        "idempotencyKey": new_key(),
    }
    written = WarrantyClaim.create

    async def lost(*args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(WarrantyClaim, "create", written)
        raise RuntimeError("the process died here")

    monkeypatch.setattr(WarrantyClaim, "create", lost)
    with pytest.raises(TransportQueryError):
        await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    # When the card's period has ended by the time the desk retries
    ended = datetime.now(UTC)
    monkeypatch.setattr(warranty, "covers", lambda ends_at, moment, zone: moment < ended)
    answer = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    # Then the retry is answered with the claim and the recheck its first attempt opened
    claimed = answer["claimWarranty"]
    assert claimed["__typename"] == "WarrantyClaimed", claimed
    assert claimed["recheckJourney"] is not None
    assert await WarrantyClaim.filter(card_id=claim["warrantyNumber"]).count() == 1
