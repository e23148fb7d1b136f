"""A bill's first payment is taken once: a full payment, a deposit or an installment plan is
refused by the journey once something is paid, one after the other and sent at once.

The API checks the bill before it asks the journey, but two first payments sent at once both
passed that check, and the journey took both: a deposit and an installment plan of 300.00 each
on a bill of 900.00, whose plan then scheduled 600.00 more for the 300.00 still owed.
"""

from __future__ import annotations

import asyncio

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.errors import ErrorCode, FieldProblemCode
from domain.journey.stages import PaymentKind, Stage
from domain.journey.table import Action
from domain.store.models import JourneyEvent
from tests.support import CASHIER, CURRENCY, journey_start, request, steps_to
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin
from workflows.journey import JourneyWorkflow
from workflows.refusals import problems_from

BILL = 90_000


def against_the_bill(kind: PaymentKind, amount: int = 30_000) -> object:
    details = {"amount_minor": amount, "payment_kind": kind, "bill_total_minor": BILL}
    return request(Action.RECORD_PAYMENT, CASHIER, currency=CURRENCY, **details)


async def _at_payment(client: Client, *, as_given: bool) -> Handle:
    start = journey_start()
    handle = await begin(client, start, TASK_QUEUE, as_given=as_given)
    for step in steps_to(Stage.PAYMENT):
        await act(handle, step)
    return handle


async def _payments(handle: Handle) -> list[str]:
    rows = await JourneyEvent.filter(journey_id=handle.id, action="record_payment")
    return [row.summary for row in rows]


@pytest.mark.parametrize("second", [PaymentKind.INSTALLMENT_PLAN, PaymentKind.DEPOSIT])
async def test_a_first_payment_after_a_deposit_is_refused(
    client: Client, second: PaymentKind
) -> None:
    # Given a journey at payment whose bill of 900.00 took a deposit of 300.00
    handle = await _at_payment(client, as_given=False)
    await act(handle, against_the_bill(PaymentKind.DEPOSIT))
    # When another first payment comes (the API's check of the bill passed it before the
    # deposit was written)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await act(handle, against_the_bill(second))
    # Then the journey refuses it, naming the kind, and keeps the one payment
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == ErrorCode.VALIDATION_FAILED.value
    assert [(p.field, p.code) for p in problems_from(cause.details)] == [
        ("kind", FieldProblemCode.NOT_ALLOWED_NOW)
    ]
    assert len(await _payments(handle)) == 1
    assert (await handle.query(JourneyWorkflow.facts)).paid_minor == 30_000


@pytest.mark.parametrize("as_given", [False, True], ids=["listed", "started-before"])
async def test_first_payments_sent_at_once_take_one(client: Client, as_given: bool) -> None:
    # Given a journey at payment (started with the change listed, or before it)
    handle = await _at_payment(client, as_given=as_given)
    # When a deposit and an installment plan of 300.00 each are sent at once
    kinds = (PaymentKind.DEPOSIT, PaymentKind.INSTALLMENT_PLAN)
    answers = await asyncio.gather(
        *(act(handle, against_the_bill(kind)) for kind in kinds), return_exceptions=True
    )
    # Then the journey takes one, and refuses the other
    refused = [a for a in answers if isinstance(a, WorkflowUpdateFailedError)]
    assert len(refused) == 1, answers
    assert len(await _payments(handle)) == 1
    assert (await handle.query(JourneyWorkflow.facts)).paid_minor == 30_000
