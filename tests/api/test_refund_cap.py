"""A payment is given back in at most `MAX_REFUNDS_PER_PAYMENT` refunds: `recordRefund` refuses
one more, naming the cap, and writes nothing.

Before, nothing bounded them: a supervisor could give one payment back in thousands of 0.01
refunds, and every read of that payment (`bill { payments }`, `Journey.payments`) answered them
all, past what the answer-size estimate counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.billing import Refund
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from schema.ids import decode_id
from schema.money.bill_types import PAYMENT_ID_TYPE
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

Clinic = Callable[[], Awaitable[JourneyDriver]]
AT_THE_CAP = (
    f"a payment is given back in at most {MAX_REFUNDS_PER_PAYMENT} refunds, and this one has "
    f"{MAX_REFUNDS_PER_PAYMENT}"
)


async def _treated_and_paid(driver: JourneyDriver) -> tuple[str, str]:
    """A bill of 80.00 paid in full, the treatment begun: (journey id, payment id)."""
    item = await set_item(driver, listPrice=eur("80.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "80.00", "FULL"))
    await driver.start_treatment(journey["id"])
    (paid,) = (await bill_of(driver, journey["id"]))["payments"]
    return journey["id"], paid["id"]


async def _give_back(driver: JourneyDriver, payment_id: str) -> dict[str, Any]:
    refund = {
        "paymentId": payment_id,
        "amount": eur("0.01"),
        "reason": "goodwill",
        "idempotencyKey": new_key(),
    }
    return await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund)


async def _refunds_written(payment_id: str) -> int:
    return await Refund.filter(payment_id=decode_id(payment_id, PAYMENT_ID_TYPE)).count()


async def test_a_refund_past_the_cap_is_refused_and_nothing_is_written(
    fresh_clinic: Clinic,
) -> None:
    # Given a payment of 80.00 given back 0.01 at a time, as often as a payment may be
    driver = await fresh_clinic()
    journey_id, payment_id = await _treated_and_paid(driver)
    for _ in range(MAX_REFUNDS_PER_PAYMENT):
        given = await _give_back(driver, payment_id)
        assert given["__typename"] == "RefundPayload", given
    # When the supervisor gives 0.01 more back, with money left to give
    refused = await _give_back(driver, payment_id)
    # Then it is refused on the payment, naming the cap, and nothing is written
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [{"field": "paymentId", "message": AT_THE_CAP}]
    assert await _refunds_written(payment_id) == MAX_REFUNDS_PER_PAYMENT
    bill = await bill_of(driver, journey_id)
    assert (bill["refunded"]["amount"], bill["outstanding"]["amount"]) == ("0.05", "0.05")


async def test_two_refunds_sent_at_once_for_the_last_place_take_it_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a payment given back once less often than a payment may be
    driver = await fresh_clinic()
    _journey_id, payment_id = await _treated_and_paid(driver)
    for _ in range(MAX_REFUNDS_PER_PAYMENT - 1):
        assert (await _give_back(driver, payment_id))["__typename"] == "RefundPayload"
    # When two supervisors give 0.01 back at once
    both = await asyncio.gather(*(_give_back(driver, payment_id) for _ in range(2)))
    # Then one is recorded and the other refused on the payment, naming the cap
    assert sorted(r["__typename"] for r in both) == ["RefundPayload", "ValidationFailed"], both
    (refused,) = [r for r in both if r["__typename"] == "ValidationFailed"]
    assert refused["problems"] == [{"field": "paymentId", "message": AT_THE_CAP}]
    assert await _refunds_written(payment_id) == MAX_REFUNDS_PER_PAYMENT
