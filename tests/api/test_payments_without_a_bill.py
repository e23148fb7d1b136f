"""A payment without a bill is held to what the journey still owes on its final plan's price
(`domain.journey.validation.check_within_what_is_owed`), one at a time and all at once.

Before, nothing held it: a plan of 1,200.00 took four full payments (4,800.00 paid), twelve
top-ups sent at once all went through, and an installment schedule sent without a bill was
taken and dropped without a word. Payments against a bill were already held to the bill.
"""

from __future__ import annotations

import asyncio
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key

OWES_LESS = [{"field": "amount", "message": "more than the journey still owes"}]


def _payment(journey_id: str, amount: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "journeyId": journey_id,
        "amount": amount,
        "currency": PLAN["currency"],
        "method": "CARD",
        "kind": kind,
        "idempotencyKey": new_key(),
        **extra,
    }


def _payments_in(journey: dict[str, Any]) -> list[str]:
    return [h["summary"] for h in journey["history"] if h["action"] == "record_payment"]


async def test_a_plan_paid_in_full_takes_no_second_full_payment(driver: JourneyDriver) -> None:
    # Given a journey whose plan of 1200.00 was paid in full, without a bill
    journey = await driver.pay((await driver.drive_to("PAYMENT"))["id"])

    # When the cashier records the full price again
    again = await driver.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **_payment(journey["id"], PLAN["price"], "FULL")
    )

    # Then it is refused, and the journey holds one payment
    assert again["__typename"] == "ValidationFailed", again
    assert again["problems"] == OWES_LESS
    assert len(_payments_in(await driver.journey(journey["id"]))) == 1


async def test_payments_sent_at_once_together_pay_no_more_than_is_owed(
    driver: JourneyDriver,
) -> None:
    # Given a journey at payment, owing 1200.00
    journey = await driver.drive_to("PAYMENT")

    # When six deposits of 700.00 arrive at once, each within what is owed on its own
    answers = await asyncio.gather(
        *(
            driver.act(
                documents.RECORD_PAYMENT,
                Role.CASHIER,
                **_payment(journey["id"], "700.00", "DEPOSIT"),
            )
            for _ in range(6)
        )
    )

    # Then one is taken and the others are refused, never more than the price paid
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["JourneyPayload"] + ["ValidationFailed"] * 5, answers
    assert all(a["problems"] == OWES_LESS for a in answers if a["__typename"] != "JourneyPayload")
    assert len(_payments_in(await driver.journey(journey["id"]))) == 1


async def test_an_installment_schedule_without_a_bill_is_refused(driver: JourneyDriver) -> None:
    journey = await driver.drive_to("PAYMENT")
    schedule = [{"dueOn": "1900-01-01", "amount": "600.00"}]
    refused = await driver.act(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        **_payment(journey["id"], "600.00", "INSTALLMENT_PLAN", schedule=schedule),
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "schedule", "message": "installments are scheduled against a bill"}
    ]
    assert _payments_in(await driver.journey(journey["id"])) == []
