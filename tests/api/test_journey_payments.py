"""`Journey.payments` lists every payment of a journey, a deposit taken before any bill as well
as a bill's, each with its refunds: the SPA finds there the payment id `recordRefund` takes.

Before, no read listed a payment taken without a bill: `bill { payments }` holds the bill's
only, and the client's billing history sums months. An SPA that had not kept the
`recordPayment` answer could not give such a deposit back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.money_support import (
    MONEY,
    PAYMENT_FIELDS,
    RECORD_REFUND,
    SET_SETTINGS,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from tests.api.permission_probe import post

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
PAYMENT = f"""{{
    {PAYMENT_FIELDS}
    refunds {{ paymentId amount {{ {MONEY} }} reason beforeTreatment }}
  }}"""
JOURNEY_PAYMENTS = f"""
query JourneyPayments($id: ID!) {{
  journey(id: $id) {{
    __typename
    ... on Journey {{ id stage payments {PAYMENT} }}
    ... on UserError {{ code message }}
  }}
}}
"""
# Pages of 5 payments: 20 journeys' default pages of 100, each payment with its refunds, would
# be more than the answer-size estimate lets one request ask for.
JOURNEYS_PAYMENTS = f"""
query JourneysPayments {{
  journeys(first: 20) {{
    ... on JourneyConnection {{ edges {{ node {{ id payments(first: 5) {PAYMENT} }} }} }}
  }}
}}
"""


async def _deposit_without_a_bill(clinic: JourneyDriver, amount: str) -> dict[str, Any]:
    journey = await clinic.drive_to("PAYMENT")
    return await clinic.ok(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        journeyId=journey["id"],
        amount=amount,
        currency=PLAN["currency"],
        method="CASH",
        kind="DEPOSIT",
        idempotencyKey=new_key(),
    )


async def _payments_of(clinic: JourneyDriver, journey_id: str, role: Role) -> Any:
    data = await clinic.api.run(JOURNEY_PAYMENTS, clinic.token(role), id=journey_id)
    return data["journey"]


async def test_a_deposit_without_a_bill_and_a_bills_payment_are_listed_and_refundable(
    fresh_clinic: FreshClinic,
) -> None:
    # Given one journey with a deposit taken before any bill, and another paying its bill
    clinic = await fresh_clinic()
    deposited = await _deposit_without_a_bill(clinic, "300.00")
    item = await set_item(clinic, listPrice=eur("500.00"))
    billed, bill = await billed_journey(clinic, [{"priceItemId": item["id"]}])
    await clinic.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "200.00", "DEPOSIT"))
    await clinic.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "300.00", "TOP_UP"))

    # When the cashier lists the clinic's journeys with their payments
    data = await clinic.api.run(JOURNEYS_PAYMENTS, clinic.token(Role.CASHIER))
    listed = {e["node"]["id"]: e["node"]["payments"] for e in data["journeys"]["edges"]}

    # Then the deposit is there though it belongs to no bill, and the bill's two, oldest first
    (deposit,) = listed[deposited["id"]]
    assert (deposit["kind"], deposit["method"]) == ("DEPOSIT", "CASH")
    assert deposit["amount"]["amount"] == "300.00"
    assert deposit["refunds"] == []
    assert [(p["kind"], p["amount"]["amount"]) for p in listed[billed["id"]]] == [
        ("DEPOSIT", "200.00"),
        ("TOP_UP", "300.00"),
    ]
    assert listed[billed["id"]][1]["receiptNumber"] > listed[billed["id"]][0]["receiptNumber"]

    # When the cashier gives 100.00 of the deposit back, by the id the list gave
    refund = {"paymentId": deposit["id"], "amount": eur("100.00"), "reason": "date moved"}
    given = await money_call(clinic, RECORD_REFUND, Role.CASHIER, **refund)

    # Then it is given back (before treatment: the journey ends REFUNDED), and the list shows
    # the refund under its payment, which stays as it was
    assert given["__typename"] == "RefundPayload", given
    assert given["journey"]["outcome"] == "REFUNDED"
    after = await _payments_of(clinic, deposited["id"], Role.SUPERVISOR)
    (still,) = after["payments"]
    assert {k: v for k, v in still.items() if k != "refunds"} == {
        k: v for k, v in deposit.items() if k != "refunds"
    }
    assert [
        (r["paymentId"], r["amount"]["amount"], r["reason"], r["beforeTreatment"])
        for r in still["refunds"]
    ] == [(deposit["id"], "100.00", "date moved", True)]
    # And a bill's payment shows its refunds there too, as on the bill
    assert all(p["refunds"] == [] for p in listed[billed["id"]])


async def test_a_journey_nothing_was_paid_on_lists_no_payments(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    journey = await clinic.drive_to("PAYMENT")
    assert (await _payments_of(clinic, journey["id"], Role.CASHIER))["payments"] == []


async def test_only_the_roles_that_read_money_see_a_journeys_payments(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey with a deposit
    clinic = await fresh_clinic()
    deposited = await _deposit_without_a_bill(clinic, "300.00")
    for role in (Role.FRONT_DESK, Role.CONSULTANT, Role.EXPERT, Role.NURSE):
        # When a role the permission table keeps from money reads the journey's payments
        answer = await post(
            clinic.api.url, clinic.token(role), JOURNEY_PAYMENTS, {"id": deposited["id"]}
        )
        # Then the journey is there, its payments null with a NOT_AUTHORIZED error entry
        assert answer["data"]["journey"]["stage"] == "PAYMENT", (role, answer)
        assert answer["data"]["journey"]["payments"] is None, (role, answer)
        (error,) = answer["errors"]
        assert error["path"] == ["journey", "payments"], (role, answer)
        assert error["extensions"]["code"] == "NOT_AUTHORIZED", (role, answer)
    for role in (Role.CASHIER, Role.SUPERVISOR):
        (paid,) = (await _payments_of(clinic, deposited["id"], role))["payments"]
        assert paid["amount"]["amount"] == "300.00"


async def test_another_clinics_journey_and_its_payments_stay_out_of_sight(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a deposit in one clinic
    ours, theirs = await fresh_clinic(), await fresh_clinic()
    deposited = await _deposit_without_a_bill(ours, "300.00")
    # When the other clinic's cashier asks for that journey, or lists its own journeys
    asked = await _payments_of(theirs, deposited["id"], Role.CASHIER)
    data = await theirs.api.run(JOURNEYS_PAYMENTS, theirs.token(Role.CASHIER))
    # Then the journey is not found, and none of the other clinic's payments is listed
    assert asked["__typename"] == "NotFound", asked
    assert deposited["id"] not in {e["node"]["id"] for e in data["journeys"]["edges"]}
    assert all(e["node"]["payments"] == [] for e in data["journeys"]["edges"])


async def test_a_yen_payment_without_a_bill_is_listed_in_yen(fresh_clinic: FreshClinic) -> None:
    # Given a clinic billing in yen and a plan of ¥150,000 paid without a bill (kept, as such a
    # payment is, in hundredths: 15000000)
    clinic = await fresh_clinic()
    settings = {"currency": "JPY", "locale": "en_GB", "discountThresholdPercent": 10}
    await money_call(clinic, SET_SETTINGS, Role.SUPERVISOR, **settings, paymentPolicy="FULL")
    journey_id = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    approval = {
        "journeyId": journey_id,
        "decision": "APPROVE",
        "points": "volume in the cheeks, no lips",
        "finalPlan": {**PLAN, "price": "150000", "currency": "JPY"},
    }
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    await clinic.sign_consent(journey_id)
    pay = {"journeyId": journey_id, "amount": "150000", "currency": "JPY", "method": "CASH"}
    await clinic.ok(documents.RECORD_PAYMENT, Role.CASHIER, **pay, kind="FULL")
    # When the cashier lists the journey's payments
    (paid,) = (await _payments_of(clinic, journey_id, Role.CASHIER))["payments"]
    # Then it is the ¥150,000 paid, not a hundred times it
    assert (paid["amount"]["amount"], paid["amount"]["currency"]) == ("150000", "JPY")
