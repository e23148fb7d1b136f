"""A retry whose first attempt went through, but whose answer was lost (the key claimed, never
settled), after a rule or the data changed: it must be answered as the first time, as a retry
whose answer was recorded is (tests/api/test_retries_after_changes.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.billing import Bill as BillRow
from domain.store.billing import PriceListItem as ItemRow
from domain.store.models import IdempotencyKey, StaffAccount
from domain.store.triage_models import LeadContact
from schema.ids import decode_id
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api
from tests.api.money_support import CREATE_BILL, SET_ITEM, SET_SETTINGS, eur, money_call, set_item
from tests.api.test_idempotency import LEAD_CONTACT
from tests.api.test_triage_api import UPDATE_SEAT, _desk_clinic

Clinic = Callable[[], Awaitable[JourneyDriver]]
EUR_SETTINGS = {
    "currency": "EUR",
    "locale": "pl_PL",
    "discountThresholdPercent": 10,
    "paymentPolicy": "FULL",
}


async def _lose_answer(account_id: str, key: str) -> None:
    """The process died after the work, before settling the key."""
    assert await IdempotencyKey.filter(account_id=account_id, key=key).update(result_id="") == 1


async def test_a_price_whose_answer_was_lost_is_answered_though_the_currency_changed(
    fresh_clinic: Clinic,
) -> None:
    # Given a price set in the clinic's currency, whose answer was lost
    driver = await fresh_clinic()
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **EUR_SETTINGS)
    item = {
        "code": "PEEL",
        "kind": "PROCEDURE",
        "name": "Chemical peel",
        "listPrice": eur("300.00"),
        "validFrom": "2020-01-01",
        "idempotencyKey": new_key(),
    }
    first = await money_call(driver, SET_ITEM, Role.SUPERVISOR, **item)
    assert first["__typename"] == "PriceListItemPayload", first
    await _lose_answer(driver.staff[Role.SUPERVISOR].account_id, item["idempotencyKey"])
    # When the clinic bills in another currency, and the price is retried
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **EUR_SETTINGS | {"currency": "PLN"})
    retry = await money_call(driver, SET_ITEM, Role.SUPERVISOR, **item)
    # Then it is the first answer (the version exists), and no second version was set
    assert retry == first
    assert await ItemRow.filter(code="PEEL", clinic_id=await _clinic_of(driver)).count() == 1


async def test_a_bill_whose_answer_was_lost_is_answered_though_the_threshold_fell(
    fresh_clinic: Clinic,
) -> None:
    # Given a cashier's bill with a discount within the clinic's threshold, whose answer was lost
    driver = await fresh_clinic()
    threshold = {**EUR_SETTINGS, "discountThresholdPercent": 20}
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **threshold)
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey = await driver.drive_to("PAYMENT")
    bill = {
        "journeyId": journey["id"],
        "lines": [{"priceItemId": item["id"]}],
        "discount": {"amount": eur("150.00"), "reason": "loyal client"},
        "idempotencyKey": new_key(),
    }
    first = await money_call(driver, CREATE_BILL, Role.CASHIER, **bill)
    assert first["__typename"] == "BillPayload", first
    await _lose_answer(driver.staff[Role.CASHIER].account_id, bill["idempotencyKey"])
    # When the threshold falls below the discount and the bill is retried
    await money_call(
        driver, SET_SETTINGS, Role.SUPERVISOR, **{**threshold, "discountThresholdPercent": 5}
    )
    retry = await money_call(driver, CREATE_BILL, Role.CASHIER, **bill)
    # Then it is the bill made the first time
    assert retry == first
    journey_raw = decode_id(journey["id"], "Journey")
    assert await BillRow.filter(journey_id=journey_raw).count() == 1


async def test_a_lead_contact_whose_answer_was_lost_is_answered_though_its_consultant_left(
    fresh_clinic: Clinic,
) -> None:
    # Given a phone lead's contact with a consultant, recorded, whose answer was lost
    driver = await fresh_clinic()
    client_id = await driver.register_client("Lena Telefon")
    consultant = driver.staff[Role.CONSULTANT]
    contact: dict[str, Any] = {
        "clientId": client_id,
        "consultantId": consultant.global_id,
        "channel": "PHONE",
        "idempotencyKey": new_key(),
    }
    token = driver.token(Role.FRONT_DESK)
    first = await driver.api.run(LEAD_CONTACT, token, input=contact)
    assert first["recordLeadContact"]["__typename"] == "LeadContactPayload", first
    await _lose_answer(driver.staff[Role.FRONT_DESK].account_id, contact["idempotencyKey"])
    # When the consultant leaves the clinic and the contact is retried
    await StaffAccount.filter(id=consultant.account_id).update(active=False)
    retry = await driver.api.run(LEAD_CONTACT, token, input=contact)
    # Then it is answered as the first time: the contact was recorded, once
    assert retry == first
    assert await LeadContact.filter(client_id=decode_id(client_id, "Client")).count() == 1


async def test_a_seat_change_whose_answer_was_lost_is_answered_though_its_consultant_left(
    api: Api,
) -> None:
    # Given a seat change naming a consultant, taken by the desk, whose answer was lost
    _, staff, consultants = await _desk_clinic(api)
    supervisor = staff[Role.SUPERVISOR]
    seat = {"consultantId": consultants[0], "reason": "lunch", "onDuty": False}
    seat["idempotencyKey"] = new_key()
    first = await api.run(UPDATE_SEAT, supervisor.token, input=seat)
    assert first["updateTriageSeat"]["__typename"] == "TriageBoardPayload", first
    await _lose_answer(supervisor.account_id, seat["idempotencyKey"])
    # When the consultant leaves the clinic and the change is retried
    await StaffAccount.filter(id=decode_id(consultants[0], "StaffMember")).update(active=False)
    retry = await api.run(UPDATE_SEAT, supervisor.token, input=seat)
    # Then it is answered as a retry (the board), not refused
    assert retry["updateTriageSeat"]["__typename"] == "TriageBoardPayload", retry


async def _clinic_of(driver: JourneyDriver) -> str:
    row = await StaffAccount.get(id=driver.staff[Role.SUPERVISOR].account_id)
    return str(row.clinic_id)
