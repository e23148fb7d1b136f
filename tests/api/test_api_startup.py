"""`glowpath api` started before Temporal: it serves and waits for it as the worker does (says so
once, retries with back-off), `/healthz` alive, `/readyz` 503, a journey's start answered with
the typed `Unavailable`; ready once Temporal comes up. Before, it exited 1 at once, and in compose
or Kubernetes crash-looped until Temporal was up; SIGTERM ends the wait cleanly."""

from __future__ import annotations

from typing import Any

import aiohttp

from domain.roles import Role
from tests.api import documents
from tests.api.conftest import SECRET_KEY
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api
from tests.api.test_operations import free_port
from tests.api.test_processes import environment, records, stop, wait_ready
from tests.api.test_worker_startup import (
    ANSWERED,
    RETRYING,
    UNREACHABLE,
    count,
    readiness,
    wait_for_log,
)
from tests.support import start_dev_server

START_JOURNEY = documents.START_JOURNEY.replace(
    "... on UserError { code message }",
    "... on UserError { code message }\n  ... on Unavailable { retryAfterSeconds }",
)


def waiting_api_env(database: str, temporal_port: int, http_port: int) -> dict[str, str]:
    # DEBUG shows each retry, so the test can wait for several without guessing their timing.
    env = environment(
        database,
        f"127.0.0.1:{temporal_port}",
        GLOWPATH_HTTP_PORT=str(http_port),
        GLOWPATH_LOG_LEVEL="DEBUG",
    )
    env.update(GLOWPATH_SECRET_KEY=SECRET_KEY)  # the tests' staff tokens are signed with it
    return env


async def test_api_serves_while_it_waits_for_temporal_and_is_ready_once_it_answers(
    driver: JourneyDriver, start: Any, database: str
) -> None:
    temporal_port, http_port = free_port(), free_port()
    base = f"http://127.0.0.1:{http_port}"
    client_id = await driver.register_client()
    # Given an API started while nothing listens on Temporal's port
    process, log = start("api", waiting_api_env(database, temporal_port, http_port))

    # Then it stays up, retrying, and says so once
    await wait_for_log(log, process, RETRYING, times=2)
    assert count(log, UNREACHABLE) == 1
    # alive, not ready: the database answers, Temporal does not
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/healthz") as answer:
            assert answer.status == 200
    status, body = await readiness(f"{base}/readyz")
    assert status == 503
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["temporal"]["status"] == "error"
    # and a journey's start is answered as data: Unavailable, to send again with its key
    waiting = JourneyDriver(Api(f"{base}/graphql"), driver.staff)
    key = new_key()
    result = await waiting.act(
        START_JOURNEY, Role.FRONT_DESK, clientId=client_id, idempotencyKey=key
    )
    assert result["__typename"] == "Unavailable", result
    assert result["code"] == "UNAVAILABLE"
    assert result["retryAfterSeconds"] > 0

    # When Temporal starts on that port
    temporal = await start_dev_server(
        ip="127.0.0.1",
        port=temporal_port,
        dev_server_log_level="error",
    )
    try:
        # Then the API reaches it and reports ready
        await wait_ready(f"{base}/readyz", process, log)
        status, body = await readiness(f"{base}/readyz")
        assert status == 200
        assert {name: check["status"] for name, check in body["checks"].items()} == {
            "database": "ok",
            "temporal": "ok",
            "photo_store": "ok",
        }
        # and says it waited (its next attempt, up to 10 s on, may come after a probe's)
        await wait_for_log(log, process, ANSWERED, times=1)
        assert await stop(process) == 0
    finally:
        await temporal.shutdown()
    assert count(log, UNREACHABLE) == 1
    assert count(log, ANSWERED) == 1
    assert not [r for r in records(log) if "exception" in r], log.read_text()


async def test_sigterm_ends_the_api_s_wait_for_temporal(start: Any, database: str) -> None:
    temporal_port, http_port = free_port(), free_port()
    process, log = start("api", waiting_api_env(database, temporal_port, http_port))
    await wait_for_log(log, process, UNREACHABLE, times=1)

    assert await stop(process) == 0

    assert count(log, ANSWERED) == 0
    assert any("API stopping" in r["message"] for r in records(log)), log.read_text()
    assert not [r for r in records(log) if "exception" in r], log.read_text()
