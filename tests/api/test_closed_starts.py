"""A start retried after its journey's workflow closed without a journey (it failed, or was
terminated, before its first event reached the read model) answers a typed error, never
"Unexpected error.", and leaves the client free for a new start."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store import records
from schema.journeys.reception import _JOURNEY_IDS
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.support import journey_start
from workflows.journey import JourneyWorkflow


async def test_a_retried_start_whose_workflow_closed_answers_conflict(
    driver: JourneyDriver, temporal_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a start whose workflow closed before it wrote anything (no worker polls its queue);
    # its journey id comes from its key's claim, whose salt is known here
    client_id = await driver.register_client("Ola Zamknięta")
    key = new_key()
    salt = uuid.uuid4().hex
    monkeypatch.setattr(records, "new_salt", lambda: salt)
    journey_id = str(uuid.uuid5(_JOURNEY_IDS, salt))
    start = dataclasses.replace(journey_start(), journey_id=journey_id)
    handle = await temporal_env.client.start_workflow(
        JourneyWorkflow.run, start, id=journey_id, task_queue=f"unpolled-{uuid.uuid4().hex}"
    )
    await handle.terminate("its first write failed")

    # When the start is sent (again) with that key
    retried = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, idempotencyKey=key
    )

    # Then it is a typed Conflict, and a start with a new key opens the client's journey
    assert retried["__typename"] == "Conflict", retried
    monkeypatch.undo()
    fresh = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, idempotencyKey=new_key()
    )
    assert fresh["__typename"] == "JourneyPayload", fresh
