"""Durability: the worker is killed (SIGKILL) mid-journey, another takes over, nothing is lost.

The worker runs as its own OS process (`python -m server.cli worker`) against the same Temporal
dev server, task queue and database as the API under test.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.models import JourneyEvent
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, Staff
from tests.api.test_journey import FULL_HISTORY

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 30  # seconds for a new worker process to poll the task queue
STOP_TIMEOUT = 10  # seconds between SIGTERM and SIGKILL when cleaning up
WORKER = ("-m", "server.cli", "worker")
DESCRIBE_TIMEOUT = 5  # seconds for one look at the task queue's pollers
TRANSIENT_RPC = {
    RPCStatusCode.CANCELLED,
    RPCStatusCode.DEADLINE_EXCEEDED,
    RPCStatusCode.UNAVAILABLE,
}


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the kernel SIGTERMs the worker if this test process dies without stopping it."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class WorkerProcess:
    """`glowpath worker` (or another worker ``command``) in a child process, stopped by its pid."""

    def __init__(
        self, env: dict[str, str], log_path: Path, command: tuple[str, ...] = WORKER
    ) -> None:
        self.env = env
        self.log_path = log_path
        self.command = command
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> int:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *self.command],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when a machine dies."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=STOP_TIMEOUT) == -signal.SIGKILL

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)

    def log_tail(self) -> str:
        lines = (
            self.log_path.read_text(errors="replace").splitlines() if self.log_path.exists() else []
        )
        return "\n".join(lines[-30:])


async def poller_identities(client: Client, task_queue: str) -> list[str]:
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    response = await client.workflow_service.describe_task_queue(
        request, timeout=timedelta(seconds=DESCRIBE_TIMEOUT)
    )
    return [poller.identity for poller in response.pollers]


async def wait_polling(client: Client, task_queue: str, worker: WorkerProcess) -> None:
    """Until Temporal sees this very process (identity `pid@host`) polling (bounded).

    A dev server beside a full test suite now and then cancels or times out one describe call
    ("operation was canceled"): that is one look that saw nothing, not a failed test."""
    assert worker.process is not None
    prefix = f"{worker.process.pid}@"
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.log_tail()}")
        try:
            identities = await poller_identities(client, task_queue)
        except RPCError as error:
            if error.status not in TRANSIENT_RPC:
                raise
            identities = []
        if any(i.startswith(prefix) for i in identities):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the worker did not poll within {READY_TIMEOUT} s:\n{worker.log_tail()}")


@pytest.mark.slow
async def test_a_killed_worker_loses_no_step(
    isolated: tuple[Api, str, dict[str, str]],
    temporal_env: WorkflowEnvironment,
    staff: dict[Role, Staff],
    tmp_path: Path,
) -> None:
    api, task_queue, env = isolated
    client = temporal_env.client
    driver = JourneyDriver(api, staff)
    first = WorkerProcess(env, tmp_path / "worker-1.log")
    second = WorkerProcess(env, tmp_path / "worker-2.log")
    try:
        # Given a worker process serving the journeys
        first.start()
        await wait_polling(client, task_queue, first)
        # And a journey driven as far as payment (the worker holds it in its cache)
        journey = await driver.drive_to("PAYMENT")
        jid = journey["id"]
        before = len(journey["history"])

        # When the worker is killed outright, and another one is started
        first.kill()
        second.start()
        await wait_polling(client, task_queue, second)

        # Then the journey carries on to the end, timers included
        journey = await driver.drive_to("FOLLOW_UP", journey)
        journey = await driver.wait_until_due(jid, count=2, timeout=60)
        await driver.complete_follow_up(jid, "fu-1")
        journey = await driver.complete_follow_up(jid, "fu-2")
    finally:
        first.stop()
        second.stop()

    assert (journey["stage"], journey["outcome"]) == ("COMPLETED", "COMPLETED")
    # And no step was lost or done twice: seqs 1..N, each action as often as the path has it
    history = journey["history"]
    assert [e["seq"] for e in history] == list(range(1, len(FULL_HISTORY) + 1))
    assert [(e["action"], e["fromStage"], e["toStage"], e["actorRole"]) for e in history] == (
        FULL_HISTORY
    )
    assert Counter(e["action"] for e in history) == Counter(row[0] for row in FULL_HISTORY)
    assert before == 7  # start, check-in, assign, consult, review, approve, consent
    # And the read model holds exactly those events, once each
    type_name, _, raw_id = base64.b64decode(jid).decode().partition(":")
    assert type_name == "Journey"
    rows = await JourneyEvent.filter(journey_id=raw_id).order_by("seq")
    assert [(r.seq, r.action) for r in rows] == [
        (seq, row[0]) for seq, row in enumerate(FULL_HISTORY, start=1)
    ]
