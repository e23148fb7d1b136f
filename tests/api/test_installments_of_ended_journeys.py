"""An installment of a journey that ended before its treatment is owed no more: the client was
refunded (or cancelled, declined...) and left. Before, the due date's check looked at the bill
alone, so a plan given back before the treatment was reported overdue when its due date came.
A journey that ended after the treatment (completed, installments still to pay) still owes them.
The bill's `installments { overdue }` judges a task as the supervisor's count does: before, it
read the task as written, and showed overdue an installment the count left out.
"""

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
    overdue_on_bill,
    payment,
)
from tests.sql_statements import statements_naming
from workflows.installment_activities import check_installment

Clinic = Callable[[], Awaitable[JourneyDriver]]
CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")
# Due by the first installment: the plan's first 300.00 and the installment's 300.00.
OWED_BY_THE_FIRST = 60000
OWED_BY_THE_SECOND = 90000


async def _on_a_plan(driver: JourneyDriver) -> tuple[str, DueCheck]:
    """A journey whose bill of 900.00 is on a plan, 300.00 paid: its id, and the check of its
    first installment's due date (as the schedule's timer runs it)."""
    journey, bill, schedule = await bill_for_installments(driver)
    agreed = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule)
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **agreed)
    raw_bill = decode_id(bill["id"], "Bill") or ""
    return journey["id"], DueCheck(raw_bill, 1, OWED_BY_THE_FIRST)


async def _withdrawn(driver: JourneyDriver, journey_id: str) -> None:
    """The client withdraws before the treatment: the cashier gives the 300.00 back."""
    paid: list[dict[str, Any]] = (await bill_of(driver, journey_id))["payments"]
    refund = {"paymentId": paid[0]["id"], "amount": eur("300.00"), "reason": "changed her mind"}
    given = await money_call(driver, RECORD_REFUND, Role.CASHIER, **refund)
    assert given["__typename"] == "RefundPayload", given
    assert given["journey"]["stage"] == "REFUNDED", given


async def test_a_plan_given_back_before_the_treatment_is_not_overdue_at_its_due_date(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey on an installment plan, given back before its treatment: REFUNDED
    driver = await fresh_clinic()
    journey, first_due = await _on_a_plan(driver)
    await _withdrawn(driver, journey)
    # When the first installment's due date comes
    late = await check_installment(first_due)
    # Then nobody is asked for it: no task, nothing counted
    assert late is False
    assert await overdue_count(driver) == 0
    bill = await bill_of(driver, journey)
    assert bill["outstanding"]["amount"] == "0.00"  # owed no more, as the history says


async def test_an_overdue_installment_is_owed_no_more_once_the_client_left_untreated(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey on a plan whose first installment fell due unpaid before the treatment
    driver = await fresh_clinic()
    journey, first_due = await _on_a_plan(driver)
    assert await check_installment(first_due) is True
    assert await overdue_count(driver) == 1
    assert await overdue_on_bill(driver, journey) == [True, False]
    # When the client withdraws, given back what was paid
    await _withdrawn(driver, journey)
    # Then the installment is no longer overdue: neither counted nor shown on the bill
    assert await overdue_count(driver) == 0
    assert await overdue_on_bill(driver, journey) == [False, False]


async def test_an_installment_of_a_journey_completed_after_its_treatment_is_still_owed(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey on a plan, treated, handed over and completed
    driver = await fresh_clinic()
    journey, first_due = await _on_a_plan(driver)
    await driver.start_treatment(journey)
    await driver.complete_treatment(journey)
    await driver.hand_over(journey)
    done = await driver.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=journey, reason="cared")
    assert done["stage"] == "COMPLETED", done
    # When the first installment's due date comes, unpaid
    late = await check_installment(first_due)
    # Then it is overdue: the treatment was given, and the client owes it
    assert late is True
    assert await overdue_count(driver) == 1
    with statements_naming("SELECT") as reads_of_one:
        assert await overdue_on_bill(driver, journey) == [True, False]
    # And the bill judges its tasks together: a second one costs it no read more
    assert await check_installment(DueCheck(first_due.bill_id, 2, OWED_BY_THE_SECOND)) is True
    with statements_naming("SELECT") as reads_of_two:
        assert await overdue_on_bill(driver, journey) == [True, True]
    assert 0 < len(reads_of_two) == len(reads_of_one), (reads_of_one, reads_of_two)
