"""Money given back as goodwill after the treatment began is not billed again.

`recordRefund(kind: GOODWILL)`: the clinic gives a satisfied client money back, and the bill
no longer asks for it. Before refunds had a kind, every refund after the treatment undid its
payment: on a bill paid in full on installments, 240.00 given back for goodwill left 240.00
outstanding and made the last installment late when its due date's check ran. A refund without
a kind still undoes its payment (REVERSAL), as `test_refunded_installments` pins.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from domain.money.installments import DueCheck
from domain.roles import Role
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.money_support import (
    ERRORS,
    MONEY,
    bill_for_installments,
    bill_of,
    eur,
    history_of,
    money_call,
    overdue_count,
    overdue_on_bill,
    payment,
)
from workflows.installment_activities import check_installment

Clinic = Callable[[], Awaitable[JourneyDriver]]
GIVE_BACK = f"""
mutation Refund($input: RecordRefundInput!) {{
  recordRefund(input: $input) {{
    __typename
    ... on RefundPayload {{
      refund {{ id amount {{ {MONEY} }} beforeTreatment kind }}
      journey {{ stage }}
    }}
    {ERRORS}
  }}
}}
"""


async def _paid_in_full_on_installments(driver: JourneyDriver) -> tuple[dict[str, Any], str]:
    """A bill of 900.00 agreed in three installments of 300.00, in treatment, all three paid:
    (journey, the last payment's id)."""
    journey, bill, schedule = await bill_for_installments(driver)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    await driver.start_treatment(journey["id"])
    for _ in range(2):
        each = payment(bill, "300.00", "INSTALLMENT")
        await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **each)
    paid = await bill_of(driver, journey["id"])
    assert paid["outstanding"]["amount"] == "0.00"
    return journey, str(paid["payments"][-1]["id"])


async def test_goodwill_after_the_treatment_is_owed_no_more(fresh_clinic: Clinic) -> None:
    # Given a bill of 900.00 paid in full on installments, in treatment
    driver = await fresh_clinic()
    journey, last = await _paid_in_full_on_installments(driver)
    # When a supervisor gives 240.00 back as goodwill
    goodwill = {"paymentId": last, "amount": eur("240.00"), "reason": "goodwill, bruising"}
    given = await money_call(driver, GIVE_BACK, Role.SUPERVISOR, kind="GOODWILL", **goodwill)
    assert given["__typename"] == "RefundPayload", given
    assert given["refund"]["kind"] == "GOODWILL"
    assert given["journey"]["stage"] == "TREATMENT"
    # Then the bill holds 660.00 and owes nothing: the 240.00 is not asked for again
    bill = await bill_of(driver, journey["id"])
    assert [bill["refunded"]["amount"], bill["outstanding"]["amount"]] == ["240.00", "0.00"]
    history = await history_of(driver, journey["id"])
    assert history["outstanding"]["amount"] == "0.00"
    assert history["outstandingOnInstallments"]["amount"] == "0.00"
    # And the last due date's check finds the bill paid up to it: no installment is late
    raw_bill = decode_id(bill["id"], "Bill") or ""
    assert await check_installment(DueCheck(raw_bill, 2, 90000)) is False
    assert await overdue_count(driver) == 0
    assert await overdue_on_bill(driver, journey["id"]) == [False, False]
    # And the cashier cannot take the 240.00 again
    again = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "0.01", "PARTIAL")
    )
    assert again["problems"] == [
        {"field": "amount", "message": "at most 0.00 EUR is outstanding"}
    ], again


async def test_the_kind_is_part_of_what_the_key_stands_for(fresh_clinic: Clinic) -> None:
    # Given a bill paid in full on installments, and 10.00 given back under a key, no kind sent
    driver = await fresh_clinic()
    journey, last = await _paid_in_full_on_installments(driver)
    key = str(uuid.uuid4())
    refund = {"paymentId": last, "amount": eur("10.00"), "reason": "charged twice"}
    first = await money_call(driver, GIVE_BACK, Role.SUPERVISOR, idempotencyKey=key, **refund)
    assert first["__typename"] == "RefundPayload", first
    assert first["refund"]["kind"] == "REVERSAL"
    # When it is sent again under the key, it is answered as the first time
    same = await money_call(driver, GIVE_BACK, Role.SUPERVISOR, idempotencyKey=key, **refund)
    assert same == first
    # When it is sent under the key as a REVERSAL, it is another request (before the treatment
    # no kind is a WITHDRAWAL): a Conflict
    named = await money_call(
        driver, GIVE_BACK, Role.SUPERVISOR, idempotencyKey=key, kind="REVERSAL", **refund
    )
    assert named["__typename"] == "Conflict", named
    # When it is sent under the key as GOODWILL, it is another request: a Conflict
    other = await money_call(
        driver, GIVE_BACK, Role.SUPERVISOR, idempotencyKey=key, kind="GOODWILL", **refund
    )
    assert other["__typename"] == "Conflict", other
    # Then one refund was given, owed again
    bill = await bill_of(driver, journey["id"])
    assert [bill["refunded"]["amount"], bill["outstanding"]["amount"]] == ["10.00", "10.00"]


async def test_goodwill_before_the_treatment_is_refused(fresh_clinic: Clinic) -> None:
    # Given a bill of 900.00 on installments, its first 300.00 paid, the treatment not begun
    driver = await fresh_clinic()
    journey, bill, schedule = await bill_for_installments(driver)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    paid = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
    # When a cashier gives 50.00 of it back as goodwill
    refund = {"paymentId": paid, "amount": eur("50.00"), "reason": "goodwill", "kind": "GOODWILL"}
    refused = await money_call(driver, GIVE_BACK, Role.CASHIER, **refund)
    # Then it is refused on `kind`, and nothing was given back
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["kind"]
    after = await bill_of(driver, journey["id"])
    assert after["refunded"]["amount"] == "0.00"
