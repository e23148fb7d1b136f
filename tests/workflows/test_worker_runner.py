"""The production worker's runner: the sandbox, asking no payload context when none is read.

`workflows.runner` answers the worker's per-payload context questions at once instead of inside
the sandbox. That is only sound while no codec or external store reads the answers, and only
safe if every workflow still runs and writes the same histories.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import PayloadCodec
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.models import Journey
from tests.support import CONSULTANT, DESK, journey_start, replayer, request
from workflows.converter import DATA_CONVERTER
from workflows.journey import JourneyWorkflow
from workflows.runner import ContextFreeRunner, runner_for
from workflows.worker import build_worker


class Unchanged(PayloadCodec):
    """A codec that changes nothing: what matters is that one is configured."""

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return list(payloads)

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return list(payloads)


def test_the_contexts_are_skipped_only_while_nothing_reads_them() -> None:
    sandbox = SandboxedWorkflowRunner()
    with_codec = dataclasses.replace(DATA_CONVERTER, payload_codec=Unchanged())
    # Glowpath's converter: no codec, no external store, so no question needs its answer
    assert isinstance(runner_for(DATA_CONVERTER, sandbox), ContextFreeRunner)
    # A codec may encrypt per workflow or per activity: then every context is asked for
    assert runner_for(with_codec, sandbox) is sandbox


async def test_a_journey_runs_in_the_production_worker_and_replays_in_the_plain_sandbox(
    client: Client,
) -> None:
    # Given the worker `glowpath worker` runs, on a task queue of this test's own
    queue = f"runner-{uuid.uuid4().hex[:8]}"
    start = journey_start()
    async with build_worker(client, queue):
        # When a journey starts and a step moves it on
        handle = await client.start_workflow(
            JourneyWorkflow.run, start, id=start.journey_id, task_queue=queue
        )
        await handle.execute_update(JourneyWorkflow.opened)  # checked in, as the API waits
        moved = await handle.execute_update(
            JourneyWorkflow.act,
            request(Action.ASSIGN_CONSULTANT, DESK, consultant_id=CONSULTANT.user_id),
        )
        facts = await handle.query(JourneyWorkflow.facts)
    history = await handle.fetch_history()
    # Then the step is answered, queried and in the read model, as under the plain sandbox
    assert moved.stage is Stage.CONSULTATION
    assert facts.stage is Stage.CONSULTATION
    assert (await Journey.get(id=start.journey_id)).stage == Stage.CONSULTATION.value
    # And the history it wrote replays, without a difference, in the SDK's own sandbox
    replayed = await replayer(JourneyWorkflow).replay_workflow(history)
    assert replayed.replay_failure is None
