"""A journey event's summary writes money at its currency's places (ISO 4217): 150000 JPY,
1.250 KWD, 1200.00 EUR. Before, every amount was written in hundredths: a bill's payment of
¥150,000 read "1500.00 JPY", and one of 1.250 KWD "12.50 KWD"."""

from __future__ import annotations

import pytest

from domain.journey.effects import apply_action
from domain.journey.facts import JourneyFacts
from domain.journey.stages import ExpertDecision, PaymentKind, Stage
from domain.journey.table import Action
from tests.support import (
    CASHIER,
    EXPERT,
    T0,
    consent,
    drive,
    journey_start,
    new_facts,
    request,
    steps_to,
)


def _approved(price_in_hundredths: int, currency: str) -> tuple[JourneyFacts, str]:
    """A journey at payment whose expert approved a plan at this price (the plan's input keeps
    it in hundredths, whatever the currency): its facts and the approval's summary."""
    facts = drive(new_facts(journey_start()), *steps_to(Stage.EXPERT_REVIEW))
    approval = request(
        Action.APPROVE_PLAN,
        EXPERT,
        decision=ExpertDecision.APPROVE,
        plan_total_minor=price_in_hundredths,
        currency=currency,
    )
    summary = apply_action(facts, approval, T0).summary
    drive(facts, consent())
    assert facts.stage is Stage.PAYMENT
    return facts, summary


def _paid(
    facts: JourneyFacts, minor: int, currency: str, kind: PaymentKind, bill_total: int | None
) -> str:
    payment = request(
        Action.RECORD_PAYMENT,
        CASHIER,
        amount_minor=minor,
        currency=currency,
        payment_kind=kind,
        bill_total_minor=bill_total,
    )
    return apply_action(facts, payment, T0).summary


def _refunded(facts: JourneyFacts, minor: int, currency: str) -> str:
    refund = request(Action.REFUND, CASHIER, amount_minor=minor, currency=currency)
    return apply_action(facts, refund, T0).summary


@pytest.mark.parametrize(
    ("currency", "price", "bill", "deposit", "refund", "expected"),
    [
        # ¥150,000: the plan in hundredths, the bill's payments and the refund in yen
        (
            "JPY",
            15_000_000,
            150_000,
            50_000,
            1_000,
            [
                "plan approved at 150000 JPY",
                "DEPOSIT 50000 JPY (paid 50000 JPY)",
                "refund 1000 JPY before treatment",
            ],
        ),
        # 1.25 KWD: the plan in hundredths, the bill's payments and the refund in fils (1/1000)
        (
            "KWD",
            125,
            1_250,
            500,
            125,
            [
                "plan approved at 1.250 KWD",
                "DEPOSIT 0.500 KWD (paid 0.500 KWD)",
                "refund 0.125 KWD before treatment",
            ],
        ),
        # Two places: read exactly as before
        (
            "EUR",
            120_000,
            120_000,
            30_050,
            1_005,
            [
                "plan approved at 1200.00 EUR",
                "DEPOSIT 300.50 EUR (paid 300.50 EUR)",
                "refund 10.05 EUR before treatment",
            ],
        ),
    ],
)
def test_a_bill_paid_and_refunded_reads_at_the_currency_places(
    currency: str, price: int, bill: int, deposit: int, refund: int, expected: list[str]
) -> None:
    # Given a journey at payment, its plan approved in this currency
    facts, approved = _approved(price, currency)
    # When a deposit is paid against the bill and part of it refunded before treatment
    deposited = _paid(facts, deposit, currency, PaymentKind.DEPOSIT, bill)
    refunded = _refunded(facts, refund, currency)
    # Then each summary writes the amount at the currency's places
    assert [approved, deposited, refunded] == expected


def test_a_plan_paid_without_a_bill_reads_in_yen_its_hundredths_kept() -> None:
    # Given plans of ¥1,000 and of ¥1,000.50 (the plan's input took two places in any currency
    # before it was held to whole yen; journeys approved so keep it)
    whole, whole_approved = _approved(100_000, "JPY")
    odd, odd_approved = _approved(100_050, "JPY")
    # When each is paid in full without a bill, as the plan's price is kept (in hundredths)
    whole_paid = _paid(whole, 100_000, "JPY", PaymentKind.FULL, None)
    odd_paid = _paid(odd, 100_050, "JPY", PaymentKind.FULL, None)
    # Then whole yen are written in yen, and the odd hundredths whole, not rounded away
    assert (whole_approved, whole_paid) == (
        "plan approved at 1000 JPY",
        "FULL 1000 JPY (paid 1000 JPY)",
    )
    assert (odd_approved, odd_paid) == (
        "plan approved at 1000.50 JPY",
        "FULL 1000.50 JPY (paid 1000.50 JPY)",
    )


def test_a_refund_of_a_plan_paid_without_a_bill_reads_in_yen() -> None:
    # Given a plan of ¥1,000 paid in full without a bill (kept in hundredths)
    facts, _ = _approved(100_000, "JPY")
    _paid(facts, 100_000, "JPY", PaymentKind.FULL, None)
    # When ¥400 is given back, counted as the payment is (`schema.money.refunds`)
    refunded = _refunded(facts, 40_000, "JPY")
    # Then it reads in yen, and what is left paid is counted in the same unit
    assert refunded == "refund 400 JPY before treatment"
    assert facts.paid_minor == 60_000
