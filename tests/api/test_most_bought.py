"""The items a client's billing history counts as bought (`mostBought`) are those of bills whose
journey went on to the treatment or may still: a client who withdrew before it bought nothing.

Before, every bill paid on counted, whole: a bill of 800.00 paid and given back in full before
the treatment (the journey REFUNDED) stood in the client's file as 800.00 spent on the item, and
a no-show who had paid a deposit of 300.00 on a bill of 1000.00 as 1000.00 spent on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.money_support import (
    RECORD_REFUND,
    SET_SETTINGS,
    bill_of,
    billed_journey,
    eur,
    history_of,
    money_call,
    payment,
    set_item,
)

Clinic = Callable[[], Awaitable[JourneyDriver]]


def _bought(history: dict[str, object]) -> list[tuple[str, int, str]]:
    items = history["mostBought"]
    assert isinstance(items, list)
    return [(i["code"], i["quantity"], i["spent"]["amount"]) for i in items]


async def test_a_bill_given_back_in_full_before_the_treatment_bought_nothing(
    fresh_clinic: Clinic,
) -> None:
    # Given a client who paid a bill of 800.00 and bought another item of 150.00 on a later
    # journey, treated
    driver = await fresh_clinic()
    withdrawn = await set_item(driver, listPrice=eur("800.00"))
    treated = await set_item(driver, listPrice=eur("150.00"))
    client_id = await driver.register_client()
    first = await driver.start(client_id)
    journey, bill = await billed_journey(driver, [{"priceItemId": withdrawn["id"]}], first)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "800.00", "FULL"))
    (paid,) = (await bill_of(driver, journey["id"]))["payments"]
    # When the whole of it is given back before the treatment (the journey ends REFUNDED)
    refund = {"paymentId": paid["id"], "amount": eur("800.00"), "reason": "changed her mind"}
    given = await money_call(
        driver, RECORD_REFUND, Role.CASHIER, **refund, idempotencyKey=new_key()
    )
    assert given["journey"]["stage"] == "REFUNDED", given
    later = await driver.start(client_id)
    later, other = await billed_journey(driver, [{"priceItemId": treated["id"]}], later)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(other, "150.00", "FULL"))
    await driver.start_treatment(later["id"])
    # Then only the treated item is among those bought; the months still show the money moved
    history = await history_of(driver, journey["id"])
    assert _bought(history) == [(treated["code"], 1, "150.00")]
    assert [m["net"]["amount"] for m in history["months"]] == ["150.00"]


async def test_a_no_show_with_a_deposit_paid_bought_nothing(fresh_clinic: Clinic) -> None:
    # Given a clinic taking deposits and a bill of 1000.00 with a deposit of 300.00 paid
    driver = await fresh_clinic()
    policy = {"currency": "EUR", "locale": "pl_PL", "discountThresholdPercent": 10}
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **policy, paymentPolicy="DEPOSIT")
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    deposit = payment(bill, "300.00", "DEPOSIT")
    assert (await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **deposit))["stage"] == (
        "TREATMENT"
    )
    # When the client does not come for the treatment
    gone = await driver.ok(documents.MARK_NO_SHOW, Role.FRONT_DESK, journeyId=journey["id"])
    assert gone["stage"] == "NO_SHOW"
    # Then the item is not among those bought, and the deposit is still shown as paid
    history = await history_of(driver, journey["id"])
    assert _bought(history) == []
    assert history["paid"]["amount"] == "300.00"
    assert [(b["paid"]["amount"], b["outstanding"]["amount"]) for b in history["bills"]] == [
        ("300.00", "0.00")
    ]
