"""The price list and the itemised bill: versions never change, a bill keeps its prices, a
discount above the clinic's threshold needs a supervisor, the client confirms the bill."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import Journey
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, approval
from tests.api.money_support import (
    BILL,
    CONFIRM_BILL,
    CREATE_BILL,
    PRICE_LIST,
    PRICE_LIST_PRICES,
    SET_ITEM,
    eur,
    money_call,
    set_item,
)


def eur_(amount: float) -> dict[str, str]:
    return {
        "amount": f"{amount:.2f}",
        "currency": "EUR",
        "formatted": f"{amount:.2f}\xa0€".replace(".", ","),
    }


async def test_a_bill_from_the_price_list_keeps_its_prices_and_is_confirmed(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    driver = await fresh_clinic()
    # Given a price list: a procedure in two versions, a consumable with its cost.
    first = await set_item(driver, code="HA", listPrice=eur("800"), specialPrice=eur("600"))
    second = await set_item(driver, code="HA", listPrice=eur("900.00"))
    needle = await set_item(
        driver,
        code="CANNULA",
        kind="CONSUMABLE",
        name="Cannula",
        listPrice=eur("20.50"),
        consumableCost=eur("7.25"),
    )
    assert (first["version"], second["version"]) == (1, 2)
    assert first["listPrice"] == {"amount": "800.00", "currency": "EUR", "formatted": "800,00\xa0€"}
    # The consumable's cost is the money roles' to read; a nurse sees the prices only.
    listed = (await driver.api.run(PRICE_LIST, driver.token(Role.CASHIER)))["priceList"]
    assert sorted((i["code"], i["version"]) for i in listed) == [("CANNULA", 1), ("HA", 2)]
    assert [i["consumableCost"] for i in listed if i["code"] == "CANNULA"] == [eur_(7.25)]
    with pytest.raises(TransportQueryError, match="consumableCost"):
        await driver.api.run(PRICE_LIST, driver.token(Role.NURSE))
    nurse_list = await driver.api.run(PRICE_LIST_PRICES, driver.token(Role.NURSE))
    assert len(nurse_list["priceList"]) == 2
    refused = await driver.api.run(
        SET_ITEM,
        driver.token(Role.CASHIER),
        input={
            "code": "X",
            "kind": "IV",
            "name": "IV",
            "listPrice": eur("1"),
            "validFrom": "2020-01-01",
        },
    )
    assert refused["setPriceListItem"]["__typename"] == "NotAuthorized", refused
    bad = await money_call(
        driver,
        SET_ITEM,
        Role.SUPERVISOR,
        code="Y",
        kind="IV",
        name="IV",
        listPrice=eur("1.001"),
        specialPrice=eur("2"),
        validFrom="2020-01-01",
    )
    assert bad["__typename"] == "ValidationFailed"
    assert [p["field"] for p in bad["problems"]] == ["listPrice.amount"]

    journey = await driver.drive_to("PAYMENT")
    # The happy path's plan names no price-list items: a bill then needs its lines.
    unplanned = await money_call(driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"])
    assert unplanned["__typename"] == "ValidationFailed", unplanned
    assert [p["field"] for p in unplanned["problems"]] == ["lines"]
    assert "names no price-list items" in unplanned["problems"][0]["message"]
    lines = [
        {"priceItemId": second["id"], "quantity": 1},
        {"priceItemId": needle["id"], "quantity": 2},
    ]
    # An old version is no longer sold; a discount of 10 % is the cashier's, above it is not.
    stale = await money_call(
        driver,
        CREATE_BILL,
        Role.CASHIER,
        journeyId=journey["id"],
        lines=[{"priceItemId": first["id"]}],
    )
    assert [p["field"] for p in stale["problems"]] == ["lines[0].priceItemId"]
    big = {"amount": eur("94.11"), "reason": "loyal client"}
    too_big = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines, discount=big
    )
    assert too_big["__typename"] == "NotAuthorized", too_big
    # A discount of nothing is none: a reason with it is refused, not kept beside no discount
    nothing = {"amount": eur("0.00"), "reason": "loyal client"}
    no_discount = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines, discount=nothing
    )
    assert no_discount["problems"] == [{"field": "discount.amount", "message": "more than zero"}], (
        no_discount
    )
    assert (await driver.api.run(BILL, driver.token(Role.CASHIER), journeyId=journey["id"]))[
        "bill"
    ] is None
    made = await money_call(
        driver, CREATE_BILL, Role.SUPERVISOR, journeyId=journey["id"], lines=lines, discount=big
    )
    assert made["__typename"] == "BillPayload", made
    bill = made["bill"]
    # 900.00 + 2 x 20.50 = 941.00; less 94.11 = 846.89 (by hand).
    assert bill["subtotal"]["amount"] == "941.00"
    assert bill["total"]["amount"] == "846.89"
    assert bill["outstanding"]["amount"] == "846.89"
    assert bill["discountGrantedBy"] == driver.staff[Role.SUPERVISOR].account_id
    assert [(ln["code"], ln["quantity"], ln["lineTotal"]["amount"]) for ln in bill["lines"]] == [
        ("HA", 1, "900.00"),
        ("CANNULA", 2, "41.00"),
    ]
    # A new price later does not change the bill.
    await set_item(driver, code="HA", listPrice=eur("1000"))
    again = await driver.api.run(BILL, driver.token(Role.CASHIER), id=bill["id"])
    assert again["bill"]["total"]["amount"] == "846.89"
    # (reading the client's bill left its audit row, under the cashier's name)
    journey_row = await Journey.get(id=decode_id(journey["id"], "Journey"))
    reads = await AuditEntry.filter(client_id=journey_row.client_id, action="client.bill.read")
    assert driver.staff[Role.CASHIER].account_id in {entry.actor_id for entry in reads}
    # The client confirms; a second confirmation is a conflict; the bill then stands.
    confirmed = await money_call(
        driver, CONFIRM_BILL, Role.CASHIER, billId=bill["id"], signerName="Anna Nowak"
    )
    assert confirmed["bill"]["confirmation"]["signerName"] == "Anna Nowak"
    twice = await money_call(
        driver, CONFIRM_BILL, Role.CASHIER, billId=bill["id"], signerName="Anna Nowak"
    )
    assert twice["__typename"] == "Conflict"
    replaced = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines[1:]
    )
    assert replaced["__typename"] == "Conflict"
    # A nurse never reads a bill.
    with pytest.raises(TransportQueryError, match="needs one of: CASHIER, SUPERVISOR"):
        await driver.api.run(BILL, driver.token(Role.NURSE), id=bill["id"])


async def test_a_bill_built_from_the_final_plans_price_lines_at_todays_prices(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    driver = await fresh_clinic()
    filler = await set_item(driver, code="HA", listPrice=eur("900.00"), specialPrice=eur("700"))
    cannula = await set_item(driver, code="CANNULA", kind="CONSUMABLE", listPrice=eur("20.50"))
    journey = await driver.drive_to("EXPERT_REVIEW")
    # A plan line must name an item of today's price list, once, 1 to 100 of it.
    unknown_id = "UHJpY2VMaXN0SXRlbTpub25l"  # PriceListItem:none
    bad_lines = [
        {"priceItemId": filler["id"], "quantity": 0},
        {"priceItemId": unknown_id},
        {"priceItemId": filler["id"]},
    ]
    refused = await driver.act(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        **approval(journey["id"], priceLines=bad_lines),
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == [
        "finalPlan.priceLines[0].quantity",
        "finalPlan.priceLines[1].priceItemId",
        "finalPlan.priceLines[2].priceItemId",
    ]
    # The expert's final plan names the filler once and the cannula three times.
    planned = [{"priceItemId": filler["id"]}, {"priceItemId": cannula["id"], "quantity": 3}]
    approved = await driver.approve(journey["id"], priceLines=planned)
    # The filler's price rises after the approval: the bill is made at today's prices.
    await set_item(driver, code="HA", listPrice=eur("1000.00"))
    journey = await driver.drive_to("PAYMENT", approved)
    made = await money_call(driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"])
    assert made["__typename"] == "BillPayload", made
    bill = made["bill"]
    lines = [
        (ln["code"], ln["quantity"], ln["unitPrice"]["amount"], ln["lineTotal"]["amount"])
        for ln in bill["lines"]
    ]
    # 1 x 1000.00 + 3 x 20.50 = 1000.00 + 61.50 = 1061.50 (by hand), at list price.
    assert lines == [("HA", 1, "1000.00", "1000.00"), ("CANNULA", 3, "20.50", "61.50")]
    assert [ln["atSpecialPrice"] for ln in bill["lines"]] == [False, False]
    assert (bill["subtotal"]["amount"], bill["total"]["amount"]) == ("1061.50", "1061.50")
    assert bill["discount"]["amount"] == "0.00"
    # Explicit lines may bill less than the plan: the client declines the filler.
    explicit = await money_call(
        driver,
        CREATE_BILL,
        Role.CASHIER,
        journeyId=journey["id"],
        lines=[{"priceItemId": cannula["id"], "quantity": 2}],
    )
    assert explicit["bill"]["total"]["amount"] == "41.00", explicit


async def test_a_final_plan_in_another_currency_than_the_clinic_bills_in_is_refused(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a clinic billing in EUR (its default) and a journey at the expert's review
    driver = await fresh_clinic()
    journey = await driver.drive_to("EXPERT_REVIEW")
    # When the expert approves a plan priced in złoty
    refused = await driver.act(
        documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval(journey["id"], currency="PLN")
    )
    # Then it is refused on the plan's currency (no bill for it could ever be paid), and the
    # journey waits at the review
    assert refused["__typename"] == "ValidationFailed", refused
    assert [(p["field"], p["message"]) for p in refused["problems"]] == [
        ("finalPlan.currency", "the clinic bills in EUR")
    ]
    assert (await driver.journey(journey["id"]))["stage"] == "EXPERT_REVIEW"
    # And the same plan in EUR is approved
    approved = await driver.approve(journey["id"])
    assert approved["stage"] != "EXPERT_REVIEW"
