"""A staff action is judged by the journey as the clock has it, not as its queued timer work
has left it.

A follow-up's timer can be delivered in the same workflow task as a staff action, or queued
behind the lock while the action is judged: after a worker died between writing the falling due
to the read model and reporting its task (staff saw the follow-up due and acted), or while a
read-model write holds the lock. The action on the due follow-up was refused as not due.

Lined up as in test_timer_races: a held read-model write keeps the lock while the first
follow-up's timer fires (real clock, seconds apart), then the call on that follow-up arrives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio.client import Client, WorkflowUpdateStage
from temporalio.worker import Worker

from domain.journey.codec import facts_to_json
from domain.journey.stages import FollowUpStatus, Stage
from domain.journey.table import Action
from tests.support import SUPERVISOR, call, journey_start, path, request
from tests.workflows.drive import walk
from tests.workflows.test_replay import replay
from tests.workflows.test_timer_races import WRITES, _fired_and_delivered, _until, held_writer
from workflows.journey import JourneyWorkflow

TASK_QUEUE = "journeys-due-by-the-clock"


@pytest.fixture
async def held_client(client: Client) -> AsyncIterator[Client]:
    WRITES.set()
    async with Worker(
        client, task_queue=TASK_QUEUE, workflows=[JourneyWorkflow], activities=[held_writer]
    ):
        yield client
    WRITES.set()


async def test_a_call_on_a_follow_up_whose_timer_work_is_queued_is_taken(
    held_client: Client,
) -> None:
    # Given a journey in follow-up whose first call falls due a second after handover
    start = journey_start(offsets=[1, 60])
    handle = await held_client.start_workflow(
        JourneyWorkflow.run,
        start,
        id=start.journey_id,
        task_queue=TASK_QUEUE,
        task_timeout=timedelta(seconds=1),
    )
    await handle.execute_update(JourneyWorkflow.opened)
    await walk(handle, path())
    # And a supervisor's nudge whose read-model write is held, while that timer fires
    WRITES.clear()
    act, accepted = JourneyWorkflow.act, WorkflowUpdateStage.ACCEPTED
    nudge = await handle.start_update(
        act, request(Action.NUDGE, SUPERVISOR), wait_for_stage=accepted
    )
    await _until(lambda: _fired_and_delivered(handle, 1), "the first follow-up's timer")
    # When follow-up staff make the due call (refused as not due before the fix)
    done = await handle.start_update(act, call("fu-1", satisfaction=5), wait_for_stage=accepted)
    WRITES.set()
    # Then it is taken, after the follow-up fell due
    assert (await nudge.result()).stage is Stage.FOLLOW_UP
    assert (await done.result()).stage is Stage.FOLLOW_UP
    facts = await handle.query(JourneyWorkflow.facts)
    assert [f.status for f in facts.follow_ups] == [FollowUpStatus.DONE, FollowUpStatus.SCHEDULED]
    await handle.execute_update(act, request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR))
    result = await handle.result()
    # And its history replays to the same state
    history = await handle.fetch_history()
    recording = {"workflow_id": handle.id, "history": history.to_json_dict()}
    assert facts_to_json(await replay(recording)) == facts_to_json(result)
