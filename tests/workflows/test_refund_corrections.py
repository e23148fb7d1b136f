"""A refund before the treatment that corrects a payment (`corrects_a_payment`) is counted by
the journey, which goes on where it was; one without (the client withdrawing, and every refund
recorded before corrections existed: `histories/refunded_before_treatment.json`) ends it. The
API sends a correction as an update of its own, `correct_payment` (a worker of a release before
refuses it: `tests/api/test_corrections_in_a_rolling_deploy.py`)."""

from __future__ import annotations

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

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


async def test_a_correction_is_an_update_of_its_own_taking_refunds_only(client: Client) -> None:
    # Given a deposit of 600.00 paid on a plan of 2400.00
    handle = await begin(client, journey_start(), TASK_QUEUE)
    for step in steps_to(Stage.PAYMENT):
        await act(handle, step)
    await act(handle, pay(60_000, PaymentKind.DEPOSIT))
    # When 100.00 of it is given back as `correct_payment` (the update's name says it corrects)
    refund = request(Action.REFUND, CASHIER, amount_minor=10_000, currency=CURRENCY)
    corrected = await handle.execute_update(JourneyWorkflow.correct_payment, refund)
    # Then the journey counts it and goes on where it was
    assert corrected.stage is Stage.PAYMENT
    assert (await handle.query(JourneyWorkflow.facts)).paid_minor == 50_000
    # When another step is sent as a correction
    other = pay(10_000, PaymentKind.TOP_UP)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(JourneyWorkflow.correct_payment, other)
    # Then it is refused on its action, and nothing is counted
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError), cause
    assert cause.type == "VALIDATION_FAILED", cause
    assert cause.details == (
        {"field": "action", "message": "only a refund corrects a payment"},
        ["INVALID"],
    )
    assert (await handle.query(JourneyWorkflow.facts)).paid_minor == 50_000
