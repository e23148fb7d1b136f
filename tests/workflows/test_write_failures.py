"""A read-model write that keeps failing (a locked or unreachable database) never costs a step:
the journey keeps the change, writes it later, and a retried action converges on its result."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.worker import Worker
from tortoise.exceptions import OperationalError

from domain.journey.facts import JourneyChange
from domain.journey.stages import Stage
from domain.store.models import Journey, JourneyEvent
from domain.store.projection import apply_change
from tests.support import assign, journey_start
from workflows.journey import JourneyWorkflow

LOCAL_ATTEMPTS = 3  # the fast path's attempts (the local activity's retry policy)
WAIT_FOR_READ_MODEL = 30.0


class LockedDatabase:
    """The real writer, behind a database that refuses the first tries of chosen events."""

    def __init__(self) -> None:
        self.failures: dict[int, int] = {}  # event seq -> how many tries of it are refused
        self.refused: Counter[tuple[str, int]] = Counter()

    @activity.defn(name="record_journey_change")
    async def record(self, change: JourneyChange) -> None:
        key = (change.event.journey_id, change.event.seq)
        if self.refused[key] < self.failures.get(change.event.seq, 0):
            self.refused[key] += 1
            raise OperationalError("database is locked")
        await apply_change(change)


@pytest.fixture
async def locked(client: Client) -> AsyncIterator[tuple[LockedDatabase, str]]:
    database, queue = LockedDatabase(), f"locked-{uuid.uuid4().hex[:8]}"
    async with Worker(
        client, task_queue=queue, workflows=[JourneyWorkflow], activities=[database.record]
    ):
        yield database, queue


async def _event_written(journey_id: str, seq: int) -> None:
    async with asyncio.timeout(WAIT_FOR_READ_MODEL):
        while not await JourneyEvent.exists(journey_id=journey_id, seq=seq):
            await asyncio.sleep(0.05)


async def test_an_action_whose_write_fails_still_succeeds_and_its_retry_converges(
    client: Client, locked: tuple[LockedDatabase, str]
) -> None:
    # Given a journey in triage whose next read-model write will fail every fast-path attempt
    database, queue = locked
    start = journey_start()
    handle = await client.start_workflow(
        JourneyWorkflow.run, start, id=start.journey_id, task_queue=queue
    )
    await handle.execute_update(JourneyWorkflow.opened)
    database.failures = {3: LOCAL_ATTEMPTS}

    # When the consultant is assigned, and the same update is sent again with its id
    first = await handle.execute_update(JourneyWorkflow.act, assign(), id="assign-once")
    again = await handle.execute_update(JourneyWorkflow.act, assign(), id="assign-once")

    # Then both answers are the one success, and the change reaches the read model once
    assert (first.stage, first.event_seq) == (Stage.CONSULTATION, 3)
    assert again == first
    assert database.refused[(start.journey_id, 3)] == LOCAL_ATTEMPTS
    await _event_written(start.journey_id, 3)
    assigned = JourneyEvent.filter(journey_id=start.journey_id, action="assign_consultant")
    assert await assigned.count() == 1
    facts = await handle.query(JourneyWorkflow.facts)
    assert facts.stage is Stage.CONSULTATION and facts.event_seq == 3


async def test_a_journey_whose_opening_write_fails_keeps_running(
    client: Client, locked: tuple[LockedDatabase, str]
) -> None:
    # Given a database that refuses the journey's first event on every fast-path attempt, and
    # on the first tries after that
    database, queue = locked
    database.failures = {1: 2 * LOCAL_ATTEMPTS}
    start = journey_start()

    # When the journey starts
    handle = await client.start_workflow(
        JourneyWorkflow.run, start, id=start.journey_id, task_queue=queue
    )
    opened = await handle.execute_update(JourneyWorkflow.opened)

    # Then it opened, is still running, and its opening events reach the read model in order
    assert opened.stage is Stage.TRIAGE
    await _event_written(start.journey_id, 2)
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
    row = await Journey.get(id=start.journey_id)
    assert (row.stage, row.last_event_seq) == (Stage.TRIAGE.value, 2)
    assert database.refused[(start.journey_id, 1)] == 2 * LOCAL_ATTEMPTS
