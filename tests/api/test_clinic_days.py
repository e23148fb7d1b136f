"""Days are the clinic's: the price list a bill is priced from, an installment plan's "after
today" and the latest birth date a client may be registered with turn at the clinic's midnight,
not at UTC's.

Each test puts its clinic far from UTC, where its day differs from UTC's at the hour the test
runs (`tests.api.clinic_days`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from domain.roles import Role
from tests.api import documents
from tests.api.clinic_days import far_from_utc
from tests.api.flow import JourneyDriver
from tests.api.money_support import (
    CREATE_BILL,
    PRICE_LIST,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)

Fresh = Callable[[], Awaitable[JourneyDriver]]


async def test_a_bill_is_priced_from_the_clinic_s_day_of_the_price_list(
    fresh_clinic: Fresh,
) -> None:
    # Given a clinic whose day is not UTC's, and an item priced for that one day alone
    driver = await fresh_clinic()
    today = await far_from_utc(driver)
    day = today.isoformat()
    item = await set_item(driver, listPrice=eur("500.00"), validFrom=day, validTo=day)
    # When the cashier bills it
    journey = await driver.drive_to("PAYMENT")
    lines = [{"priceItemId": item["id"]}]
    made = await money_call(driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines)
    # Then the bill is made at its price, and today's price list shows it
    assert made["__typename"] == "BillPayload", made
    assert made["bill"]["total"]["amount"] == "500.00"
    listed = (await driver.api.run(PRICE_LIST, driver.token(Role.CASHIER)))["priceList"]
    assert [row["code"] for row in listed] == [item["code"]]


async def test_an_installment_falls_due_after_the_clinic_s_today(fresh_clinic: Fresh) -> None:
    # Given a clinic whose day is not UTC's, and a confirmed bill of 900.00
    driver = await fresh_clinic()
    today = await far_from_utc(driver)
    item = await set_item(driver, listPrice=eur("900.00"))
    _, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])

    def plan(first_due: date) -> list[dict[str, str]]:
        return [
            {"dueOn": first_due.isoformat(), "amount": "300.00"},
            {"dueOn": (first_due + timedelta(days=30)).isoformat(), "amount": "300.00"},
        ]

    # When the first installment is due on the clinic's today, then on its tomorrow
    due_today = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=plan(today))
    refused = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **due_today)
    tomorrow = today + timedelta(days=1)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=plan(tomorrow))
    taken = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    # Then today is refused (not after today), tomorrow is taken
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["schedule[0].dueOn"], refused
    assert taken["__typename"] == "JourneyPayload", taken
    assert taken["journey"]["stage"] == "TREATMENT"


async def test_a_client_born_on_the_clinic_s_today_and_no_later_is_registered(
    fresh_clinic: Fresh,
) -> None:
    # Given a clinic whose day is not UTC's
    driver = await fresh_clinic()
    today = await far_from_utc(driver)

    async def registered(born: date) -> str:
        given = {"fullName": "Ola Nowak", "birthDate": born.isoformat(), "phone": "600100200"}
        given |= {"guardianName": "Anna Nowak", "guardianRelation": "mother"}  # a newborn's
        answer = await driver.api.run(
            documents.REGISTER_CLIENT,
            driver.token(Role.FRONT_DESK),
            input={**given, "dataConsent": True, "registerAnyway": True},
        )
        return str(answer["registerClient"]["__typename"])

    # Then a client born on its today is registered, and one born on its tomorrow is not
    assert await registered(today) == "ClientPayload"
    assert await registered(today + timedelta(days=1)) == "ValidationFailed"
