"""Refunds of a payment taken without a bill, in currencies without two decimal places.

A payment without a bill is kept in hundredths whatever its currency, as the final plan's price
is; a refund at the currency's own minor units. Before, the two were compared as they were
kept: a client who paid ¥1,000 without a bill could be given back ¥100,000, and a payment of
1.25 KWD could be given back 0.125 KWD at most. Now a refund is held to the payment in one unit,
and the figures a cashier reads (the billing history, the journey's history) count both alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.billing import Payment
from schema.ids import decode_id, encode_id
from schema.money.bill_types import PAYMENT_ID_TYPE
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.money_support import RECORD_REFUND, SET_SETTINGS, history_of, money_call

Clinic = Callable[[], Awaitable[JourneyDriver]]
NO_YEN_DECIMALS = "JPY amounts have no decimal places"
HUNDREDTHS_ONLY = (
    "at most two decimal places: a price, and a payment without a bill, are kept in hundredths"
)


async def _at_review(fresh_clinic: Clinic, currency: str) -> tuple[JourneyDriver, str]:
    """A clinic billing in `currency`, and a journey of its at the expert's review."""
    driver = await fresh_clinic()
    settings = {"currency": currency, "locale": "en_GB", "discountThresholdPercent": 10}
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **settings, paymentPolicy="FULL")
    return driver, (await driver.drive_to("EXPERT_REVIEW"))["id"]


def _approval(journey_id: str, price: str, currency: str) -> dict[str, Any]:
    return {
        "journeyId": journey_id,
        "decision": "APPROVE",
        "points": "volume in the cheeks, no lips",
        "finalPlan": {**PLAN, "price": price, "currency": currency},
    }


async def _at_payment(
    fresh_clinic: Clinic, currency: str, price: str
) -> tuple[JourneyDriver, dict[str, Any]]:
    """A clinic billing in `currency`, and a journey at payment on a final plan of `price`."""
    driver, journey_id = await _at_review(fresh_clinic, currency)
    await driver.ok(
        documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **_approval(journey_id, price, currency)
    )
    return driver, await driver.sign_consent(journey_id)


async def _paid_without_a_bill(
    fresh_clinic: Clinic, currency: str, price: str
) -> tuple[JourneyDriver, dict[str, Any], str]:
    """`_at_payment`, the plan paid in full without a bill: (clinic, journey, payment's id)."""
    driver, journey = await _at_payment(fresh_clinic, currency, price)
    paid = _pay(journey, price, currency)
    journey = await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **paid)
    (row,) = await Payment.filter(journey_id=decode_id(journey["id"], "Journey"))
    return driver, journey, encode_id(PAYMENT_ID_TYPE, row.id)


def _pay(journey: dict[str, Any], amount: str, currency: str, kind: str = "FULL") -> dict[str, Any]:
    return {
        "journeyId": journey["id"],
        "amount": amount,
        "currency": currency,
        "method": "CASH",
        "kind": kind,
        "idempotencyKey": new_key(),
    }


async def _refund(driver: JourneyDriver, payment_id: str, amount: str, currency: str) -> Any:
    return await money_call(
        driver,
        RECORD_REFUND,
        Role.CASHIER,
        paymentId=payment_id,
        amount={"amount": amount, "currency": currency},
        reason="the client moved abroad",
        idempotencyKey=new_key(),
    )


def _problems(answer: dict[str, Any]) -> Any:
    assert answer["__typename"] == "ValidationFailed", answer
    return answer["problems"]


async def test_a_yen_payment_without_a_bill_is_given_back_no_more_than_was_paid(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic billing in yen, and a journey whose plan of ¥1,000 was paid without a bill
    driver, journey, paid = await _paid_without_a_bill(fresh_clinic, "JPY", "1000")

    # When the cashier gives back ¥100,000 (what the payment is kept as, in hundredths)
    over = await _refund(driver, paid, "100000", "JPY")
    # Then it is refused: ¥1,000 is all there is to give back
    assert _problems(over) == [
        {"field": "amount.amount", "message": "at most 1000 is left to refund"}
    ]

    # When ¥400 is given back, then ¥700, then the ¥600 left
    first = await _refund(driver, paid, "400", "JPY")
    assert first["__typename"] == "RefundPayload", first
    assert first["journey"]["stage"] == "REFUNDED"
    too_much = await _refund(driver, paid, "700", "JPY")
    rest = await _refund(driver, paid, "600", "JPY")

    # Then the second is refused and the rest is given back, the payment all given back
    assert _problems(too_much) == [
        {"field": "amount.amount", "message": "at most 600 is left to refund"}
    ]
    assert rest["__typename"] == "RefundPayload", rest
    assert _problems(await _refund(driver, paid, "1", "JPY")) == [
        {"field": "amount.amount", "message": "at most 0 is left to refund"}
    ]
    # And the client's billing history reads ¥1,000 paid and ¥1,000 given back (before:
    # ¥100,000 paid), and the journey's history each amount in yen
    history = await history_of(driver, journey["id"])
    ((month),) = history["months"]
    assert (month["paid"], month["refunded"], month["net"]) == (
        {"amount": "1000"},
        {"amount": "1000"},
        {"amount": "0"},
    )
    assert history["paid"]["amount"] == "0"
    summaries = [h["summary"] for h in (await driver.journey(journey["id"]))["history"]]
    assert summaries[-2:] == ["FULL 1000 JPY (paid 1000 JPY)", "refund 400 JPY before treatment"]


async def test_a_yen_amount_kept_in_hundredths_is_whole_yen(fresh_clinic: Clinic) -> None:
    # Given a clinic billing in yen, at the expert's review
    driver, journey_id = await _at_review(fresh_clinic, "JPY")
    # When the expert approves a plan of ¥1,000.50, which no one can pay in yen
    plan = _approval(journey_id, "1000.50", "JPY")
    refused = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **plan)
    # Then it is refused, on the price
    assert _problems(refused) == [{"field": "finalPlan.price", "message": NO_YEN_DECIMALS}]
    # And at payment, ¥0.50 without a bill is refused as well
    driver, journey = await _at_payment(fresh_clinic, "JPY", "1000")
    half = _pay(journey, "0.50", "JPY", "DEPOSIT")
    assert _problems(await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **half)) == [
        {"field": "amount", "message": NO_YEN_DECIMALS}
    ]


async def test_a_dinar_payment_without_a_bill_is_given_back_in_full_not_beyond(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic billing in Kuwaiti dinars (three places), and a plan of 1.250 KWD paid
    # without a bill, written at the dinar's places
    driver, journey, paid = await _paid_without_a_bill(fresh_clinic, "KWD", "1.250")

    # When the cashier gives back 1.260 KWD, then 0.125 KWD (finer than the payment was kept)
    over = await _refund(driver, paid, "1.260", "KWD")
    fine = await _refund(driver, paid, "0.125", "KWD")
    # Then both are refused, each saying why
    assert _problems(over) == [
        {"field": "amount.amount", "message": "at most 1.250 is left to refund"}
    ]
    assert _problems(fine) == [{"field": "amount.amount", "message": HUNDREDTHS_ONLY}]

    # When the whole 1.250 KWD is given back (before: "at most 0.125 is left to refund")
    whole = await _refund(driver, paid, "1.250", "KWD")
    # Then it is, and the journey ends refunded, its history in dinars
    assert whole["__typename"] == "RefundPayload", whole
    assert whole["journey"]["stage"] == "REFUNDED"
    assert whole["refund"]["amount"]["amount"] == "1.250"
    summaries = [h["summary"] for h in (await driver.journey(journey["id"]))["history"]]
    assert summaries[-2:] == [
        "FULL 1.250 KWD (paid 1.250 KWD)",
        "refund 1.250 KWD before treatment",
    ]
    history = await history_of(driver, journey["id"])
    ((month),) = history["months"]
    assert (month["paid"], month["refunded"]) == ({"amount": "1.250"}, {"amount": "1.250"})


async def test_a_dinar_payment_without_a_bill_finer_than_hundredths_is_refused(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey at payment on a plan of 2.000 KWD, without a bill
    driver, journey = await _at_payment(fresh_clinic, "KWD", "2.000")
    # When the cashier takes a deposit of 0.005 KWD
    finer = _pay(journey, "0.005", "KWD", "DEPOSIT")
    # Then it is refused: without a bill an amount is kept in hundredths
    assert _problems(await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **finer)) == [
        {"field": "amount", "message": HUNDREDTHS_ONLY}
    ]


async def test_a_euro_payment_without_a_bill_is_given_back_as_before(driver: JourneyDriver) -> None:
    # Given a journey whose plan of 1200.00 EUR was paid without a bill
    journey = await driver.pay((await driver.drive_to("PAYMENT"))["id"])
    (row,) = await Payment.filter(journey_id=decode_id(journey["id"], "Journey"))
    paid = encode_id(PAYMENT_ID_TYPE, row.id)
    # When more is given back, then all of it
    over = await _refund(driver, paid, "1200.01", "EUR")
    whole = await _refund(driver, paid, "1200.00", "EUR")
    # Then the first is refused and the second given back, the journey ended
    assert _problems(over) == [
        {"field": "amount.amount", "message": "at most 1200.00 is left to refund"}
    ]
    assert whole["__typename"] == "RefundPayload", whole
    assert whole["journey"]["stage"] == "REFUNDED"
    history = await history_of(driver, journey["id"])
    assert history["paid"]["amount"] == "0.00"
