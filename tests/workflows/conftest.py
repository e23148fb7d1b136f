from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.support import registered_client, start_time_skipping
from workflows.activities import record_journey_change
from workflows.journey import JourneyWorkflow
from workflows.search_attributes import register_search_attributes
from workflows.triage import TriageDeskWorkflow
from workflows.triage_activities import record_desk_changes

TASK_QUEUE = "journeys-test"


@contextlib.asynccontextmanager
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_time_skipping()
    try:
        yield environment
    finally:
        await environment.shutdown()


@contextlib.asynccontextmanager
async def serving(
    env: WorkflowEnvironment,
    task_queue: str,
    workflows: Sequence[type],
    activities: Sequence[Callable[..., Any]],
) -> AsyncIterator[Client]:
    """A worker for `workflows` on `task_queue`, with the client and search attributes the
    journeys need; the environment's client while it runs."""
    await registered_client()
    await register_search_attributes(env.client, env.client.namespace)
    async with Worker(
        env.client, task_queue=task_queue, workflows=workflows, activities=activities
    ):
        yield env.client


@pytest.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping() as environment:
        yield environment


@pytest.fixture(scope="session")
async def client(env: WorkflowEnvironment, database: str) -> AsyncIterator[Client]:
    workflows = [JourneyWorkflow, TriageDeskWorkflow]
    activities: list[Callable[..., Any]] = [record_journey_change, record_desk_changes]
    async with serving(env, TASK_QUEUE, workflows, activities) as served:
        yield served
