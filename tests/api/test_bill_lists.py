"""A bill's payments and refunds are read page by page, oldest first: many small payments, or
money given back and paid again after the treatment began, grow them without limit. Before, both
were read whole into every answer. The bill's sums count every row, whatever page is read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

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
from tests.api.refused_input import refusal, refused_input

Clinic = Callable[[], Awaitable[JourneyDriver]]
PAGES = """
query Pages($journeyId: ID, $first: Int!, $paidAfter: ID, $givenAfter: ID) {
  bill(journeyId: $journeyId) {
    paid { amount } refunded { amount } outstanding { amount }
    payments(first: $first, after: $paidAfter) { id amount { amount } refunds { id } }
    refunds(first: $first, after: $givenAfter) { id amount { amount } }
  }
}
"""


async def _pages(driver: JourneyDriver, journey_id: str, **asked: Any) -> dict[str, Any]:
    data = await driver.api.run(
        PAGES, driver.token(Role.CASHIER), journeyId=journey_id, **{"first": 2, **asked}
    )
    return data["bill"]  # type: ignore[no-any-return]


async def _give_back(driver: JourneyDriver, payment_id: str, amount: str) -> str:
    refund = {"paymentId": payment_id, "amount": eur(amount), "reason": "paid again by card"}
    given = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund)
    assert given["__typename"] == "RefundPayload", given
    return str(given["refund"]["id"])


async def test_a_bills_payments_and_refunds_are_read_page_by_page(fresh_clinic: Clinic) -> None:
    # Given a bill of 1000.00 paid in full and treated, 300.00 given back and paid again in
    # three payments of 100.00, and 100.00 of two of those given back
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.00", "FULL"))
    await driver.start_treatment(journey["id"])
    full = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    given = [await _give_back(driver, full, "300.00")]
    for _ in range(3):
        await driver.ok(
            documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "100.00", "PARTIAL")
        )
    paid = [p["id"] for p in (await bill_of(driver, journey["id"]))["payments"]]
    given += [
        await _give_back(driver, paid[1], "100.00"),
        await _give_back(driver, paid[2], "100.00"),
    ]
    # When the cashier reads them two at a time
    first = await _pages(driver, journey["id"])
    second = await _pages(
        driver,
        journey["id"],
        paidAfter=first["payments"][-1]["id"],
        givenAfter=first["refunds"][-1]["id"],
    )
    last = await _pages(
        driver, journey["id"], paidAfter=second["payments"][-1]["id"], givenAfter=given[-1]
    )
    # Then each page goes on where the one before ended, oldest first, to the end
    assert [p["id"] for p in first["payments"] + second["payments"]] == paid
    assert [r["id"] for r in first["refunds"] + second["refunds"]] == given
    assert (last["payments"], last["refunds"]) == ([], [])
    assert [len(p["refunds"]) for p in first["payments"] + second["payments"]] == [1, 1, 1, 0]
    # And every page's bill counts all of them: 1300.00 paid, 500.00 given back, 200.00 owed
    for page in (first, second, last):
        sums = [page[name]["amount"] for name in ("paid", "refunded", "outstanding")]
        assert sums == ["1300.00", "500.00", "200.00"]


@pytest.mark.parametrize("first", [0, 501])
async def test_a_bill_page_beyond_its_bound_is_refused(driver: JourneyDriver, first: int) -> None:
    item = await set_item(driver, listPrice=eur("100.00"))
    journey, _bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    refused = await refused_input(_pages(driver, journey["id"], first=first))
    # Then one error entry names the argument: both lists refuse the same `first`, said once
    assert refused == refusal("first", "first: 1 to 500", "OUT_OF_RANGE")


async def test_a_bill_page_after_what_is_not_the_bills_own_is_refused(
    fresh_clinic: Clinic,
) -> None:
    # Given a treated bill paid in full and given back in part
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.00", "FULL"))
    await driver.start_treatment(journey["id"])
    paid = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    given = await _give_back(driver, paid, "300.00")
    # When its payments are asked after the refund, and its refunds after the payment
    payments = await refused_input(_pages(driver, journey["id"], paidAfter=given))
    refunds = await refused_input(_pages(driver, journey["id"], givenAfter=paid))
    # Then each is refused, naming `after` as a value that is none of the list's
    message = "after: not the id of a payment of this bill"
    assert payments == refusal("after", message, "UNKNOWN_VALUE")
    message = "after: not the id of a refund of this bill"
    assert refunds == refusal("after", message, "UNKNOWN_VALUE")
