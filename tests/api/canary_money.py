"""The canary's visit to the cash desk: settings, a price, a bill, its confirmation, a deposit
and its refund, every free-text field marked."""

from __future__ import annotations

from domain.roles import Role
from tests.api.canary_visits import ASKED, PLAN_CODES, Visit

BILL = "... on BillPayload { bill { id } }"
PAYMENT = "... on BillPayload { bill { payments { id } } }"


def _eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


async def pay_and_refund(visit: Visit) -> None:
    """A journey billed from the price list, paid a deposit and refunded before treatment."""
    settings = {"discountThresholdPercent": 10, "paymentPolicy": "FULL"}
    await visit.call(
        Role.SUPERVISOR,
        "setBillingSettings",
        "BillingSettingsPayload",
        **settings,
        currency="EUR",
        locale="pl_PL",
    )
    prices = {"listPrice": _eur("1000.00"), "specialPrice": _eur("900.00")}
    item = await visit.call(
        Role.SUPERVISOR,
        "setPriceListItem",
        "PriceListItemPayload",
        "... on PriceListItemPayload { item { id } }",
        kind="CONSUMABLE",
        validFrom="2020-01-01",
        consumableCost=_eur("10.00"),
        **prices,
    )
    journey = await visit.start()
    own = visit.consultants[0]
    vip = {"journeyId": journey, "consultantId": own}
    await visit.call(Role.SUPERVISOR, "placeVip", "AutoAssignPayload", **vip)
    await visit.step(
        Role.CONSULTANT, "recordConsultation", journey, needs=ASKED, plans=[PLAN_CODES]
    )
    expert = visit.staff[Role.EXPERT].global_id
    await visit.step(Role.CONSULTANT, "requestExpertReview", journey, expertId=expert)
    final = {"decision": "APPROVE", "points": "as discussed", "finalPlan": PLAN_CODES}
    await visit.step(Role.EXPERT, "completeExpertReview", journey, **final)
    consent = {"kind": "PROCEDURE", "rightsExplained": True, "signature": {"format": "SVG_PATH"}}
    await visit.step(Role.NURSE, "signConsent", journey, **consent)
    line = {"priceItemId": item["item"]["id"], "quantity": 1}
    bill = await visit.call(
        Role.CASHIER,
        "createBill",
        "BillPayload",
        BILL,
        journeyId=journey,
        lines=[line],
        discount={"amount": _eur("50.00")},
    )
    bill_id = bill["bill"]["id"]
    signature = {"format": "SVG_PATH"}
    await visit.call(
        Role.CASHIER, "confirmBill", "BillPayload", BILL, billId=bill_id, signature=signature
    )
    deposit = {"amount": "100.00", "currency": "EUR", "method": "CARD", "kind": "DEPOSIT"}
    await visit.step(Role.CASHIER, "recordPayment", journey, billId=bill_id, **deposit)
    read = "query B($id: ID) { bill(id: $id) { payments { id } } }"
    paid = await visit.api.run(read, visit.token(Role.CASHIER), id=bill_id)
    payment = paid["bill"]["payments"][0]["id"]
    refunded = await visit.call(
        Role.CASHIER,
        "recordRefund",
        "RefundPayload",
        "... on RefundPayload { journey { stage } }",
        paymentId=payment,
        amount=_eur("100.00"),
    )
    assert refunded["journey"]["stage"] == "REFUNDED", refunded
