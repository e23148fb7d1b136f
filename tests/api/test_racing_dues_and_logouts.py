"""Attempts of one request that race each other answer alike: an installment plan's payment and
a logout of one session.

Before: of two attempts of a plan's payment that had both checked its dues unwritten, the second
to write them ran into the first one's row and answered "Unexpected error." (its schedule never
started, its key never settled); and a logout whose slow first attempt finished after its retry
answered its own sign-out time, not the one its retry had answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.billing import InstallmentDue, Payment
from domain.store.receipts import NewPayment
from schema.ids import decode_id
from schema.money import payments
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api
from tests.api.live import WAIT
from tests.api.money_support import bill_for_installments, payment
from tests.api.sessions import LOGOUT, new_account, sign_in
from tests.api.test_overlapping_attempts import HeldFirstAttempt
from workflows.installments import schedule_workflow_id

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def running(temporal: Client, workflow_id: str) -> bool:
    described = await temporal.get_workflow_handle(workflow_id).describe()
    return described.status is WorkflowExecutionStatus.RUNNING


def hold_before_the_dues(monkeypatch: pytest.MonkeyPatch, bill_id: str, attempts: int) -> None:
    """Holds each attempt of a payment against `bill_id`, its payment written and its dues not
    yet, until `attempts` of them are there: each has found the dues unwritten before any
    writes them."""
    all_there = asyncio.Barrier(attempts)
    write = payments.write_payment

    async def held(new: NewPayment) -> Any:
        written = await write(new)
        if new.bill_id == bill_id:
            async with asyncio.timeout(WAIT):
                await all_there.wait()
        return written

    monkeypatch.setattr(payments, "write_payment", held)


async def test_an_installment_plan_sent_twice_at_once_answers_alike_and_writes_its_dues_once(
    fresh_clinic: FreshClinic, temporal_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a confirmed bill of 900.00 and a plan that makes it
    driver = await fresh_clinic()
    journey, bill, schedule = await bill_for_installments(driver)
    plan = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule, idempotencyKey=new_key())
    raw_bill = decode_id(bill["id"], "Bill")
    assert raw_bill is not None
    # And two attempts of it held where both have written (or found) the payment, its dues not
    hold_before_the_dues(monkeypatch, raw_bill, attempts=2)

    # When the plan is sent twice at once with one key
    async with asyncio.timeout(2 * WAIT):
        answers = await asyncio.gather(
            *(driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **plan) for _ in range(2)),
            return_exceptions=True,
        )
    # Then both are answered alike, the journey moved on, not "Unexpected error."
    first, second = answers
    assert isinstance(first, dict) and first["__typename"] == "JourneyPayload", answers
    assert second == first, answers
    assert first["journey"]["stage"] == "TREATMENT"
    # And a retry after the answers is answered alike too
    monkeypatch.undo()
    assert await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **plan) == first
    # And the payment and its dues were written once, the schedule started
    assert await Payment.filter(bill_id=raw_bill).count() == 1
    dues = await InstallmentDue.filter(bill_id=raw_bill).order_by("seq")
    assert [(due.seq, due.amount_minor) for due in dues] == [(1, 30000), (2, 30000)]
    history = [event["action"] for event in first["journey"]["history"]]
    assert history.count("record_payment") == 1
    assert await running(temporal_env.client, schedule_workflow_id(raw_bill))
    assert journey["id"] == first["journey"]["id"]


async def test_a_logout_whose_first_attempt_finishes_after_its_retry_answers_one_time(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an account signed in, and a logout of this session whose first attempt is slow
    account = await new_account()
    token, key = await sign_in(api, account), new_key()
    request = {"everywhere": False, "idempotencyKey": key}
    hold = HeldFirstAttempt(monkeypatch, key)
    slow = asyncio.create_task(api.run(LOGOUT, token, input=request))
    async with asyncio.timeout(WAIT):
        await hold.held.wait()

    # When its retry (same key) signs the session out while the first attempt waits
    retry = (await api.run(LOGOUT, token, input=request))["logout"]
    assert retry["__typename"] == "LogoutPayload", retry
    # And the first attempt finishes after it
    hold.release()
    async with asyncio.timeout(WAIT):
        first = (await slow)["logout"]

    # Then both answer the one sign-out time, and a later retry that one too
    later = (await api.run(LOGOUT, token, input=request))["logout"]
    assert first["__typename"] == "LogoutPayload", first
    assert first["signedOutAt"] == retry["signedOutAt"] == later["signedOutAt"], (first, retry)
