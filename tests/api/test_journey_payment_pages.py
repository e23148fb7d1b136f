"""`Journey.payments` is read page by page, as a bill's payments are: `first` (100 by default, 1
to 500) after the payment `after` names, oldest first. Before, it answered a journey's first 100
payments whole, with no way to read on, and the answer-size estimate counted it as one: a page
of 100 journeys with their payments passed it at 100 times what it counted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.money_support import billed_journey, eur, payment, set_item
from tests.api.refused_input import refusal, refused_input

Clinic = Callable[[], Awaitable[JourneyDriver]]
PAGE = """
query Page($id: ID!, $first: Int!, $after: ID) {
  journey(id: $id) {
    ... on Journey { payments(first: $first, after: $after) { id kind amount { amount } } }
  }
}
"""


async def _page(driver: JourneyDriver, journey_id: str, **asked: Any) -> list[dict[str, Any]]:
    data = await driver.api.run(PAGE, driver.token(Role.CASHIER), id=journey_id, **asked)
    return data["journey"]["payments"]  # type: ignore[no-any-return]


async def _paid_three_times(driver: JourneyDriver) -> str:
    """A journey with a bill of 500.00: a deposit of 200.00, then two top-ups of 100.00."""
    item = await set_item(driver, listPrice=eur("500.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "200.00", "DEPOSIT"))
    for _ in range(2):
        await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "100.00", "TOP_UP"))
    return str(journey["id"])


async def test_a_journeys_payments_are_read_page_by_page(fresh_clinic: Clinic) -> None:
    # Given a journey paid three times
    driver = await fresh_clinic()
    journey_id = await _paid_three_times(driver)
    # When the cashier reads its payments two at a time
    first = await _page(driver, journey_id, first=2)
    second = await _page(driver, journey_id, first=2, after=first[-1]["id"])
    last = await _page(driver, journey_id, first=2, after=second[-1]["id"])
    # Then each page goes on where the one before ended, oldest first, to the end
    assert [(p["kind"], p["amount"]["amount"]) for p in first + second] == [
        ("DEPOSIT", "200.00"),
        ("TOP_UP", "100.00"),
        ("TOP_UP", "100.00"),
    ]
    assert last == []
    # And the default page holds them all
    assert await _page(driver, journey_id, first=100) == first + second


async def test_a_page_after_another_journeys_payment_is_refused(fresh_clinic: Clinic) -> None:
    # Given two journeys paid in one clinic
    driver = await fresh_clinic()
    ours, theirs = await _paid_three_times(driver), await _paid_three_times(driver)
    elsewhere = (await _page(driver, theirs, first=1))[0]["id"]
    # When one journey's payments are asked after the other's payment, or past the bound
    # Then it is refused, saying why and naming the argument
    after_theirs = await refused_input(_page(driver, ours, first=2, after=elsewhere))
    message = "after: not the id of a payment of this journey"
    assert after_theirs == refusal("after", message, "UNKNOWN_VALUE")
    too_many = await refused_input(_page(driver, ours, first=501))
    assert too_many == refusal("first", "first: 1 to 500", "OUT_OF_RANGE")
