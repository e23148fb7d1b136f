"""Temporal's update id for a keyed step: derived from the key's claim, never from the key.

A client may build its idempotency keys from what it sends (a name, a phone number); Temporal
keeps ids and codes only. Earlier releases sent the key as it was given: a retry of a step such
a release sent, whose answer was lost, is still answered by Temporal as the first time.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store import records
from domain.store.models import IdempotencyKey
from schema import update_ids
from schema.ids import decode_id
from tests.api import documents
from tests.api.conftest import TASK_QUEUE
from tests.api.flow import PLAN, JourneyDriver
from tests.api.harness import Api
from tests.api.test_desk_notes import seat_changes
from tests.api.test_retries_after_changes import _approval_of_an_item, _retried_after_a_new_price
from tests.api.test_triage_api import UPDATE_SEAT, _desk_clinic
from workflows.triage_client import TriageGateway

Clinic = Callable[[], Awaitable[JourneyDriver]]


@pytest.fixture
def as_earlier_release(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    """Switches the API to the update ids earlier releases sent (the key as given), and to
    their claims (no salt: the seed is "account:key", that id), and back."""
    derived, salted = update_ids.derived_update_id, records.new_salt

    def switch(earlier: bool) -> None:
        if earlier:
            monkeypatch.setattr(update_ids, "derived_update_id", lambda ledger: ledger.seed)
            monkeypatch.setattr(records, "new_salt", lambda: None)
        else:
            monkeypatch.setattr(update_ids, "derived_update_id", derived)
            monkeypatch.setattr(records, "new_salt", salted)

    yield switch


async def test_a_keyed_step_hands_temporal_an_id_derived_from_its_claim_not_its_key(
    fresh_clinic: Clinic, temporal_env: WorkflowEnvironment
) -> None:
    # Given a key built the way a careless client might, from what it sends
    driver = await fresh_clinic()
    journey = await driver.drive_to("EXPERT_REVIEW")
    key = f"Anna Kowalska +48 600 100 200 {uuid.uuid4()}"
    # When a step is sent with it
    approval = {**_approval(journey["id"]), "idempotencyKey": key}
    done = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert done["__typename"] == "JourneyPayload", done
    # Then the journey's history holds the id derived from its claim's salt, not the key, nor
    # the id the key alone derives (anyone guessing the key could check that one)
    recorded = await _temporal_history(temporal_env, journey["id"])
    account = driver.staff[Role.EXPERT].account_id
    assert (await _claimed_update_id(account, key)).encode() in recorded
    assert records.derived_id(f"{account}:{key}", "update").encode() not in recorded
    assert key.encode() not in recorded
    assert b"Anna Kowalska" not in recorded


async def test_a_step_an_earlier_release_sent_is_answered_on_retry_not_run_again(
    fresh_clinic: Clinic, as_earlier_release: Callable[[bool], None]
) -> None:
    # Given an expert's approval sent by an earlier release (the key as the update id), taken
    # by the journey, whose answer was lost before the key recorded it
    driver = await fresh_clinic()
    journey = await driver.drive_to("EXPERT_REVIEW")
    approval = _approval(journey["id"])
    first = await _taken_by_an_earlier_release(driver, approval, as_earlier_release)
    # When this release retries it with its key
    retry = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    # Then it is answered as the first time (not refused: the journey has moved on), once
    assert retry == first
    history = (await driver.journey(journey["id"]))["history"]
    assert [event["action"] for event in history].count("approve_plan") == 1


async def test_a_lost_step_of_an_earlier_release_is_answered_though_a_check_refuses_it_now(
    fresh_clinic: Clinic, as_earlier_release: Callable[[bool], None]
) -> None:
    # Given an approval naming a price-list item, sent by an earlier release and taken by the
    # journey, whose answer was lost
    driver, approval = await _approval_of_an_item(fresh_clinic, "EXPERT_REVIEW")
    first = await _taken_by_an_earlier_release(driver, approval, as_earlier_release)
    # When the item gets a new version and this release retries the approval with its key
    retry = await _retried_after_a_new_price(driver, approval)
    # Then it is answered as the first time: the journey took it under the earlier id
    assert retry == first


async def test_a_step_an_earlier_release_never_got_through_runs_under_the_new_id(
    fresh_clinic: Clinic,
    as_earlier_release: Callable[[bool], None],
    temporal_env: WorkflowEnvironment,
) -> None:
    # Given an approval an earlier release sent too early (the journey refused it; the key
    # stays claimed, and the journey keeps no trace of it)
    driver = await fresh_clinic()
    journey = await driver.drive_to("CONSULTATION")
    approval = _approval(journey["id"])
    as_earlier_release(True)
    early = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert early["__typename"] == "TransitionNotAllowed", early
    # When the journey reaches its expert and this release retries the approval with its key
    as_earlier_release(False)
    await driver.drive_to("EXPERT_REVIEW", journey)
    retry = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    # Then it is judged afresh and goes through, once, under the id its claim derives (its key
    # claimed by that release, without a salt: from the account and the key)
    assert retry["__typename"] == "JourneyPayload", retry
    assert retry["journey"]["stage"] == "CONSENT"
    history = (await driver.journey(journey["id"]))["history"]
    assert [event["action"] for event in history].count("approve_plan") == 1
    recorded = await _temporal_history(temporal_env, journey["id"])
    account = driver.staff[Role.EXPERT].account_id
    key = approval["idempotencyKey"]
    assert (await _claimed_update_id(account, key)).encode() in recorded
    assert records.derived_id(f"{account}:{key}", "update").encode() in recorded
    assert key.encode() not in recorded


async def test_a_desk_change_an_earlier_release_sent_is_answered_on_retry_not_run_again(
    api: Api, as_earlier_release: Callable[[bool], None], temporal_env: WorkflowEnvironment
) -> None:
    # Given a seat change an earlier release sent, which the desk made, whose answer was lost
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK]
    words = f"with a client {uuid.uuid4()}"
    change = {
        "consultantId": consultants[0],
        "reason": words,
        "status": "BUSY",
        "idempotencyKey": f"key-{uuid.uuid4()}",
    }
    as_earlier_release(True)
    first = await api.run(UPDATE_SEAT, desk.token, input=change)
    assert first["updateTriageSeat"]["__typename"] == "TriageBoardPayload", first
    await _lose_answer(desk.account_id, change["idempotencyKey"])
    # When this release retries it with its key
    as_earlier_release(False)
    seq_before = await _desk_seq(temporal_env, clinic)
    retry = await api.run(UPDATE_SEAT, desk.token, input=change)
    # Then it gets the board, the desk took no further change, and its log holds the change once
    assert retry["updateTriageSeat"]["__typename"] == "TriageBoardPayload", retry
    assert await _desk_seq(temporal_env, clinic) == seq_before
    assert await seat_changes(clinic, words) == [f"status BUSY: {words}"]


async def _taken_by_an_earlier_release(
    driver: JourneyDriver, approval: dict[str, Any], as_earlier_release: Callable[[bool], None]
) -> dict[str, Any]:
    """The approval as an earlier release sent it (the key as the update id), taken by the
    journey, its answer lost before the key recorded it; this release serves from then on."""
    as_earlier_release(True)
    first = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert first["__typename"] == "JourneyPayload", first
    await _lose_answer(driver.staff[Role.EXPERT].account_id, approval["idempotencyKey"])
    as_earlier_release(False)
    return first


async def _temporal_history(temporal_env: WorkflowEnvironment, journey_id: str) -> bytes:
    """Every event of the journey's run, as Temporal keeps it."""
    workflow_id = decode_id(journey_id, "Journey") or ""
    history = await temporal_env.client.get_workflow_handle(workflow_id).fetch_history()
    return b"".join(event.SerializeToString() for event in history.events)


async def _desk_seq(temporal_env: WorkflowEnvironment, clinic: str) -> int:
    """How many changes the clinic's desk has taken, as the desk itself says."""
    desk = await TriageGateway(temporal_env.client, TASK_QUEUE).desk(clinic)
    return desk.seq


def _approval(journey_id: str) -> dict[str, Any]:
    return {
        "journeyId": journey_id,
        "decision": "APPROVE",
        "points": "volume in the cheeks, no lips",
        "finalPlan": PLAN,
        "idempotencyKey": f"key-{uuid.uuid4()}",
    }


async def _claimed_update_id(account_id: str, key: str) -> str:
    """The update id the key's claim derives (from its salt, or from the account and the key
    when the claim has none)."""
    claim = await IdempotencyKey.get(account_id=account_id, key=key)
    return records.derived_id(claim.salt or f"{account_id}:{key}", "update")


async def _lose_answer(account_id: str, key: str) -> None:
    """The key claimed and never settled, as when the process died before answering."""
    assert await IdempotencyKey.filter(account_id=account_id, key=key).update(result_id="") == 1
