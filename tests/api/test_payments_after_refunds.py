"""Money given back after the treatment began is the clinic giving money back (goodwill, a
complaint settled): it lowers what was paid and what is owed alike, so nothing is owed again.

Before, a bill's `outstanding` was its total less what it held, so a refund after the treatment
was billed again: a bill of 900.00 on installments, all paid, and 240.00 given back for goodwill
showed 240.00 outstanding (on installments too, which could raise overdue tasks). The rule that
pinned that ("money given back after treatment can be paid again") is replaced: the bill's due
is lowered by the refund, and a payment beyond it is refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.money.installments import DueCheck
from domain.roles import Role
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.money_support import (
    RECORD_REFUND,
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


async def test_a_goodwill_refund_after_treatment_is_not_owed_again(fresh_clinic: Clinic) -> None:
    # Given a bill of 900.00 on installments, all paid, the treatment started
    driver = await fresh_clinic()
    journey, bill, schedule = await bill_for_installments(driver)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    await driver.start_treatment(journey["id"])
    for _ in range(2):
        await driver.ok(
            documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "300.00", "INSTALLMENT")
        )
    last_paid = (await bill_of(driver, journey["id"]))["payments"][-1]["id"]
    # When a supervisor gives 240.00 back for goodwill
    refund = {"paymentId": last_paid, "amount": eur("240.00"), "reason": "goodwill"}
    given = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund)
    assert given["__typename"] == "RefundPayload", given
    assert given["journey"]["stage"] == "TREATMENT", given
    # Then the bill and the history owe nothing: the refund lowered what was due as much
    after = await bill_of(driver, journey["id"])
    figures = [after[f]["amount"] for f in ("paid", "refunded", "outstanding")]
    assert figures == ["900.00", "240.00", "0.00"], after
    # Nor does the last due date's check (900.00 due by then) find an installment late
    assert await check_installment(DueCheck(decode_id(bill["id"], "Bill") or "", 2, 90000)) is False
    assert await overdue_on_bill(driver, journey["id"]) == [False, False]
    history = await history_of(driver, journey["id"])
    assert history["outstanding"]["amount"] == "0.00", history
    assert history["outstandingOnInstallments"]["amount"] == "0.00", history
    assert await overdue_count(driver) == 0
    # And the cashier cannot bill it again
    again = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "0.01", "PARTIAL")
    )
    assert again["problems"] == [
        {"field": "amount", "message": "at most 0.00 EUR is outstanding"}
    ], again
