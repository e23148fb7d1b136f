"""`GLOWPATH_WORKER_MAX_CACHED_WORKFLOWS` reaches `glowpath worker`: with room for two journeys,
the worker keeps two in memory and evicts the others (read from the SDK's own metrics)."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import aiohttp
from temporalio.testing import WorkflowEnvironment

from tests.api.test_operations import free_port
from tests.api.test_processes import START_TIMEOUT, environment, stop, wait_ready
from tests.support import journey_start, registered_client
from workflows.client import JourneyGateway

CACHED = 2
JOURNEYS = 4


async def sticky_cache(metrics_url: str) -> tuple[float, float]:
    """The worker's cached runs now, and how many it has evicted to make room."""
    async with aiohttp.ClientSession() as http:
        async with http.get(metrics_url, timeout=aiohttp.ClientTimeout(total=5)) as answer:
            text = await answer.text()

    def value(name: str) -> float:
        found = re.findall(rf"^temporal_{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)
        return sum(float(v) for v in found)

    return value("sticky_cache_size"), value("sticky_cache_total_forced_eviction")


async def test_the_worker_keeps_no_more_journeys_than_the_setting_allows(
    start: Any, database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    probe, metrics = free_port(), free_port()
    env = environment(
        database,
        temporal_address,
        GLOWPATH_WORKER_HTTP_PORT=str(probe),
        GLOWPATH_TEMPORAL_METRICS_BIND=f"127.0.0.1:{metrics}",
        GLOWPATH_WORKER_MAX_CACHED_WORKFLOWS=str(CACHED),
    )
    process, log = start("worker", env)
    await wait_ready(f"http://127.0.0.1:{probe}/readyz", process, log)
    gateway = JourneyGateway(temporal_env.client, env["GLOWPATH_TASK_QUEUE"])

    # When the worker opens more journeys than it may keep (each then waits at triage)
    for n in range(JOURNEYS):
        client_id = await registered_client(f"cache-client-{n}-{env['GLOWPATH_TASK_QUEUE']}")
        await gateway.start(journey_start(client_id=client_id))

    # Then it holds the allowed number and has evicted the rest (an eviction is counted after
    # the start has answered: polled until the evictions show, bounded)
    url = f"http://127.0.0.1:{metrics}/metrics"
    deadline = time.monotonic() + START_TIMEOUT
    size, evicted = await sticky_cache(url)
    while evicted < JOURNEYS - CACHED and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        size, evicted = await sticky_cache(url)
    # (at least: a journey that wakes again meanwhile is replayed and pushes another one out)
    assert size == CACHED
    assert evicted >= JOURNEYS - CACHED
    assert await stop(process) == 0
