"""The floor every benchmark compares against: a minimal workflow of the benchmark's own.

Glowpath's figures are read as ratios to what Temporal itself costs on the same server, in the same
run. The floor must not be Glowpath's code (or the ratio would drift with it), so it is this tiny
workflow: a `plain` update that returns at once, and a `step` update whose handler awaits one local
activity that does nothing, the shape of a journey step (an update that writes the read model
through a local activity before it answers). `FloorWorkflow` also starts with update-with-start,
the shape of `startJourney`, and its `close` update (a step that ends the run) is the shape of a
journey's closing action: a start, two steps and a close are a journey's Temporal calls.

    async with floor_worker(client, task_queue):
        handle = await start_floor(client, task_queue, "floor-1")
        await handle.execute_update(FloorWorkflow.step, 1)
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client, WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.worker import Worker

FLOOR_TIMEOUT = timedelta(seconds=10)


@activity.defn(name="bench_floor_noop")
async def floor_noop(n: int) -> int:
    return n


@workflow.defn(name="BenchFloor")
class FloorWorkflow:
    def __init__(self) -> None:
        self._done = False
        self._steps = 0

    @workflow.run
    async def run(self) -> int:
        await workflow.wait_condition(lambda: self._done)
        return self._steps

    @workflow.update
    def plain(self, n: int) -> int:
        self._steps += 1
        return n

    @workflow.update
    async def step(self, n: int) -> int:
        return await self._one_step(n)

    @workflow.update
    async def close(self, n: int) -> int:
        """A last step: the run completes once it has answered."""
        answer = await self._one_step(n)
        self._done = True
        return answer

    async def _one_step(self, n: int) -> int:
        self._steps += 1
        return await workflow.execute_local_activity(
            floor_noop, n, start_to_close_timeout=FLOOR_TIMEOUT
        )

    @workflow.signal
    def finish(self) -> None:
        self._done = True


@contextlib.asynccontextmanager
async def floor_worker(client: Client, task_queue: str) -> AsyncIterator[Worker]:
    """A worker for the floor alone, on a task queue of its own (not Glowpath's)."""
    worker = Worker(
        client, task_queue=task_queue, workflows=[FloorWorkflow], activities=[floor_noop]
    )
    async with worker:
        yield worker


async def start_floor(client: Client, task_queue: str, workflow_id: str) -> WorkflowHandle:
    """Starts a floor workflow with its first `step` in the same call (update-with-start)."""
    operation = WithStartWorkflowOperation(
        FloorWorkflow.run,
        id=workflow_id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    await client.execute_update_with_start_workflow(
        FloorWorkflow.step, 0, start_workflow_operation=operation
    )
    return await operation.workflow_handle()


async def _serve(address: str, task_queue: str) -> None:
    """The floor's worker as a process of its own, like `glowpath worker`: it says `ready` on
    stdout once polling, and stops on SIGTERM (pending tasks finish first)."""
    import asyncio
    import signal

    client = await Client.connect(address)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with floor_worker(client, task_queue):
        print("ready", flush=True)
        await stop.wait()


if __name__ == "__main__":  # python -m bench.floor TEMPORAL_ADDRESS TASK_QUEUE
    import asyncio
    import sys

    asyncio.run(_serve(sys.argv[1], sys.argv[2]))
