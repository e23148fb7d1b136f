"""Temporal calls besides a journey's steps and the desk's changes that a mutation waits on: a
reception that asks whether the client's recheck is on its way, a partner's deadline clock, a
bill's installment schedule. Temporal not answering in time (its wait made short enough here
that the real server cannot answer within it) is a typed `Unavailable`, nothing more written,
the key left open, and a retry with the same key, once Temporal answers, is done once.

Before: the reception refused the start as if the client had an active journey, the partner's
clock answered `Conflict` (which means a key reused for another request), and the schedule's
start ran into an untyped "Unexpected error.".
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

import workflows.client
import workflows.installment_client
import workflows.partner_client
from domain.roles import Role
from domain.store.billing import InstallmentDue, Payment
from domain.store.models import ActiveJourneyClaim, ActiveRecheckClaim, IdempotencyKey
from domain.store.models import Journey as JourneyRow
from domain.store.partners import PartnerRegistration
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.money_support import bill_for_installments, payment
from tests.api.partner_documents import REGISTER, SALON
from workflows.installments import schedule_workflow_id
from workflows.partner import partner_workflow_id

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
# No answer from the real server fits in no time at all.
NO_WAIT = 0.0


def assert_unavailable(answer: dict[str, Any]) -> None:
    assert answer["__typename"] == "Unavailable", answer
    assert answer["code"] == "UNAVAILABLE"
    assert "same idempotencyKey" in answer["message"]


async def key_result(driver: JourneyDriver, role: Role, key: str) -> str:
    account_id = driver.staff[role].account_id
    return (await IdempotencyKey.get(account_id=account_id, key=key)).result_id


async def running(temporal: Client, workflow_id: str) -> bool:
    described = await temporal.get_workflow_handle(workflow_id).describe()
    return described.status is WorkflowExecutionStatus.RUNNING


async def test_a_start_temporal_cannot_clear_of_a_recheck_is_unavailable_not_refused(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client whose recheck was claimed and has no journey row (its request died before
    # the start: Temporal never heard of it)
    client_id = await driver.register_client()
    raw_client = decode_id(client_id, "Client")
    assert raw_client is not None
    await ActiveRecheckClaim.create(
        client_id=raw_client, journey_id=str(uuid.uuid4()), claimed_at=datetime.now(UTC)
    )
    start = {"clientId": client_id, "idempotencyKey": new_key()}

    # When the front desk opens a journey and Temporal does not say in time whether that
    # recheck is on its way
    monkeypatch.setattr(workflows.client, "UPDATE_RAN_SECONDS", NO_WAIT)
    silent = await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, **start)
    # Then the answer is Unavailable, not "the client already has an active journey"
    assert_unavailable(silent)
    # And nothing is written: no journey, no claim of the client, the key open
    assert not await JourneyRow.exists(client_id=raw_client)
    assert not await ActiveJourneyClaim.exists(client_id=raw_client)
    assert await key_result(driver, Role.FRONT_DESK, start["idempotencyKey"]) == ""

    # When Temporal answers again and the same request is sent again with the same key
    monkeypatch.undo()
    retry = await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, **start)
    # Then the journey opens (the recheck never started), and a third attempt answers it alike
    assert retry["__typename"] == "JourneyPayload", retry
    again = await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, **start)
    assert again == retry
    assert await JourneyRow.filter(client_id=raw_client).count() == 1


async def test_a_partner_whose_clock_temporal_does_not_start_in_time_is_unavailable(
    fresh_clinic: FreshClinic, temporal_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = await fresh_clinic()
    supervisor = driver.token(Role.SUPERVISOR)
    report = {**SALON, "idempotencyKey": new_key()}

    # When a salon is reported and Temporal does not answer its clock's start in time
    monkeypatch.setattr(workflows.partner_client, "CLOCK_START_SECONDS", NO_WAIT)
    silent = (await driver.api.run(REGISTER, supervisor, input=report))["registerPartner"]
    # Then the answer is Unavailable, where it was a Conflict, and the key stays open
    assert_unavailable(silent)
    assert await key_result(driver, Role.SUPERVISOR, report["idempotencyKey"]) == ""
    registered = PartnerRegistration.filter(registered_by=driver.staff[Role.SUPERVISOR].account_id)
    assert await registered.count() == 1  # the version is recorded; its clock is what is owed

    # When Temporal answers again and the same report is sent again with the same key
    monkeypatch.undo()
    retry = (await driver.api.run(REGISTER, supervisor, input=report))["registerPartner"]
    # Then the partner is answered with its deadlines running, and a third attempt alike
    assert retry["__typename"] == "RegisterPartnerPayload", retry
    again = (await driver.api.run(REGISTER, supervisor, input=report))["registerPartner"]
    assert again == retry
    # And its registration was recorded once, its clock started once
    assert await registered.count() == 1
    raw_partner = decode_id(retry["partner"]["id"], "Partner")
    assert raw_partner is not None
    assert await running(temporal_env.client, partner_workflow_id(raw_partner))


async def test_an_installment_plan_whose_schedule_temporal_does_not_start_is_unavailable(
    fresh_clinic: FreshClinic, temporal_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a confirmed bill of 900.00 and a plan that makes it
    driver = await fresh_clinic()
    journey, bill, schedule = await bill_for_installments(driver)
    plan = payment(bill, "300.00", "INSTALLMENT_PLAN", schedule=schedule, idempotencyKey=new_key())
    raw_bill = decode_id(bill["id"], "Bill")
    assert raw_bill is not None

    # When the plan is recorded and Temporal does not answer its schedule's start in time
    monkeypatch.setattr(workflows.installment_client, "SCHEDULE_START_SECONDS", NO_WAIT)
    silent = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **plan)
    # Then the answer is Unavailable, not "Unexpected error.", and the key stays open
    assert_unavailable(silent)
    assert await key_result(driver, Role.CASHIER, plan["idempotencyKey"]) == ""

    # When Temporal answers again and the same payment is sent again with the same key
    monkeypatch.undo()
    retry = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **plan)
    # Then it is answered, the journey moved on, and a third attempt alike
    assert retry["__typename"] == "JourneyPayload", retry
    assert retry["journey"]["stage"] == "TREATMENT"
    again = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **plan)
    assert again == retry
    # And the payment and its dues were written once, the schedule started once
    assert await Payment.filter(bill_id=raw_bill).count() == 1
    assert await InstallmentDue.filter(bill_id=raw_bill).count() == 2
    history = [event["action"] for event in retry["journey"]["history"]]
    assert history.count("record_payment") == 1
    assert await running(temporal_env.client, schedule_workflow_id(raw_bill))
    assert journey["id"] == retry["journey"]["id"]
