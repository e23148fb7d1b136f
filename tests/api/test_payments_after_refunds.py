"""Money given back after the treatment began is owed again, and the cashier can take it again.

A bill's `outstanding` is its total less what it holds (its payments less their refunds), and a
refunded installment is counted overdue until it is paid again. Before, a payment was judged
against the payments alone: a bill paid in full and then given back 600.00 showed 600.00
outstanding, and every payment of it was refused as "at most 0.00 EUR is outstanding".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.money_support import (
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def test_money_given_back_after_treatment_can_be_paid_again(fresh_clinic: Clinic) -> None:
    # Given a bill of 1000.00 paid in full, in treatment, and 600.00 of it given back
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.00", "FULL"))
    await driver.start_treatment(journey["id"])
    paid_id = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    refund = {"paymentId": paid_id, "amount": eur("600.00"), "reason": "charged twice"}
    given = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund)
    assert given["__typename"] == "RefundPayload", given
    assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "600.00"
    # When the cashier takes more than that, it is refused, naming what is outstanding
    too_much = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "600.01", "PARTIAL")
    )
    assert too_much["problems"] == [
        {"field": "amount", "message": "at most 600.00 EUR is outstanding"}
    ], too_much
    # When the client pays the 600.00 again, it is taken
    again = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "600.00", "PARTIAL")
    )
    assert again["__typename"] == "JourneyPayload", again
    # Then the bill is paid up, and a full payment of it is not taken a second time
    after = await bill_of(driver, journey["id"])
    assert [after["paid"]["amount"], after["refunded"]["amount"]] == ["1600.00", "600.00"]
    assert after["outstanding"]["amount"] == "0.00"
    assert [p["amount"]["amount"] for p in after["payments"]] == ["1000.00", "600.00"]
    beyond = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "0.01", "PARTIAL")
    )
    assert beyond["problems"] == [
        {"field": "amount", "message": "at most 0.00 EUR is outstanding"}
    ], beyond
