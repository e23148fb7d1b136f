"""A start retried after its journey's workflow closed without a journey (it failed, or was
terminated, before its first event reached the read model) answers a typed error, never
"Unexpected error.", and leaves the client free for a new start."""

from __future__ import annotations

import dataclasses
import uuid

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.journeys.reception import _JOURNEY_IDS
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.support import journey_start
from workflows.journey import JourneyWorkflow


async def test_a_retried_start_whose_workflow_closed_answers_conflict(
    driver: JourneyDriver, temporal_env: WorkflowEnvironment
) -> None:
    # Given a start whose workflow closed before it wrote anything (no worker polls its queue)
    client_id = await driver.register_client("Ola Zamknięta")
    key = new_key()
    desk = driver.staff[Role.FRONT_DESK].account_id
    journey_id = str(uuid.uuid5(_JOURNEY_IDS, f"{desk}:{key}"))
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
    fresh = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, idempotencyKey=new_key()
    )
    assert fresh["__typename"] == "JourneyPayload", fresh
