"""A journey's own timer must not fail the journey when staff actions get there first.

The workflow decides a timer's action (a follow-up falling due, an SLA breach) before it waits
for the lock that staff updates hold while their read-model write is in flight. If an update
queued ahead of it ends the journey, the timer's action is refused under the lock, and that
refusal is raised from the workflow's run method: the whole journey fails.

To line this up the test holds the read-model writer (a slow database) and gives the workflow a
one-second task timeout, so the worker heartbeats the workflow task while the write is held and
the server can deliver the second update and the timer meanwhile. The real clock runs here: the
follow-ups are seconds apart.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateStage
from temporalio.worker import Worker

from domain.journey.facts import JourneyChange
from domain.journey.stages import FollowUpStatus, Stage
from domain.journey.table import Action
from domain.store.projection import apply_change
from tests.support import SUPERVISOR, journey_start, path, request
from tests.workflows.drive import Handle, walk
from workflows.journey import JourneyWorkflow

TASK_QUEUE = "journeys-held-writes"
WRITES = asyncio.Event()


@activity.defn(name="record_journey_change")
async def held_writer(change: JourneyChange) -> None:
    """The read-model writer, held while the test keeps WRITES cleared."""
    await WRITES.wait()
    await apply_change(change)


@pytest.fixture
async def held_client(client: Client) -> AsyncIterator[Client]:
    WRITES.set()
    async with Worker(
        client, task_queue=TASK_QUEUE, workflows=[JourneyWorkflow], activities=[held_writer]
    ):
        yield client
    WRITES.set()


async def _until(probe: object, what: str, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await probe():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"waited {seconds}s for {what}")


async def _fired_and_delivered(handle: Handle, timers: int) -> bool:
    """`timers` timers have fired and a workflow task has run since the last of them."""
    kinds = [e.event_type for e in (await handle.fetch_history()).events]
    fired = [i for i, kind in enumerate(kinds) if kind is EventType.EVENT_TYPE_TIMER_FIRED]
    done = EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    return len(fired) >= timers and done in kinds[fired[timers - 1] :]


async def test_a_follow_up_falling_due_behind_a_closing_supervisor_does_not_fail_the_journey(
    held_client: Client,
) -> None:
    # Given a journey in follow-up whose first call fell due; the second falls due 5 s after
    # handover, by the real clock
    start = journey_start(offsets=[1, 5])
    handle = await held_client.start_workflow(
        JourneyWorkflow.run,
        start,
        id=start.journey_id,
        task_queue=TASK_QUEUE,
        task_timeout=timedelta(seconds=1),
    )
    await handle.execute_update(JourneyWorkflow.opened)
    await walk(handle, path())

    async def first_due() -> bool:
        facts = await handle.query(JourneyWorkflow.facts)
        return facts.follow_ups[0].status is FollowUpStatus.DUE

    await _until(first_due, "the first follow-up to fall due")
    # When the database stalls on a supervisor's nudge, the supervisor closes the follow-ups
    # meanwhile, and the second follow-up falls due while both wait for the first write
    WRITES.clear()
    act = JourneyWorkflow.act
    accepted = WorkflowUpdateStage.ACCEPTED
    nudge = await handle.start_update(
        act, request(Action.NUDGE, SUPERVISOR), wait_for_stage=accepted
    )
    close = await handle.start_update(
        act, request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR), wait_for_stage=accepted
    )
    assert not await _fired_and_delivered(handle, 2), "the close must be queued first"
    await _until(lambda: _fired_and_delivered(handle, 2), "the second follow-up's timer")
    WRITES.set()
    # Then both actions are answered and the journey completes (today the run fails instead)
    assert (await nudge.result()).stage is Stage.FOLLOW_UP
    assert (await close.result()).stage is Stage.COMPLETED
    facts = await handle.result()
    assert facts.stage is Stage.COMPLETED
