"""The `glowpath api` and `glowpath worker` processes: JSON logs with request ids, probes, and a
clean exit on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from tests.api.test_operations import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 40.0
STOP_TIMEOUT = 25.0
# Connections per PostgreSQL pool of a process a test starts. The production default (10) times
# the four APIs and the worker of a crowd test, twice when another suite runs beside this one on
# the same server, went past PostgreSQL's 100 connections ("too many clients already").
TEST_POOL_SIZE = 3


def with_small_pool(database: str) -> str:
    """`database` with the test processes' pool size, when it is PostgreSQL and names none."""
    parts = urlsplit(database)
    if not parts.scheme.startswith(("postgres", "asyncpg")) or "maxsize" in parts.query:
        return database
    query = "&".join(filter(None, [parts.query, f"maxsize={TEST_POOL_SIZE}"]))
    return urlunsplit(parts._replace(query=query))


def environment(database: str, temporal_address: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOWPATH_")}
    env.update(
        GLOWPATH_DATABASE_URL=with_small_pool(database),
        GLOWPATH_TEMPORAL_ADDRESS=temporal_address,
        GLOWPATH_TASK_QUEUE=f"process-test-{uuid.uuid4().hex[:8]}",
        GLOWPATH_SECRET_KEY="process-test-secret-" + "k" * 32,
        GLOWPATH_HTTP_HOST="127.0.0.1",
        GLOWPATH_LOG_FORMAT="json",
        GLOWPATH_SHUTDOWN_TIMEOUT_SECONDS="5",
        **extra,
    )
    return env


async def wait_ready(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = START_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as answer:
                    if answer.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):  # not up yet, or slow on a busy machine
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"{url} not ready in {timeout:.0f} s:\n{log.read_text()}")


async def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.to_thread(process.wait, STOP_TIMEOUT)


def records(log: Path) -> list[dict[str, Any]]:
    """Every line is one JSON object with the five fields."""
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    for record in parsed:
        assert {"time", "level", "logger", "message", "request_id"} <= set(record), record
    return parsed


async def test_api_logs_json_with_request_ids_and_stops_on_sigterm(
    start: Any, database: str, temporal_address: str
) -> None:
    port = free_port()
    env = environment(database, temporal_address, GLOWPATH_HTTP_PORT=str(port))
    process, log = start("api", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    # When a request fails in a way the server logs
    async with aiohttp.ClientSession() as session:
        body = {"query": "query Broken { noSuchField }"}
        headers = {"X-Request-Id": "process-test-1"}
        async with session.post(f"http://127.0.0.1:{port}/graphql", json=body, headers=headers):
            pass
    # Then SIGTERM stops it cleanly
    assert await stop(process) == 0
    logged = records(log)
    # a refused document is the caller's mistake: logged at INFO, with the request id
    assert any(r["request_id"] == "process-test-1" and r["level"] == "INFO" for r in logged)
    assert any("API stopping" in r["message"] for r in logged)


async def test_worker_serves_probes_and_drains_on_sigterm(
    start: Any, database: str, temporal_address: str
) -> None:
    port = free_port()
    env = environment(database, temporal_address, GLOWPATH_WORKER_HTTP_PORT=str(port))
    process, log = start("worker", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/metrics") as answer:
            assert answer.status == 200
            assert "python_info" in await answer.text()
    assert await stop(process) == 0
    messages = [r["message"] for r in records(log)]
    assert any("Beginning worker shutdown" in m for m in messages), messages
