"""A clinic that changed its currency still shows a client her bills and payments from before:
`billingHistory` reads one currency, the clinic's by default or the one asked (`currency:`), and
lists every currency she was billed or paid in; in each, the bills she confirmed or paid on and
what she still owes on them. Before, it read only the clinic's currency now, and her history
from before the change was nowhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.money_support import (
    CLIENT_OF,
    CREATE_BILL,
    EUR_SETTINGS,
    SET_SETTINGS,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from tests.api.refused_input import refusal, refused_input

Clinic = Callable[[], Awaitable[JourneyDriver]]
HISTORY = """
query History($clientId: ID!, $currency: String) {
  billingHistory(clientId: $clientId, currency: $currency) {
    currency currencies
    months { month paid { amount currency } }
    bills { total { amount currency } paid { amount } outstanding { amount } }
    paid { amount currency formatted } outstanding { amount currency }
  }
}
"""


async def _history(driver: JourneyDriver, client_id: str, **asked: Any) -> dict[str, Any]:
    data = await driver.api.run(HISTORY, driver.token(Role.CASHIER), clientId=client_id, **asked)
    return data["billingHistory"]  # type: ignore[no-any-return]


async def _paid_in_euros_then_zloty(driver: JourneyDriver) -> str:
    """A client who paid a bill of 800.00 EUR in full, in a clinic that bills in PLN since: her
    global id."""
    item = await set_item(driver, listPrice=eur("800.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "800.00", "FULL"))
    zloty = {**EUR_SETTINGS, "currency": "PLN"}
    changed = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **zloty)
    assert changed["__typename"] == "BillingSettingsPayload", changed
    data = await driver.api.run(CLIENT_OF, driver.token(Role.CASHIER), id=journey["id"])
    return str(data["journey"]["client"]["id"])


async def test_a_client_s_history_from_before_the_clinic_changed_currency_is_read(
    fresh_clinic: Clinic,
) -> None:
    # Given a client who paid 800.00 EUR, and her clinic billing in PLN since
    driver = await fresh_clinic()
    client_id = await _paid_in_euros_then_zloty(driver)
    # When the cashier opens her billing history, and asks it in euros
    now = await _history(driver, client_id)
    before = await _history(driver, client_id, currency="EUR")
    # Then the history in zloty is empty and says she paid in euros
    assert now["currency"] == "PLN" and now["currencies"] == ["EUR"], now
    assert now["bills"] == [] and now["paid"]["amount"] == "0.00", now
    assert now["paid"]["currency"] == "PLN", now
    # And the one in euros shows her bill and payment, in euros
    assert before["currency"] == "EUR" and before["currencies"] == ["EUR"], before
    assert before["paid"]["amount"] == "800.00" and before["paid"]["currency"] == "EUR", before
    (bill,) = before["bills"]
    assert bill == {
        "total": {"amount": "800.00", "currency": "EUR"},
        "paid": {"amount": "800.00"},
        "outstanding": {"amount": "0.00"},
    }
    (month,) = before["months"]
    assert month["paid"] == {"amount": "800.00", "currency": "EUR"}
    assert before["outstanding"] == {"amount": "0.00", "currency": "EUR"}


async def test_a_history_asked_in_what_is_no_currency_is_refused(fresh_clinic: Clinic) -> None:
    # Given a client who paid in euros
    driver = await fresh_clinic()
    client_id = await _paid_in_euros_then_zloty(driver)
    # When her history is asked in "EURO"
    refused = await refused_input(_history(driver, client_id, currency="EURO"))
    # Then the answer is an error entry naming the argument, not a history or a fault
    message = "currency: an ISO 4217 code such as EUR or PLN"
    assert refused == refusal("currency", message, "UNKNOWN_VALUE")


async def test_a_bill_not_paid_on_counts_its_currency(fresh_clinic: Clinic) -> None:
    # Given a client billed 800.00 EUR who paid nothing, in a clinic that bills in PLN since
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("800.00"))
    journey, _ = await billed_journey(driver, [{"priceItemId": item["id"]}])
    zloty = {**EUR_SETTINGS, "currency": "PLN"}
    changed = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **zloty)
    assert changed["__typename"] == "BillingSettingsPayload", changed
    data = await driver.api.run(CLIENT_OF, driver.token(Role.CASHIER), id=journey["id"])
    # When the cashier opens her billing history
    now = await _history(driver, data["journey"]["client"]["id"])
    # Then it says she was billed in euros, so the screen can offer her history in them
    assert now["currency"] == "PLN" and now["currencies"] == ["EUR"], now


async def test_what_she_owes_on_a_bill_in_the_currency_before_is_read_in_it(
    fresh_clinic: Clinic,
) -> None:
    # Given a client who confirmed a bill of 800.00 EUR and paid nothing on it, in a clinic that
    # bills in PLN since
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("800.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    zloty = {**EUR_SETTINGS, "currency": "PLN"}
    changed = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **zloty)
    assert changed["__typename"] == "BillingSettingsPayload", changed
    data = await driver.api.run(CLIENT_OF, driver.token(Role.CASHIER), id=journey["id"])
    client_id = data["journey"]["client"]["id"]
    # When the cashier opens her billing history in euros, the currency it offers, and in zloty
    before = await _history(driver, client_id, currency="EUR")
    now = await _history(driver, client_id)
    # Then the one in euros lists the bill and the 800.00 EUR she still owes on it
    assert before["currency"] == "EUR" and before["currencies"] == ["EUR"], before
    assert before["bills"] == [
        {
            "total": {"amount": "800.00", "currency": "EUR"},
            "paid": {"amount": "0.00"},
            "outstanding": {"amount": "800.00"},
        }
    ], before
    assert before["outstanding"] == {"amount": "800.00", "currency": "EUR"}, before
    assert before["paid"]["amount"] == "0.00" and before["months"] == [], before
    # And the one in zloty neither lists it nor counts it, converted or added, in what she owes
    assert now["bills"] == [] and now["outstanding"] == {"amount": "0.00", "currency": "PLN"}
    assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "800.00", bill


async def test_a_bill_she_never_confirmed_nor_paid_on_names_no_currency(
    fresh_clinic: Clinic,
) -> None:
    # Given a client billed 800.00 EUR who neither confirmed the bill nor paid on it, in a
    # clinic that bills in PLN since
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("800.00"))
    journey = await driver.drive_to("PAYMENT")
    lines = [{"priceItemId": item["id"]}]
    created = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines
    )
    assert created["__typename"] == "BillPayload", created
    zloty = {**EUR_SETTINGS, "currency": "PLN"}
    changed = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **zloty)
    assert changed["__typename"] == "BillingSettingsPayload", changed
    data = await driver.api.run(CLIENT_OF, driver.token(Role.CASHIER), id=journey["id"])
    client_id = data["journey"]["client"]["id"]
    # When the cashier opens her billing history, and asks it in euros
    now = await _history(driver, client_id)
    before = await _history(driver, client_id, currency="EUR")
    # Then euros show no bill, and neither history names them (a screen offering each named
    # currency offered an empty history)
    assert before["bills"] == [] and before["outstanding"]["amount"] == "0.00", before
    assert now["currencies"] == [] and before["currencies"] == [], (now, before)
