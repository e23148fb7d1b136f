"""An installment paid and then given back is owed again: the due date's check and the
supervisor's count of overdue installments read what the bill holds (its payments less their
refunds), as the bill's `outstanding` does. Before, both added up the payments alone, so a
refunded installment still counted as paid and was never reported overdue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

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
    money_call,
    overdue_count,
    payment,
)
from workflows.installment_activities import check_installment

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def _pay_installment(driver: JourneyDriver, journey_id: str, bill: dict[str, Any]) -> str:
    """300.00 paid against the bill; the new payment's id."""
    await driver.ok(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "300.00", "INSTALLMENT")
    )
    return str((await bill_of(driver, journey_id))["payments"][-1]["id"])


async def _give_back(driver: JourneyDriver, payment_id: str) -> None:
    refund = {"paymentId": payment_id, "amount": eur("300.00"), "reason": "card charged twice"}
    given = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **refund)
    assert given["__typename"] == "RefundPayload", given


async def test_a_refunded_installment_is_owed_again_and_counted_overdue(
    fresh_clinic: Clinic,
) -> None:
    # Given a bill of 900.00 under a plan (300.00 now, 300.00 in 30 days, 300.00 in 60), in
    # treatment, and the first installment paid early and then given back by a supervisor
    driver = await fresh_clinic()
    journey, bill, schedule = await bill_for_installments(driver)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    await driver.start_treatment(journey["id"])
    early = await _pay_installment(driver, journey["id"], bill)
    await _give_back(driver, early)
    assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "600.00"
    # When the first due date passes (the schedule's check, as its timer runs it)
    raw_bill = decode_id(bill["id"], "Bill") or ""
    late = await check_installment(DueCheck(raw_bill, 1, 60000))
    # Then the installment is late: the bill holds 300.00 of the 600.00 due by then
    assert late is True
    assert await overdue_count(driver) == 1
    # When the client pays it, the task is done
    again = await _pay_installment(driver, journey["id"], bill)
    assert await overdue_count(driver) == 0
    # When that payment is given back too, the installment is owed again: counted once more
    await _give_back(driver, again)
    assert await overdue_count(driver) == 1
    assert (await bill_of(driver, journey["id"]))["outstanding"]["amount"] == "600.00"
