"""Payments against a confirmed bill under the clinic's policy, receipts, retries and refunds.

Each test runs in a clinic of its own: its receipts start at 1 and its settings are its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from domain.money.installments import DueCheck
from domain.roles import Role
from domain.store.billing import Payment
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import CHECKS, PLAN, JourneyDriver, new_key
from tests.api.harness import clinic_month
from tests.api.money_support import (
    INSTALLMENTS,
    RECORD_REFUND,
    SET_SETTINGS,
    bill_for_installments,
    bill_of,
    billed_journey,
    eur,
    history_of,
    money_call,
    overdue_count,
    overdue_on_bill,
    payment,
    set_item,
)
from workflows.installment_activities import check_installment

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def test_deposit_moves_the_journey_on_and_the_rest_is_paid_before_treatment(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic whose policy lets a deposit pass the payment stage, and a confirmed bill
    started_in = clinic_month()
    driver = await fresh_clinic()
    policy = {"currency": "EUR", "locale": "pl_PL", "discountThresholdPercent": 10}
    settings = await money_call(
        driver, SET_SETTINGS, Role.SUPERVISOR, **policy, paymentPolicy="DEPOSIT"
    )
    assert settings["settings"]["paymentPolicy"] == "DEPOSIT", settings
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    # A payment larger than the bill, or a TOP_UP with no deposit before it, is refused
    too_much = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.01", "PARTIAL")
    )
    # (in the bill's currency, as staff read amounts, never in minor units)
    assert too_much["problems"] == [
        {"field": "amount", "message": "at most 1000.00 EUR is outstanding"}
    ], too_much
    no_deposit = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "100.00", "TOP_UP")
    )
    assert [p["field"] for p in no_deposit["problems"]] == ["kind"], no_deposit
    # When the client pays a deposit of 300.00 the journey moves on to treatment
    deposit = payment(bill, "300.00", "DEPOSIT", idempotencyKey=new_key())
    moved = await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **deposit)
    assert moved["stage"] == "TREATMENT"
    # ... and a retry of that very call (an answer lost) answers the same, recording nothing
    again = await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **deposit)
    assert again["history"] == moved["history"]
    other = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **{**deposit, "amount": "301.00"}
    )
    assert other["__typename"] == "Conflict", other
    beyond = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "999.00", "TOP_UP")
    )
    assert beyond["problems"] == [
        {"field": "amount", "message": "at most 700.00 EUR is outstanding"}
    ], beyond
    # But the treatment cannot start before the rest is paid
    early = await driver.act(
        documents.START_TREATMENT, Role.NURSE, journeyId=journey["id"], checks=CHECKS
    )
    assert early["__typename"] == "TransitionNotAllowed", early
    assert "settled payment" in early["message"]
    # When the client tops up the remaining 700.00 the treatment may start
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "700.00", "TOP_UP"))
    started = await driver.start_treatment(journey["id"])
    assert started["stage"] == "TREATMENT"
    assert started["history"][-1]["action"] == "start_treatment"
    # Then the bill shows both payments with receipts 1 and 2, nothing outstanding
    paid = await bill_of(driver, journey["id"])
    assert [(p["kind"], p["amount"]["amount"], p["receiptNumber"]) for p in paid["payments"]] == [
        ("DEPOSIT", "300.00", 1),
        ("TOP_UP", "700.00", 2),
    ]
    assert (paid["paid"]["amount"], paid["outstanding"]["amount"]) == ("1000.00", "0.00")
    assert await Payment.filter(bill_id=decode_id(bill["id"], "Bill")).count() == 2
    # And the client's billing history shows the month's spending, the item, nothing owed
    spent = await history_of(driver, journey["id"])
    month = spent["months"][0]["month"]
    assert month in {started_in, clinic_month()}  # (the test may run across midnight)
    assert spent["months"] == [
        {
            "month": month,
            "paid": {"amount": "1000.00"},
            "refunded": {"amount": "0.00"},
            "net": {"amount": "1000.00"},
        }
    ]
    assert spent["mostBought"] == [
        {"code": item["code"], "quantity": 1, "spent": {"amount": "1000.00"}}
    ]
    assert spent["paid"]["formatted"] == "1000,00\xa0€".replace("1000", "1\xa0000")
    assert spent["outstanding"] == {"amount": "0.00"}


async def test_a_refund_before_treatment_ends_the_journey_and_leaves_the_payment(
    fresh_clinic: Clinic,
) -> None:
    # Given the default policy (the whole bill moves the journey on) and a deposit paid
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("500.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"], "quantity": 2}])
    waiting = await driver.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "200.00", "DEPOSIT")
    )
    assert waiting["stage"] == "PAYMENT"  # a deposit books, it does not settle
    (paid,) = (await bill_of(driver, journey["id"]))["payments"]
    # When the cashier gives 150.00 back, then tries to give back more than is left
    key = new_key()
    refund = {"paymentId": paid["id"], "amount": eur("150.00"), "reason": "changed her mind"}
    given = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=key)
    retried = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=key)
    too_much = await money_call(
        driver, RECORD_REFUND, Role.CASHIER, **{**refund, "amount": eur("50.01")}
    )
    # Then the journey ended as REFUNDED, once; the payment is still as it was
    assert given["__typename"] == "RefundPayload", given
    assert given["journey"]["outcome"] == "REFUNDED"
    assert given["refund"]["beforeTreatment"] is True
    assert retried == given
    assert [p["field"] for p in too_much["problems"]] == ["amount.amount"]
    after = await bill_of(driver, journey["id"])
    assert after["payments"] == [paid]
    assert [r["amount"]["amount"] for r in after["refunds"]] == ["150.00"]
    # (nothing is owed on it: the client withdrew, as the history says below)
    assert (after["refunded"]["amount"], after["outstanding"]["amount"]) == ("150.00", "0.00")
    # And the client's history counts 200.00 paid, 150.00 given back, nothing owed (refunded)
    spent = await history_of(driver, journey["id"])
    ((month,),) = [[(m["paid"]["amount"], m["refunded"]["amount"]) for m in spent["months"]]]
    assert month == ("200.00", "150.00")
    assert [(b["paid"]["amount"], b["outstanding"]["amount"]) for b in spent["bills"]] == [
        ("200.00", "0.00")
    ]
    assert spent["paid"]["amount"] == "50.00"


async def test_after_treatment_only_a_supervisor_gives_money_back(fresh_clinic: Clinic) -> None:
    # Given a journey paid in full and treated
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("80.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "80.00", "FULL"))
    await driver.start_treatment(journey["id"])
    (paid,) = (await bill_of(driver, journey["id"]))["payments"]
    refund = {"paymentId": paid["id"], "amount": eur("50.00"), "reason": "bruising, goodwill"}
    # When a cashier tries, then two supervisors at once, each giving back 50.00 of the 80.00
    cashier = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund)
    both = await asyncio.gather(
        *(money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund) for _ in range(2))
    )
    # Then the cashier is refused, one supervisor's is recorded, the other would give back
    # more than was paid; the journey goes on
    assert cashier["__typename"] == "NotAuthorized", cashier
    assert sorted(r["__typename"] for r in both) == ["RefundPayload", "ValidationFailed"], both
    (given,) = [r for r in both if r["__typename"] == "RefundPayload"]
    assert given["journey"]["stage"] == "TREATMENT"
    assert given["refund"]["beforeTreatment"] is False
    after = await bill_of(driver, journey["id"])
    assert [r["amount"]["amount"] for r in after["refunds"]] == ["50.00"]
    assert after["payments"] == [paid]


async def test_concurrent_payments_in_one_clinic_take_receipts_without_gaps(
    fresh_clinic: Clinic,
) -> None:
    # Given four journeys with confirmed bills of 100.00 in a fresh clinic
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("100.00"))
    billed = await asyncio.gather(
        *(billed_journey(driver, [{"priceItemId": item["id"]}]) for _ in range(4))
    )
    # When 20 partial payments of 5.00 arrive at once, five per journey
    calls = [
        driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "5.00", "PARTIAL"))
        for _, bill in billed
        for _ in range(5)
    ]
    await asyncio.gather(*calls)
    # Then the clinic's receipts are 1 to 20, each once
    numbers = []
    for _, bill in billed:
        numbers += [
            p["receiptNumber"] for p in (await bill_of(driver, bill["journeyId"]))["payments"]
        ]
    assert sorted(numbers) == list(range(1, 21))


async def test_an_installment_plan_moves_on_and_a_missed_installment_is_counted(
    fresh_clinic: Clinic,
) -> None:
    # Given a confirmed bill of 900.00
    driver = await fresh_clinic()
    journey, bill, schedule = await bill_for_installments(driver)
    # When a plan that does not make the bill is offered, then one that does
    short = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule[:1])
    refused = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **short)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule)
    moved = await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    # Then the first is refused, the second moves the journey on with its schedule on the bill
    assert [p["field"] for p in refused["problems"]] == ["schedule"], refused
    assert moved["stage"] == "TREATMENT"
    planned = await driver.api.run(INSTALLMENTS, driver.token(Role.CASHIER), id=bill["id"])
    assert planned["bill"]["installments"] == [
        {"seq": 1, "dueOn": schedule[0]["dueOn"], "amount": {"amount": "300.00"}, "overdue": False},
        {"seq": 2, "dueOn": schedule[1]["dueOn"], "amount": {"amount": "300.00"}, "overdue": False},
    ]
    # When the first due date passes unpaid (the schedule's check, run as its timer runs it)
    raw_bill = decode_id(bill["id"], "Bill") or ""
    assert await check_installment(DueCheck(raw_bill, 1, 60000)) is True
    # Then the supervisor's cockpit counts the task, and the bill shows it
    assert await overdue_count(driver) == 1
    late = await driver.api.run(INSTALLMENTS, driver.token(Role.CASHIER), id=bill["id"])
    assert [i["overdue"] for i in late["bill"]["installments"]] == [True, False]
    # When the client pays it after the treatment began, the task is done; the journey goes on
    await driver.start_treatment(journey["id"])
    paid = await driver.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "300.00", "INSTALLMENT")
    )
    assert paid["history"][-1]["action"] == "start_treatment"
    assert await overdue_count(driver) == 0
    assert await overdue_on_bill(driver, journey["id"]) == [False, False]
    assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "300.00"
    # When the last 300.00 is paid three times at once (the journey no longer judges them)
    racing = [payment(bill, "300.00", "INSTALLMENT", idempotencyKey=new_key()) for _ in range(3)]
    answers = await asyncio.gather(
        *(driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **each) for each in racing)
    )
    # Then one is taken and two are refused on their amount: the bill is paid, no more
    refusals = [a["problems"] for a in answers if a["__typename"] == "ValidationFailed"]
    assert refusals == [[{"field": "amount", "message": "at most 0.00 EUR is outstanding"}]] * 2
    assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "0.00"


async def test_a_yen_bill_paid_and_refunded_is_summarised_in_yen(fresh_clinic: Clinic) -> None:
    # Given a clinic billing in yen (no minor unit) and a journey whose plan of ¥150,000 was
    # approved, at payment with a confirmed bill of ¥150,000
    driver = await fresh_clinic()
    yen = {"currency": "JPY", "locale": "ja_JP", "discountThresholdPercent": 10}
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **yen, paymentPolicy="FULL")
    journey = await driver.drive_to("EXPERT_REVIEW")
    await driver.ok(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        journeyId=journey["id"],
        decision="APPROVE",
        points="volume in the cheeks, no lips",
        finalPlan={**PLAN, "price": "150000", "currency": "JPY"},
    )
    journey = await driver.sign_consent(journey["id"])
    item = await set_item(driver, listPrice={"amount": "150000", "currency": "JPY"})
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}], journey)
    # When the cashier takes it in full and gives ¥1,000 back before the treatment
    paid = payment(bill, "150000", "FULL", currency="JPY")
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **paid)
    (taken,) = (await bill_of(driver, journey["id"]))["payments"]
    given_back = {"amount": "1000", "currency": "JPY"}
    refund = await money_call(
        driver,
        RECORD_REFUND,
        Role.CASHIER,
        paymentId=taken["id"],
        amount=given_back,
        reason="one syringe not used",
    )
    assert refund["__typename"] == "RefundPayload", refund
    # Then the journey's history writes each amount in yen (before: "1500.00 JPY", "10.00 JPY")
    history = (await driver.journey(journey["id"]))["history"]
    assert [h["summary"] for h in history][-4:] == [
        "plan approved at 150000 JPY",
        "PROCEDURE consent signed",
        "FULL 150000 JPY (paid 150000 JPY)",
        "refund 1000 JPY before treatment",
    ]
