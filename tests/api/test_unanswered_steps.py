"""A journey step Temporal does not answer in time: typed `Unavailable`, nothing half-written, and
a retry with the same key, once the worker is back, done exactly once.

The API serves a task queue of its own; the test runs its worker in this process and stops it,
so the step's update reaches Temporal and waits there for a worker that is not coming. The
journey's wait for an answer is made short so the test need not wait the API's 20 s.
"""

from __future__ import annotations

import pytest
from temporalio.testing import WorkflowEnvironment

import workflows.client
from domain.roles import Role
from domain.store.drafts import attached_record, unsettled_drafts
from domain.store.models import IdempotencyKey, JourneyEvent
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import CONSULTATION, JourneyDriver, end_journey, new_key
from tests.api.harness import Api, Staff
from workflows.worker import build_worker

RECORD_CONSULTATION = documents.RECORD_CONSULTATION.replace(
    "... on UserError { code message }",
    "... on UserError { code message }\n  ... on Unavailable { retryAfterSeconds }",
)


async def test_a_step_temporal_does_not_answer_is_unavailable_and_its_retry_is_done_once(
    isolated: tuple[Api, str, dict[str, str]],
    temporal_env: WorkflowEnvironment,
    staff: dict[Role, Staff],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api, task_queue, _ = isolated
    temporal = temporal_env.client
    driver = JourneyDriver(api, staff)
    # Given a journey waiting for its consultation, while a worker served it
    async with build_worker(temporal, task_queue):
        journey = await driver.assign((await driver.start())["id"])
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None
    step = {"journeyId": journey["id"], "idempotencyKey": new_key(), **CONSULTATION}

    # When the consultation is recorded while no worker runs, and the journey's answer is
    # waited for a short while only
    monkeypatch.setattr(workflows.client, "JOURNEY_ANSWER_SECONDS", 2.0)
    silent = await driver.act(RECORD_CONSULTATION, Role.CONSULTANT, **step)

    # Then the answer is the typed error, telling to send it again with the same key
    assert silent["__typename"] == "Unavailable", silent
    assert silent["code"] == "UNAVAILABLE"
    assert silent["retryAfterSeconds"] > 0
    assert "same idempotencyKey" in silent["message"]
    # And nothing is half-written: the key is still open, the consultation only a draft
    account_id = staff[Role.CONSULTANT].account_id
    claim = await IdempotencyKey.get(account_id=account_id, key=step["idempotencyKey"])
    assert claim.result_id == ""
    assert len((await unsettled_drafts([raw_id])).get(raw_id, [])) == 1
    assert await attached_record(raw_id, "consultation") is None

    # When the worker is back and the same request is sent again with the same key (waiting
    # for the journey's answer as long as the API does)
    monkeypatch.undo()
    async with build_worker(temporal, task_queue):
        retry = await driver.act(RECORD_CONSULTATION, Role.CONSULTANT, **step)
        # Then it is answered: the consultation recorded
        assert retry["__typename"] == "JourneyPayload", retry
        assert retry["journey"]["history"][-1]["action"] == "record_consultation"
        # And a third attempt is answered alike, changing nothing
        again = await driver.act(RECORD_CONSULTATION, Role.CONSULTANT, **step)
        assert again == retry
        await end_journey(driver, journey["id"])

    # And the step was done exactly once, its one draft attached
    history = [event["action"] for event in retry["journey"]["history"]]
    assert history.count("record_consultation") == 1
    events = await JourneyEvent.filter(journey_id=raw_id, action="record_consultation").count()
    assert events == 1
    assert await attached_record(raw_id, "consultation") is not None
    assert await unsettled_drafts([raw_id]) == {}
    claim = await IdempotencyKey.get(account_id=account_id, key=step["idempotencyKey"])
    assert claim.result_id == raw_id
