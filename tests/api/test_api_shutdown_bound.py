"""`glowpath api` on SIGTERM lets in-flight requests run for GLOWPATH_SHUTDOWN_TIMEOUT_SECONDS,
then stops: no longer. aiohttp waits that long for a request, then asks it to stop and waits as
long again, so a request that outlived the grace held the stop for twice the setting, past the
30 s an orchestrator gives at the default of 20 s before it kills the process."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import Client

from domain.roles import Role
from tests.api import documents
from tests.api.harness import Api, create_clinic, sign_in_all
from tests.api.test_operations import free_port
from tests.api.test_processes import environment, wait_ready

GRACE_SECONDS = 8
# The grace, and room for the process to close its database and exit on a busy machine; short
# of twice the grace, which the stop took before.
STOPS_WITHIN = GRACE_SECONDS * 1.5
PROGRESS_TIMEOUT = 30.0


async def test_a_request_that_outlives_the_grace_holds_the_stop_no_longer_than_it(
    start: Any, database: str, temporal_address: str
) -> None:
    # Given an API whose task queue no worker polls: a journey it starts waits for an answer
    # for its 20 s, longer than the grace
    port = free_port()
    env = environment(database, temporal_address, GLOWPATH_HTTP_PORT=str(port))
    env["GLOWPATH_SHUTDOWN_TIMEOUT_SECONDS"] = str(GRACE_SECONDS)
    process, log = start("api", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    api = Api(f"http://127.0.0.1:{port}/graphql")
    clinic = f"stop-{uuid.uuid4().hex[:6]}"
    await create_clinic(clinic, prefix=f"{clinic}-")
    token = (await sign_in_all(api, prefix=f"{clinic}-"))[Role.FRONT_DESK].token
    client = await api.run(
        documents.REGISTER_CLIENT,
        token,
        input={
            "fullName": "Stop Test",
            "birthDate": "1990-01-01",
            "phone": "+48 600 000 003",
            "dataConsent": True,
            "registerAnyway": True,  # shared test data, another person
        },
    )
    client_id = client["registerClient"]["client"]["id"]
    call = asyncio.create_task(
        api.run(documents.START_JOURNEY, token, input={"clientId": client_id})
    )
    # And that request in flight: its journey's workflow exists, waiting for a worker
    temporal = await Client.connect(temporal_address)
    await _until_a_workflow_on(temporal, env["GLOWPATH_TASK_QUEUE"], process, log)
    # When SIGTERM reaches the API
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.to_thread(process.wait, 30)
    except subprocess.TimeoutExpired:
        code = None
    took = time.monotonic() - began
    await asyncio.gather(call, return_exceptions=True)
    # Then it stopped once the grace was over, not twice it
    assert code == 0, log.read_text()
    assert took < STOPS_WITHIN, f"stopped after {took:.1f} s:\n{log.read_text()[-3000:]}"


async def _until_a_workflow_on(
    temporal: Client, task_queue: str, process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + PROGRESS_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        async for _ in temporal.list_workflows(f'TaskQueue="{task_queue}"'):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no workflow on {task_queue} in {PROGRESS_TIMEOUT:.0f} s")
