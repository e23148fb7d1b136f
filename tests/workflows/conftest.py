from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.support import registered_client, start_time_skipping
from workflows.activities import record_journey_change
from workflows.journey import JourneyWorkflow
from workflows.search_attributes import register_search_attributes
from workflows.triage import TriageDeskWorkflow
from workflows.triage_activities import record_desk_board_changes, record_desk_changes

TASK_QUEUE = "journeys-test"


# One time-skipping server per test module, not per session. The server has one clock for every
# workflow on it: a skip of days must also carry the timers of every journey and desk that earlier
# tests left running, and a time-skipping lock the server leaks (it has been seen to, after desk
# rounds and after terminations) stops the clock for every test after it. Per module, what one
# module leaves behind reaches none of the others.
@pytest.fixture(scope="module")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_time_skipping()
    yield environment
    await environment.shutdown()


@pytest.fixture(scope="module")
async def client(env: WorkflowEnvironment, database: str) -> AsyncIterator[Client]:
    await registered_client()
    await register_search_attributes(env.client, env.client.namespace)
    async with Worker(
        env.client,
        task_queue=TASK_QUEUE,
        workflows=[JourneyWorkflow, TriageDeskWorkflow],
        activities=[record_journey_change, record_desk_changes, record_desk_board_changes],
    ):
        yield env.client
