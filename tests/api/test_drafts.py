"""A refused action's draft stays in place, hidden, until the journey itself disowns it.

The API here serves its own task queue, so the test decides when a worker runs for it: while
none does, the journey cannot answer, and reconciliation must leave the draft alone.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import DraftQuestion
from domain.roles import Role
from domain.store.drafts import attached_record, unsettled_drafts, void_but_attached
from domain.store.models import JourneyRecord, JourneyRecordVoid
from schema.ids import decode_id
from server.settle import REFUSED, Outcome, settle_drafts
from tests.api import documents
from tests.api.conftest import api_settings
from tests.api.flow import PLAN, JourneyDriver, assert_unchanged, end_journey, new_key
from tests.api.harness import Staff, running_api
from workflows.journey import JourneyWorkflow
from workflows.journey_drafts import VOID_RECORDS_KEPT
from workflows.worker import build_worker

# Long enough for a restarted worker to take over a journey its predecessor held in cache.
ANSWER_TIMEOUT = timedelta(seconds=30)


@pytest.fixture
async def own_queue(
    database: str,
    temporal_address: str,
    temporal_env: WorkflowEnvironment,
    staff: dict[Role, Staff],
) -> AsyncIterator[tuple[JourneyDriver, str]]:
    task_queue = f"drafts-{uuid.uuid4().hex[:8]}"
    settings = api_settings(database, temporal_address, task_queue)
    async with running_api(settings, temporal_env.client) as api:
        yield JourneyDriver(api, staff), task_queue


async def test_a_refused_action_leaves_its_draft_hidden_until_the_journey_disowns_it(
    own_queue: tuple[JourneyDriver, str], temporal_env: WorkflowEnvironment
) -> None:
    driver, task_queue = own_queue
    async with build_worker(temporal_env.client, task_queue):
        # Given a journey waiting at triage
        journey = await driver.start()
        raw_id = decode_id(journey["id"], "Journey")
        assert raw_id is not None
        history_before = (await driver.journey(journey["id"]))["history"]
        # When the cashier records a payment there
        refused = await driver.act(
            documents.RECORD_PAYMENT,
            Role.CASHIER,
            journeyId=journey["id"],
            amount="10.00",
            currency="EUR",
            method="CASH",
            kind="FULL",
            receiptNumber="R-77",
        )
        assert refused["__typename"] == "TransitionNotAllowed"
        # Then what the cashier wrote is kept, as a draft no event points at
        drafts = await unsettled_drafts([raw_id])
        assert list(drafts) == [raw_id]
        (draft_id,) = drafts[raw_id]
        draft = await JourneyRecord.get(id=draft_id)
        assert (draft.kind, draft.body["receipt_number"]) == ("payment", "R-77")
        # And no read shows it
        history = (await driver.journey(journey["id"]))["history"]
        assert history == history_before
        assert "R-77" not in json.dumps(history)
        assert await attached_record(raw_id, "payment") is None

    # When reconciliation asks while no worker runs for the journey, so it cannot answer
    unanswered = await settle_drafts(temporal_env.client, [raw_id], timeout=timedelta(seconds=2))
    # Then nothing is voided
    assert [(s.subject, s.outcome) for s in unanswered] == [
        (f"draft {draft_id}", Outcome.UNANSWERED)
    ]
    assert not await JourneyRecordVoid.exists(record_id=draft_id)

    # When it asks again with the journey able to answer
    async with build_worker(temporal_env.client, task_queue):
        settled = await settle_drafts(temporal_env.client, [raw_id], timeout=ANSWER_TIMEOUT)
        facts = await temporal_env.client.get_workflow_handle(raw_id).query("facts")
        await end_journey(driver, journey["id"])
    # Then the draft is void, for the reason the journey gave, and the journey refuses it now
    assert [(s.subject, s.outcome, s.why) for s in settled] == [
        (f"draft {draft_id}", Outcome.VOID, REFUSED)
    ]
    assert facts["void_records"] == [draft_id]
    assert (await JourneyRecordVoid.get(record_id=draft_id)).reason == REFUSED
    # And the draft itself is still there, as written, and no longer unsettled
    assert (await JourneyRecord.get(id=draft_id)).body == draft.body
    assert await unsettled_drafts([raw_id]) == {}


async def test_a_retry_of_a_refused_step_whose_void_draft_the_journey_forgot_is_refused(
    own_queue: tuple[JourneyDriver, str], temporal_env: WorkflowEnvironment
) -> None:
    driver, task_queue = own_queue
    async with build_worker(temporal_env.client, task_queue):
        # Given an expert review requested before the consultation was recorded, refused
        journey = await driver.start()
        raw_id = decode_id(journey["id"], "Journey")
        assert raw_id is not None
        await driver.assign(journey["id"])
        key = new_key()
        refused = await _review_requested(driver, journey["id"], key)
        assert refused["__typename"] == "TransitionNotAllowed"
        ((draft_id,),) = (await unsettled_drafts([raw_id])).values()
        # And its draft voided by reconciliation
        settled = await settle_drafts(temporal_env.client, [raw_id], timeout=ANSWER_TIMEOUT)
        assert [s.outcome for s in settled] == [Outcome.VOID]
        # And since then as many other drafts voided as the journey remembers, so it forgot it
        handle = temporal_env.client.get_workflow_handle_for(JourneyWorkflow.run, raw_id)
        others = [str(uuid.uuid4()) for _ in range(VOID_RECORDS_KEPT)]
        await handle.execute_update(JourneyWorkflow.settle_drafts, DraftQuestion(others))
        assert draft_id not in (await handle.query(JourneyWorkflow.facts)).void_records
        # And the consultation recorded, so the review could now be requested
        await driver.consult(journey["id"])
        before = await driver.journey(journey["id"])

        # When the request is retried with its key, as a client does
        retried = await _review_requested(driver, journey["id"], key)

        # Then it is refused as the journey refuses a void draft it remembers, and changes nothing
        assert retried["__typename"] == "Conflict"
        assert "write it again" in retried["message"]
        await assert_unchanged(driver, before)
        assert await JourneyRecordVoid.exists(record_id=draft_id)
        assert draft_id not in [v.record_id for v in await void_but_attached()]
        await end_journey(driver, journey["id"])


async def _review_requested(driver: JourneyDriver, journey_id: str, key: str) -> dict[str, Any]:
    return await driver.act(
        documents.REQUEST_EXPERT_REVIEW,
        Role.CONSULTANT,
        journeyId=journey_id,
        idempotencyKey=key,
        expertId=driver.staff[Role.EXPERT].global_id,
        briefing={
            "goal": "look rested",
            "expectation": "natural",
            "history": "none",
            "proposedItems": PLAN["items"],
            "helpWanted": "confirm the plan",
        },
    )
