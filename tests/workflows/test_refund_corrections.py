"""A refund before the treatment that corrects a payment (`corrects_a_payment`) is counted by
the journey, which goes on where it was; one without (the client withdrawing, and every refund
recorded before corrections existed: `histories/refunded_before_treatment.json`) ends it."""

from __future__ import annotations

from temporalio.client import Client

from domain.journey.stages import PaymentKind, Stage
from domain.journey.table import Action
from tests.support import CASHIER, CURRENCY, journey_start, pay, request, steps_to
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import act, begin
from workflows.journey import JourneyWorkflow


async def test_a_correction_before_the_treatment_goes_on(client: Client) -> None:
    # Given a deposit of 600.00 paid on a plan of 2400.00
    handle = await begin(client, journey_start(), TASK_QUEUE)
    for step in steps_to(Stage.PAYMENT):
        await act(handle, step)
    assert (await act(handle, pay(60_000, PaymentKind.DEPOSIT))).stage is Stage.PAYMENT
    # When 100.00 of it is given back as a correction
    correction = request(
        Action.REFUND, CASHIER, amount_minor=10_000, currency=CURRENCY, corrects_a_payment=True
    )
    corrected = await act(handle, correction)
    # Then the journey goes on where it was, counting 500.00 paid
    assert corrected.stage is Stage.PAYMENT
    assert (await handle.query(JourneyWorkflow.facts)).paid_minor == 50_000
    # When 100.00 more is given back without it (the client withdraws, the rest kept)
    ended = await act(
        handle, request(Action.REFUND, CASHIER, amount_minor=10_000, currency=CURRENCY)
    )
    # Then the journey ends as REFUNDED
    assert ended.stage is Stage.REFUNDED
