"""The bill and the start of treatment follow the expert's plan (seed 003: the expert has the
final say; the itemised bill is made from the plan, the plan is verified again at treatment).
A cashier's explicit lines stay within the approved plan's items and quantities; only the
expert who approved the plan corrects it (`amendRecord`), and the bill and the contraindication
check read it as corrected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.client_file_support import RECORD_ALLERGY, entry
from tests.api.contraindication_support import add_item, at_treatment, start_treatment
from tests.api.flow import CHECKS, JourneyDriver, approval, new_key
from tests.api.money_support import CONFIRM_BILL, CREATE_BILL, eur, money_call, set_item

AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
ASK = (
    "the expert must approve a changed plan (the expert who approved it corrects its "
    "price_lines with amendRecord)"
)


async def _approved_with(driver: JourneyDriver, **plan: Any) -> dict[str, Any]:
    """A fresh journey whose expert approved PLAN with `plan`'s fields, at PAYMENT."""
    journey = await driver.drive_to("EXPERT_REVIEW")
    approved = await driver.approve(journey["id"], **plan)
    return await driver.drive_to("PAYMENT", approved)


async def _amend_plan(
    driver: JourneyDriver, role: Role, journey_id: str, correction: dict[str, Any]
) -> dict[str, Any]:
    """`amendRecord` of the journey's approval record, by `role`."""
    history = (await driver.journey(journey_id))["history"]
    (approval,) = [e for e in history if e["action"] == "approve_plan"]
    change = {"journeyId": journey_id, "seq": approval["seq"], "reason": "plan corrected"}
    data = await driver.api.run(
        AMEND,
        driver.token(role),
        input={**change, "correction": correction, "idempotencyKey": new_key()},
    )
    return data["amendRecord"]  # type: ignore[no-any-return]


def _billed(bill: dict[str, Any]) -> list[tuple[str, int]]:
    return [(line["code"], line["quantity"]) for line in bill["lines"]]


async def test_explicit_lines_stay_within_the_approved_plan(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a plan the expert approved: one filler and three cannulas
    driver = await fresh_clinic()
    filler = await set_item(driver, code="HA", listPrice=eur("900.00"))
    cannula = await set_item(driver, code="CANNULA", kind="CONSUMABLE", listPrice=eur("20.50"))
    laser = await set_item(driver, code="LASER", listPrice=eur("300.00"))
    planned = [{"priceItemId": filler["id"]}, {"priceItemId": cannula["id"], "quantity": 3}]
    journey = await _approved_with(driver, priceLines=planned)

    async def bill(*lines: dict[str, Any], key: str | None = None) -> dict[str, Any]:
        return await money_call(
            driver,
            CREATE_BILL,
            Role.CASHIER,
            journeyId=journey["id"],
            lines=list(lines),
            idempotencyKey=key,
        )

    # When the cashier bills an item the plan does not name, or more of one than it names
    other = await bill({"priceItemId": laser["id"]}, {"priceItemId": filler["id"]})
    more = await bill({"priceItemId": filler["id"], "quantity": 2})
    split = await bill(
        {"priceItemId": cannula["id"], "quantity": 2}, {"priceItemId": cannula["id"], "quantity": 2}
    )
    # Then each is refused on `lines`, naming the line, and sent back to the expert
    assert [(p["field"], p["message"]) for p in other["problems"]] == [
        ("lines", "lines[0] (LASER) is not in the expert's final plan: " + ASK),
    ], other
    assert [p["message"] for p in more["problems"]] == [
        "lines[0] (HA) bills 2 in all, the expert's final plan 1: " + ASK
    ], more
    assert [p["message"] for p in split["problems"]] == [
        "lines[1] (CANNULA) bills 4 in all, the expert's final plan 3: " + ASK
    ], split
    # And fewer is the client's choice: the filler declined, two cannulas of three
    key = new_key()
    fewer = await bill({"priceItemId": cannula["id"], "quantity": 2}, key=key)
    assert fewer["__typename"] == "BillPayload", fewer
    assert _billed(fewer["bill"]) == [("CANNULA", 2)]
    # A retry is answered with the bill it made
    again = await bill({"priceItemId": cannula["id"], "quantity": 2}, key=key)
    assert again["bill"]["id"] == fewer["bill"]["id"], again


async def test_only_the_approving_expert_corrects_the_plan_and_the_bill_follows(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a plan the expert approved with one filler
    driver = await fresh_clinic()
    filler = await set_item(driver, code="HA", listPrice=eur("900.00"))
    laser = await set_item(driver, code="LASER", listPrice=eur("300.00"))
    journey = await _approved_with(driver, priceLines=[{"priceItemId": filler["id"]}])
    jid = journey["id"]
    to_laser = {"final_plan": {"price_lines": [{"price_item_id": laser["id"], "quantity": 2}]}}
    # When a supervisor corrects the plan's items (in either spelling), it is refused
    for correction in (to_laser, {"finalPlan": to_laser["final_plan"]}):
        refused = await _amend_plan(driver, Role.SUPERVISOR, jid, correction)
        assert refused["__typename"] == "NotAuthorized", refused
    # And the supervisor still corrects the record's other fields
    points = await _amend_plan(driver, Role.SUPERVISOR, jid, {"points": "cheeks only"})
    assert points["__typename"] == "AmendmentPayload", points
    # When the expert corrects what the journey took at the approval, or names no price item
    pinned = await _amend_plan(driver, Role.EXPERT, jid, {"final_plan": {"price": "1.00"}})
    unknown = {"price_lines": [{"price_item_id": "UHJpY2VMaXN0SXRlbTpub25l"}]}
    off_list = await _amend_plan(driver, Role.EXPERT, jid, {"final_plan": unknown})
    # Then each is refused, naming the field
    assert [p["field"] for p in pinned["problems"]] == ["correction.final_plan.price"], pinned
    assert [p["field"] for p in off_list["problems"]] == [
        "correction.final_plan.price_lines[0].price_item_id"
    ], off_list
    # When the expert who approved it changes the filler for two laser sessions
    amended = await _amend_plan(driver, Role.EXPERT, jid, to_laser)
    assert amended["__typename"] == "AmendmentPayload", amended
    # Then the bill from the plan is the corrected plan's, and explicit lines are held to it
    made = await money_call(driver, CREATE_BILL, Role.CASHIER, journeyId=jid)
    assert made["__typename"] == "BillPayload", made
    assert _billed(made["bill"]) == [("LASER", 2)]
    old = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=jid, lines=[{"priceItemId": filler["id"]}]
    )
    assert [p["field"] for p in old["problems"]] == ["lines"], old


async def test_an_item_the_expert_adds_to_the_plan_is_checked_at_treatment(
    driver: JourneyDriver,
) -> None:
    # Given a client allergic to lidocaine, and a plan approved with a product without it
    client = await driver.register_client("Olga Nowicka")
    allergy = {"substance": "lidocaine", "reaction": "hives", "severity": "SEVERE"}
    await entry(driver, RECORD_ALLERGY, Role.NURSE, clientId=client, **allergy)
    plain = await add_item(driver, ingredients=["hyaluronic acid"], excludedStates=[])
    numbed = await add_item(driver, excludedStates=[])  # with lidocaine
    journey = await at_treatment(driver, client, [plain["id"]])
    both = {"final_plan": {"catalog_item_ids": [plain["id"], numbed["id"]]}}
    # When a supervisor adds the lidocaine filler to the plan, it is refused
    refused = await _amend_plan(driver, Role.SUPERVISOR, journey, both)
    assert refused["__typename"] == "NotAuthorized", refused
    # When the expert who approved the plan adds it
    amended = await _amend_plan(driver, Role.EXPERT, journey, both)
    assert amended["__typename"] == "AmendmentPayload", amended
    # Then the start of treatment checks it against the allergy
    found = await start_treatment(driver, journey)
    assert found["__typename"] == "ContraindicationFound", found
    assert [(r["code"], r["itemId"]) for r in found["reasons"]] == [("ALLERGY", numbed["id"])]


async def test_a_bill_made_on_a_free_plan_is_paid_before_the_treatment(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a plan the expert approved at no price, naming no price lines, and the itemised
    # bill of a priced filler the client confirmed while the consents were being signed
    driver = await fresh_clinic()
    filler = await set_item(driver, code="HA", listPrice=eur("900.00"))
    journey = await driver.drive_to("EXPERT_REVIEW")
    jid = journey["id"]
    await driver.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval(jid, price="0.00"))
    made = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=jid, lines=[{"priceItemId": filler["id"]}]
    )
    assert made["bill"]["total"]["amount"] == "900.00", made
    signer = {"signerName": "Anna Nowak", "signature": {"format": "SVG_PATH", "data": "M1 2"}}
    confirmed = await money_call(
        driver, CONFIRM_BILL, Role.CASHIER, billId=made["bill"]["id"], **signer
    )
    assert confirmed["__typename"] == "BillPayload", confirmed

    # When the client signs the procedure consent
    signed = await driver.sign_consent(jid)

    # Then the journey waits for the bill to be paid (it went straight on to treatment, the
    # 900.00 owed), and the treatment cannot start before
    assert signed["stage"] == "PAYMENT", signed["history"][-1]
    early = await driver.act(documents.START_TREATMENT, Role.NURSE, journeyId=jid, checks=CHECKS)
    assert early["__typename"] == "TransitionNotAllowed", early
    paid = await driver.ok(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        journeyId=jid,
        billId=made["bill"]["id"],
        amount="900.00",
        currency="EUR",
        method="CARD",
        kind="FULL",
    )
    assert paid["stage"] == "TREATMENT"


FREE_WITH_PRICED_LINES = (
    "0 while the plan's priceLines are priced: give the plan's price; a free treatment names "
    "no priceLines (its items stay in items and catalogItemIds)"
)


async def test_a_plan_at_no_price_names_no_priced_lines(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a journey at expert review, a priced filler and a free consultation on the list
    driver = await fresh_clinic()
    filler = await set_item(driver, code="HA", listPrice=eur("900.00"))
    talk = await set_item(driver, code="TALK", listPrice=eur("0.00"))
    journey = await driver.drive_to("EXPERT_REVIEW")
    jid = journey["id"]
    # When the expert approves the filler at a price of 0
    lines = [{"priceItemId": talk["id"]}, {"priceItemId": filler["id"]}]
    free = await driver.act(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        **approval(jid, price="0.00", priceLines=lines),
    )
    # Then it is refused on the price, and the journey waits for the expert's plan
    assert free["__typename"] == "ValidationFailed", free
    assert free["problems"] == [{"field": "finalPlan.price", "message": FREE_WITH_PRICED_LINES}]
    assert (await driver.journey(jid))["stage"] == "EXPERT_REVIEW"
    # When a free plan names only the unpriced consultation, it is approved
    talk_only = approval(jid, price="0.00", priceLines=[{"priceItemId": talk["id"]}])
    approved = await driver.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **talk_only)
    assert approved["stage"] == "CONSENT"
    # And its expert cannot add the priced filler to it afterwards
    priced = {"final_plan": {"price_lines": [{"price_item_id": filler["id"]}]}}
    refused = await _amend_plan(driver, Role.EXPERT, jid, priced)
    assert [p["field"] for p in refused["problems"]] == ["correction.final_plan.price_lines"]
