"""A refund before the treatment began ends the journey: the client withdrew and owes nothing more.

The bill and the client's billing history say so alike (before, the bill counted what was given
back as owed again, 600.00 on a bill the history showed owing nothing), and two refunds sent at
once are each answered as the README promises: the journey's step is taken by one, and the other
is judged as a refund of a journey that has ended (before, it was told the journey has ended,
though a refund then is an entry beside the payment).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.billing import Refund
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.money_support import (
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    history_of,
    money_call,
    payment,
    set_item,
)

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def _paid_in_full(driver: JourneyDriver) -> tuple[dict[str, Any], str]:
    """A journey at TREATMENT, its treatment not begun, with a bill of 1000.00 paid FULL:
    (journey, the payment's id)."""
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    paid = await driver.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.00", "FULL")
    )
    assert paid["stage"] == "TREATMENT"
    return journey, (await bill_of(driver, journey["id"]))["payments"][0]["id"]


async def test_the_bill_and_the_history_owe_nothing_after_a_refund_before_treatment(
    fresh_clinic: Clinic,
) -> None:
    # Given a bill of 1000.00 paid in full, the treatment not begun
    driver = await fresh_clinic()
    journey, paid_id = await _paid_in_full(driver)
    # When 600.00 of it is given back (the client withdraws)
    refund = {"paymentId": paid_id, "amount": eur("600.00"), "reason": "changed her mind"}
    given = await money_call(
        driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=new_key()
    )
    assert given["journey"]["stage"] == "REFUNDED", given
    # Then the bill and the history say the same of it: 1000.00 paid, nothing owed
    bill = await bill_of(driver, journey["id"])
    on_bill = (bill["paid"]["amount"], bill["outstanding"]["amount"])
    history = await history_of(driver, journey["id"])
    in_history = [(b["paid"]["amount"], b["outstanding"]["amount"]) for b in history["bills"]]
    assert in_history == [on_bill]
    assert on_bill == ("1000.00", "0.00")
    assert history["outstanding"]["amount"] == "0.00"


async def test_two_refunds_at_once_before_treatment_end_the_journey_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a bill of 1000.00 paid in full, the treatment not begun
    driver = await fresh_clinic()
    journey, paid_id = await _paid_in_full(driver)
    refund = {"paymentId": paid_id, "amount": eur("600.00"), "reason": "changed her mind"}
    # When two cashiers give 600.00 back at once
    answers = await asyncio.gather(
        *(
            money_call(driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=new_key())
            for _ in range(2)
        )
    )
    # Then one ends the journey; the other is told the truth: its refund would give back more
    # than is left, or, while the first's entry is still being written, to try again
    kinds = sorted(answer["__typename"] for answer in answers)
    assert "RefundPayload" in kinds, answers
    (given,) = [a for a in answers if a["__typename"] == "RefundPayload"]
    (loser,) = [a for a in answers if a is not given]
    assert given["journey"]["stage"] == "REFUNDED", given
    assert loser["__typename"] in ("ValidationFailed", "Conflict"), loser
    if loser["__typename"] == "ValidationFailed":
        assert loser["problems"] == [
            {"field": "amount.amount", "message": "at most 400.00 is left to refund"}
        ], loser
    # And the money went back once
    assert await Refund.filter(payment_id=decode_id(paid_id, "Payment")).count() == 1
    bill = await bill_of(driver, journey["id"])
    assert [r["amount"]["amount"] for r in bill["refunds"]] == ["600.00"]
