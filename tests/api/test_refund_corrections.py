"""Before the treatment, a REVERSAL corrects a payment taken in error: an entry, and the journey
counts it as not paid and goes on where it was. The client withdrawing (WITHDRAWAL, or a refund
sent without a kind, as every refund before kinds) ends the journey as REFUNDED.

Before, every refund before the treatment ended the journey: a cashier correcting 10.00 of a
100.00 deposit ended the client's visit. Refunds of one journey take its turn from their checks
to their row (`domain.store.refund_turns`): two corrections of one payment sent at once both
passed the checks, the journey took both steps and the second's row was refused, so the journey
counted as given back money the books still held.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.money_support import (
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from workflows.journey import JourneyWorkflow

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def _billed(driver: JourneyDriver) -> tuple[dict[str, Any], dict[str, Any]]:
    """A journey at PAYMENT with a confirmed bill of 1000.00: (journey, bill)."""
    item = await set_item(driver, listPrice=eur("1000.00"))
    return await billed_journey(driver, [{"priceItemId": item["id"]}])


async def _give_back(
    driver: JourneyDriver, payment_id: str, amount: str, **kind: str
) -> dict[str, Any]:
    refund = {"paymentId": payment_id, "amount": eur(amount), "reason": "wrong amount keyed"}
    return await money_call(
        driver, RECORD_REFUND, Role.CASHIER, **refund, **kind, idempotencyKey=new_key()
    )


async def _deposit_of_100(driver: JourneyDriver) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A bill of 1000.00 with a deposit of 100.00 paid, the treatment not begun."""
    journey, bill = await _billed(driver)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "100.00", "DEPOSIT"))
    deposit = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    return journey, bill, deposit


async def _journey_paid(env: WorkflowEnvironment, journey_id: str) -> int:
    """What the journey itself counts as paid (its workflow's facts), in minor units."""
    raw = decode_id(journey_id, "Journey")
    assert raw is not None
    handle = env.client.get_workflow_handle_for(JourneyWorkflow.run, raw)
    return (await handle.query(JourneyWorkflow.facts)).paid_minor


async def test_a_reversal_before_the_treatment_leaves_the_journey_where_it_was(
    fresh_clinic: Clinic, temporal_env: WorkflowEnvironment
) -> None:
    # Given a deposit of 100.00 on a bill of 1000.00, the treatment not begun
    driver = await fresh_clinic()
    journey, bill, deposit = await _deposit_of_100(driver)
    # When 10.00 of it is given back as a REVERSAL (a correction)
    given = await _give_back(driver, deposit, "10.00", kind="REVERSAL")
    # Then it is an entry, the payment partly given back, and the journey goes on where it was
    assert given["__typename"] == "RefundPayload", given
    assert given["journey"]["stage"] == "PAYMENT", given
    assert given["refund"]["beforeTreatment"] is True
    after = await bill_of(driver, journey["id"])
    assert [after["refunded"]["amount"], after["outstanding"]["amount"]] == ["10.00", "910.00"]
    # And the journey counts the 10.00 as not paid, as the books do
    assert await _journey_paid(temporal_env, journey["id"]) == 9_000
    # And the 910.00 still owed settles it: the journey moves on to the treatment
    settled = await driver.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "910.00", "TOP_UP")
    )
    assert settled["stage"] == "TREATMENT", settled


async def test_a_withdrawal_or_a_refund_without_a_kind_ends_the_journey(
    fresh_clinic: Clinic,
) -> None:
    for kind in ({"kind": "WITHDRAWAL"}, {}):
        # Given a deposit of 100.00, the treatment not begun
        driver = await fresh_clinic()
        journey, _, deposit = await _deposit_of_100(driver)
        # When the client withdraws and 60.00 of it is given back, the rest kept
        given = await _give_back(driver, deposit, "60.00", **kind)
        # Then the journey ends as REFUNDED, and the bill owes nothing more
        assert given["__typename"] == "RefundPayload", (kind, given)
        assert given["journey"]["stage"] == "REFUNDED", (kind, given)
        assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "0.00"


async def test_a_withdrawal_once_the_treatment_began_is_refused(fresh_clinic: Clinic) -> None:
    # Given a treatment begun, its bill paid in full
    driver = await fresh_clinic()
    journey, bill = await _billed(driver)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.00", "FULL"))
    await driver.start_treatment(journey["id"])
    paid = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    # When a supervisor gives 10.00 back as a WITHDRAWAL
    refund = {"paymentId": paid, "amount": eur("10.00"), "reason": "client withdrew"}
    refused = await money_call(
        driver,
        RECORD_REFUND,
        Role.SUPERVISOR,
        **refund,
        kind="WITHDRAWAL",
        idempotencyKey=new_key(),
    )
    # Then it is refused on its kind, and nothing is given back
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["kind"], refused
    assert (await bill_of(driver, journey["id"]))["refunded"]["amount"] == "0.00"


async def test_two_corrections_of_one_payment_at_once_leave_journey_and_books_agreeing(
    fresh_clinic: Clinic, temporal_env: WorkflowEnvironment
) -> None:
    # Given a bill of 1000.00 paid as a deposit of 400.00 and a top-up of 600.00, the treatment
    # not begun: the journey holds 1000.00, the deposit 400.00 of it
    driver = await fresh_clinic()
    journey, bill = await _billed(driver)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "400.00", "DEPOSIT"))
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "600.00", "TOP_UP"))
    deposit = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    # When two cashiers correct 300.00 of the deposit at once
    answers = await asyncio.gather(
        *(_give_back(driver, deposit, "300.00", kind="REVERSAL") for _ in range(2))
    )
    # Then one is given back, the journey going on; the other is refused for what it left
    (given,) = [a for a in answers if a["__typename"] == "RefundPayload"]
    (refused,) = [a for a in answers if a is not given]
    assert given["journey"]["stage"] == "TREATMENT", given
    # And the journey and the books agree on what is held: 700.00
    bill_now = await bill_of(driver, journey["id"])
    assert [r["amount"]["amount"] for r in bill_now["refunds"]] == ["300.00"]
    assert await _journey_paid(temporal_env, journey["id"]) == 70_000
    # And the other was judged on what the first left
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "amount.amount", "message": "at most 100.00 is left to refund"}
    ], refused
