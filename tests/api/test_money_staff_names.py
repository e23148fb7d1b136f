"""A bill, its payments and its refunds name who made, took and gave back the money by the name
colleagues see (`createdByStaff`, `recordedByStaff`), beside the raw account ids they had only.
A page of payments and refunds reads its members of staff at once, not one read for each."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.models import StaffAccount
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import demo_password_hash
from tests.api.money_support import (
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from tests.api.test_staff_names import NAME, _named
from tests.sql_statements import statements_naming

Clinic = Callable[[], Awaitable[JourneyDriver]]
RAW = """
query Bill($journeyId: ID) { bill(journeyId: $journeyId) {
  createdBy payments { recordedBy refunds { recordedBy } } refunds { recordedBy }
} }
"""
NAMED = f"""
query Bill($journeyId: ID) {{ bill(journeyId: $journeyId) {{
  createdBy createdByStaff {{ {NAME} }}
  payments {{ recordedBy recordedByStaff {{ {NAME} }}
    refunds {{ recordedBy recordedByStaff {{ {NAME} }} }} }}
  refunds {{ recordedBy recordedByStaff {{ {NAME} }} }}
}} }}
"""
JOURNEY_PAYMENTS = f"""
query Paid($id: ID!) {{ journey(id: $id) {{ ... on Journey {{
  payments {{ recordedBy recordedByStaff {{ {NAME} }} }}
}} }} }}
"""


async def _more_cashiers(driver: JourneyDriver, count: int) -> list[str]:
    """Cashiers of the driver's clinic besides its own, signed in: their tokens."""
    clinic = (await StaffAccount.get(id=driver.staff[Role.CASHIER].account_id)).clinic_id
    password_hash = await asyncio.to_thread(demo_password_hash)
    tokens = []
    for n in range(2, count + 2):
        username = f"{driver.staff[Role.CASHIER].username}-{n}"
        await StaffAccount.create(
            id=f"staff-{username}",
            clinic_id=clinic,
            username=username,
            display_name=f"Cashier {n}",
            role=Role.CASHIER.value,
            password_hash=password_hash,
        )
        login = {"username": username, "password": DEMO_PASSWORD}
        tokens.append((await driver.api.run(documents.LOGIN, input=login))["login"]["token"])
    return tokens


async def _treated_and_paid_again(driver: JourneyDriver, *cashiers: str) -> str:
    """A bill of 1000.00 a cashier made and took in full, the treatment begun, 400.00 of it a
    supervisor gave back, and paid again in payments of 100.00, by the cashier and then by each
    of `cashiers` (their tokens): the journey's id."""
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1000.00", "FULL"))
    await driver.start_treatment(journey["id"])
    full = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    refund = {"paymentId": full, "amount": eur("400.00"), "reason": "paid again in parts"}
    given = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund)
    assert given["__typename"] == "RefundPayload", given
    for token in (driver.token(Role.CASHIER), *cashiers):
        paid = payment(bill, "100.00", "PARTIAL")
        answer = await driver.api.run(documents.RECORD_PAYMENT, token, input=paid)
        assert answer["recordPayment"]["__typename"] == "JourneyPayload", answer
    return str(journey["id"])


async def test_a_bill_names_who_made_it_took_the_money_and_gave_it_back(
    fresh_clinic: Clinic,
) -> None:
    # Given a bill a cashier made and took in full, 400.00 of it given back by a supervisor
    # after the treatment began, and 100.00 paid again by the cashier
    driver = await fresh_clinic()
    journey_id = await _treated_and_paid_again(driver)
    # When the cashier reads the bill, and the journey's payments
    data = await driver.api.run(NAMED, driver.token(Role.CASHIER), journeyId=journey_id)
    paid = await driver.api.run(JOURNEY_PAYMENTS, driver.token(Role.CASHIER), id=journey_id)
    # Then each names its member of staff, as the raw id does
    bill = data["bill"]
    cashier, supervisor = _named(driver, Role.CASHIER), _named(driver, Role.SUPERVISOR)
    assert bill["createdByStaff"] == cashier
    assert [p["recordedByStaff"] for p in bill["payments"]] == [cashier, cashier]
    (given,) = bill["refunds"]
    assert given["recordedByStaff"] == supervisor
    assert [p["refunds"] for p in bill["payments"]] == [[given], []]
    journeys = paid["journey"]["payments"]
    assert journeys == [
        {k: p[k] for k in ("recordedBy", "recordedByStaff")} for p in bill["payments"]
    ]
    raw = [bill["createdBy"], *(p["recordedBy"] for p in bill["payments"]), given["recordedBy"]]
    accounts = [driver.staff[role].account_id for role in (Role.CASHIER, Role.SUPERVISOR)]
    assert raw == [accounts[0], accounts[0], accounts[0], accounts[1]]


async def _staff_reads(driver: JourneyDriver, document: str, journey_id: str) -> int:
    """The fewest reads of members of staff in three reads of the document: the worker runs in
    the test's process, and its after-care work for the journey may read one meanwhile, which
    only adds."""
    counts = []
    for _ in range(3):
        with statements_naming("staff_account") as statements:
            data: dict[str, Any] = await driver.api.run(
                document, driver.token(Role.CASHIER), journeyId=journey_id
            )
        assert len(data["bill"]["payments"]) == 5, data
        counts.append(len(statements))
    return min(counts)


async def test_a_page_of_payments_reads_their_staff_at_once(fresh_clinic: Clinic) -> None:
    # Given a bill paid in full, 400.00 of it given back and paid again in four payments, by
    # four cashiers
    driver = await fresh_clinic()
    journey_id = await _treated_and_paid_again(driver, *await _more_cashiers(driver, 3))
    # When a cashier reads it with the raw ids only, and with every member of staff named
    raw = await _staff_reads(driver, RAW, journey_id)
    named = await _staff_reads(driver, NAMED, journey_id)
    # Then the five payments' cashiers are one read, as are the bill's maker and the refunds'
    # supervisor: at most a read a level of the answer (levels whose rows are at hand at once
    # share one), not one for each member of staff (8 more, read one by one)
    assert 1 <= named - raw <= 3, (raw, named)
