"""`glowpath worker` started before Temporal: it waits, says so once, retries with back-off, and
becomes ready when Temporal comes up; SIGTERM ends the wait cleanly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp

from tests.api.test_operations import free_port
from tests.api.test_processes import START_TIMEOUT, environment, records, stop, wait_ready
from tests.support import start_dev_server

UNREACHABLE = "is unreachable"
RETRYING = "still unreachable"
ANSWERED = "answered after"


def count(log: Path, words: str) -> int:
    return sum(words in record["message"] for record in records(log))


async def wait_for_log(log: Path, process: Any, words: str, times: int) -> None:
    """Until ``words`` were logged ``times`` times; the process must stay up meanwhile."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        if count(log, words) >= times:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{words!r} not logged {times} times:\n{log.read_text()}")


async def readiness(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as answer:
            body: dict[str, Any] = await answer.json()
            return answer.status, body


def waiting_worker_env(database: str, temporal_port: int, probe_port: int) -> dict[str, str]:
    # DEBUG shows each retry, so the test can wait for several without guessing their timing.
    return environment(
        database,
        f"127.0.0.1:{temporal_port}",
        GLOWPATH_WORKER_HTTP_PORT=str(probe_port),
        GLOWPATH_LOG_LEVEL="DEBUG",
    )


async def test_worker_waits_for_temporal_and_becomes_ready_when_it_starts(
    start: Any, database: str
) -> None:
    temporal_port, probe_port = free_port(), free_port()
    readyz = f"http://127.0.0.1:{probe_port}/readyz"
    # Given a worker started while nothing listens on Temporal's port
    process, log = start("worker", waiting_worker_env(database, temporal_port, probe_port))

    # Then it stays up, retrying, and says so once
    await wait_for_log(log, process, RETRYING, times=3)
    assert count(log, UNREACHABLE) == 1
    status, body = await readiness(readyz)
    assert status == 503
    assert body["checks"]["worker"]["status"] == "error"

    # When Temporal starts on that port
    temporal = await start_dev_server(
        ip="127.0.0.1",
        port=temporal_port,
        dev_server_log_level="error",
    )
    try:
        # Then the worker connects and reports ready
        await wait_ready(readyz, process, log)
        status, body = await readiness(readyz)
        assert status == 200
        assert {name: check["status"] for name, check in body["checks"].items()} == {
            "database": "ok",
            "temporal": "ok",
            "worker": "ok",
        }
        assert await stop(process) == 0
    finally:
        await temporal.shutdown()
    assert count(log, UNREACHABLE) == 1
    assert count(log, ANSWERED) == 1
    assert not [r for r in records(log) if "exception" in r], log.read_text()


async def test_sigterm_ends_the_wait_for_temporal(start: Any, database: str) -> None:
    temporal_port, probe_port = free_port(), free_port()
    process, log = start("worker", waiting_worker_env(database, temporal_port, probe_port))
    await wait_for_log(log, process, UNREACHABLE, times=1)

    assert await stop(process) == 0

    assert count(log, ANSWERED) == 0
    assert not [r for r in records(log) if "exception" in r], log.read_text()
