"""A refund before the treatment began ends the journey: the client withdrew and owes nothing more.

The bill and the client's billing history say so alike (before, the bill counted the part not
given back as still owed, 600.00 on a bill the history showed owing nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
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
