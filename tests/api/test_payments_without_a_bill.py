"""A payment without a bill is held to what the journey still owes on its final plan's price
(`domain.journey.validation.check_within_what_is_owed`), one at a time and all at once, and is
taken only on a journey that has no bill: once it has one, the client pays that bill, confirmed.

Before, nothing held it: a plan of 1,200.00 took four full payments (4,800.00 paid), twelve
top-ups sent at once all went through, an installment schedule sent without a bill was taken
and dropped without a word, and the plan's price was taken beside a bill of another amount the
client had not confirmed. Payments against a bill were already held to the bill.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from domain.store import bill_writes
from schema.money import bills
from schema.money.bills import PAID_ON_ITS_PLAN
from schema.money.payments import PAY_THE_BILL
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.money_support import (
    CONFIRM_BILL,
    CREATE_BILL,
    bill_of,
    money_call,
    payment,
    set_item,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
OWES_LESS = [{"field": "amount", "message": "more than the journey still owes"}]


def _payment(journey_id: str, amount: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "journeyId": journey_id,
        "amount": amount,
        "currency": PLAN["currency"],
        "method": "CARD",
        "kind": kind,
        "idempotencyKey": new_key(),
        **extra,
    }


def _payments_in(journey: dict[str, Any]) -> list[str]:
    return [h["summary"] for h in journey["history"] if h["action"] == "record_payment"]


async def test_a_plan_paid_in_full_takes_no_second_full_payment(driver: JourneyDriver) -> None:
    # Given a journey whose plan of 1200.00 was paid in full, without a bill
    journey = await driver.pay((await driver.drive_to("PAYMENT"))["id"])

    # When the cashier records the full price again
    again = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **_payment(journey["id"], PLAN["price"], "FULL")
    )

    # Then it is refused, and the journey holds one payment
    assert again["__typename"] == "ValidationFailed", again
    assert again["problems"] == OWES_LESS
    assert len(_payments_in(await driver.journey(journey["id"]))) == 1


async def test_payments_sent_at_once_together_pay_no_more_than_is_owed(
    driver: JourneyDriver,
) -> None:
    # Given a journey at payment, owing 1200.00
    journey = await driver.drive_to("PAYMENT")

    # When six deposits of 700.00 arrive at once, each within what is owed on its own
    answers = await asyncio.gather(
        *(
            driver.act(
                documents.RECORD_PAYMENT,
                Role.CASHIER,
                **_payment(journey["id"], "700.00", "DEPOSIT"),
            )
            for _ in range(6)
        )
    )

    # Then one is taken and the others are refused, never more than the price paid
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["JourneyPayload"] + ["ValidationFailed"] * 5, answers
    assert all(a["problems"] == OWES_LESS for a in answers if a["__typename"] != "JourneyPayload")
    assert len(_payments_in(await driver.journey(journey["id"]))) == 1


async def test_an_installment_schedule_without_a_bill_is_refused(driver: JourneyDriver) -> None:
    journey = await driver.drive_to("PAYMENT")
    schedule = [{"dueOn": "1900-01-01", "amount": "600.00"}]
    refused = await driver.act(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        **_payment(journey["id"], "600.00", "INSTALLMENT_PLAN", schedule=schedule),
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "schedule", "message": "installments are scheduled against a bill"}
    ]
    assert _payments_in(await driver.journey(journey["id"])) == []


async def test_once_a_journey_has_a_bill_the_client_pays_it_confirmed_not_the_plan_price(
    fresh_clinic: FreshClinic,
) -> None:
    # Seed 003 6.4-6.6: the itemised bill is explained line by line, the client signs it, and
    # the signed bill is taken to the cash desk to be paid.
    # Given a journey at payment whose plan says 1200.00, and a bill of 800.00 from the price
    # list the client has not confirmed yet
    clinic = await fresh_clinic()
    journey = await clinic.drive_to("PAYMENT")
    item = await set_item(clinic)
    lines = [{"priceItemId": item["id"], "quantity": 1}]
    made = await money_call(clinic, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines)
    assert made["__typename"] == "BillPayload", made
    bill = made["bill"]
    # When the cashier takes the plan's price naming no bill
    unnamed = await clinic.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **_payment(journey["id"], PLAN["price"], "FULL")
    )
    # Then it is refused on billId: the journey's bill is what is paid
    assert unnamed["__typename"] == "ValidationFailed", unnamed
    assert unnamed["problems"] == [{"field": "billId", "message": PAY_THE_BILL}]
    # And the bill itself is not taken before the client confirms it
    unconfirmed = await clinic.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "800.00", "FULL")
    )
    assert unconfirmed["__typename"] == "ValidationFailed", unconfirmed
    assert unconfirmed["problems"] == [
        {"field": "billId", "message": "the client has not confirmed the bill"}
    ]
    # And nothing was paid: the journey waits at payment, the bill owes all of it
    waiting = await clinic.journey(journey["id"])
    assert (waiting["stage"], _payments_in(waiting)) == ("PAYMENT", [])
    standing = await bill_of(clinic, journey["id"])
    assert (standing["payments"], standing["outstanding"]["amount"]) == ([], "800.00")
    # When the client confirms the bill and pays it
    signed = await money_call(
        clinic, CONFIRM_BILL, Role.CASHIER, billId=bill["id"], signerName="Anna Nowak"
    )
    assert signed["__typename"] == "BillPayload", signed
    paid = await clinic.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "800.00", "FULL")
    )
    # Then the journey moves on to treatment with the bill paid
    assert paid["stage"] == "TREATMENT"
    assert (await bill_of(clinic, journey["id"]))["outstanding"]["amount"] == "0.00"


async def test_a_journey_paid_on_its_plan_takes_no_bill_after(fresh_clinic: FreshClinic) -> None:
    # Given a deposit on the plan's price, taken with no bill (a deposit books the date)
    clinic = await fresh_clinic()
    journey = await clinic.drive_to("PAYMENT")
    paid = await clinic.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **_payment(journey["id"], "300.00", "DEPOSIT")
    )
    assert paid["__typename"] == "JourneyPayload", paid
    # When the cashier then makes an itemised bill for the journey
    item = await set_item(clinic)
    lines = [{"priceItemId": item["id"], "quantity": 1}]
    made = await money_call(clinic, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines)
    # Then it is refused: the bill would not count the deposit, and the client would owe both
    assert made["__typename"] == "ValidationFailed", made
    assert made["problems"] == [{"field": "journeyId", "message": PAID_ON_ITS_PLAN}]
    assert await bill_of(clinic, journey["id"]) is None


async def test_a_payment_taken_before_the_bill_was_made_is_answered_on_retry(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deposit on the plan's price, taken with no bill, and then a bill made for the
    # journey, as a release before the rule above let it be
    clinic = await fresh_clinic()
    journey = await clinic.drive_to("PAYMENT")
    deposit = _payment(journey["id"], "300.00", "DEPOSIT")
    first = await clinic.act(documents.RECORD_PAYMENT, Role.CASHIER, **deposit)
    assert first["__typename"] == "JourneyPayload", first
    item = await set_item(clinic)
    lines = [{"priceItemId": item["id"], "quantity": 1}]
    with monkeypatch.context() as before_the_rule:

        async def billable(journey: object) -> None:  # (the rule above did not exist)
            return None

        async def not_told(*args: object) -> None:  # (nor did the journey hear of bills)
            return None

        before_the_rule.setattr(bill_writes, "refusal_to_bill", billable)
        before_the_rule.setattr(bills, "_journey_told", not_told)
        made = await money_call(
            clinic, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines
        )
    assert made["__typename"] == "BillPayload", made
    # When the deposit is retried with its key
    retry = await clinic.act(documents.RECORD_PAYMENT, Role.CASHIER, **deposit)
    # Then it is answered as the first time, and the journey holds the one deposit
    assert retry == first
    assert len(_payments_in(await clinic.journey(journey["id"]))) == 1
    # While the same deposit under a new key is refused: the journey has a bill now
    fresh = await clinic.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **{**deposit, "idempotencyKey": new_key()}
    )
    assert fresh["__typename"] == "ValidationFailed", fresh
    assert fresh["problems"] == [{"field": "billId", "message": PAY_THE_BILL}]
