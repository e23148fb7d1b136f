"""Operating the API: health, readiness, metrics, request ids and CORS, on the real server."""

from __future__ import annotations

import dataclasses
import random
import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from multidict import CIMultiDict
from temporalio.testing import WorkflowEnvironment
from tortoise.context import TortoiseContext

from domain.store.db import tortoise_config
from tests.api.conftest import api_settings
from tests.api.harness import Api, eventually, running_api
from tests.api.outage import BreakableDatabase
from workflows.connect import connect

SPA = "https://spa.example"


def base(api: Api) -> str:
    return api.url.removesuffix("/graphql")


async def get(url: str, **headers: str) -> tuple[int, CIMultiDict[str], str]:
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as answer:
        return answer.status, answer.headers.copy(), await answer.text()


async def test_healthz_answers_without_touching_dependencies(api: Api) -> None:
    status, _, body = await get(base(api) + "/healthz")
    assert (status, body) == (200, '{"status": "ok"}')


async def test_readyz_reports_each_check(api: Api) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(base(api) + "/readyz") as answer:
            assert answer.status == 200
            body = await answer.json()
    assert body["status"] == "ready"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "temporal": "ok",
        "photo_store": "ok",
    }


@pytest.fixture
async def breakable(database: str, tmp_path: Path) -> AsyncIterator[BreakableDatabase]:
    db = BreakableDatabase(database, tmp_path)
    await db.start()
    yield db
    await db.stop()


async def test_readyz_fails_while_the_database_is_down_and_recovers(
    breakable: BreakableDatabase, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given a second API whose read-model connection goes through something we can break
    settings = api_settings(breakable.url, temporal_address, "readiness")
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(breakable.url))
        async with running_api(settings, temporal_env.client) as second:
            ready = base(second) + "/readyz"
            assert (await get(ready))[0] == 200
            # When the database goes away
            await breakable.cut()
            status, _, body = await get(ready)
            # Then the API is not ready, says why, and stays alive
            assert status == 503, body
            assert '"database": {"status": "error"' in body or '"status": "timeout"' in body
            assert '"temporal": {"status": "ok"' in body
            assert (await get(base(second) + "/healthz"))[0] == 200
            # And when it is back, so is readiness
            await breakable.restore()
            assert (await get(ready))[0] == 200


def sample(metrics: str, name: str, **labels: str) -> float | None:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", metrics, re.M)
    return float(match.group(1)) if match else None


async def test_metrics_count_each_operation_by_name_and_outcome(api: Api) -> None:
    metrics_url = base(api) + "/metrics"
    labels = {"operation": "OpsProbe", "type": "query"}
    before = sample((await get(metrics_url))[2], "graphql_operations_total", outcome="ok", **labels)
    # When a client runs a named query twice and sends one invalid document
    await api.run("query OpsProbe { __typename }")
    await api.run("query OpsProbe { __typename }")
    async with aiohttp.ClientSession() as session:
        invalid = {"query": "query OpsBroken { noSuchField }"}
        async with session.post(api.url, json=invalid) as answer:
            assert answer.status in (200, 400)
    # Then /metrics counts them by name, type and outcome, and times the queries
    status, headers, text = await get(metrics_url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    after = sample(text, "graphql_operations_total", outcome="ok", **labels)
    assert after == (before or 0) + 2
    invalid_labels = {"operation": "OpsBroken", "type": "query", "outcome": "invalid"}
    assert sample(text, "graphql_operations_total", **invalid_labels)
    assert (sample(text, "graphql_operation_duration_seconds_count", **labels) or 0) >= 2
    # And the read-model gauges are there: every stage, and whether the read model answered
    assert sample(text, "glowpath_read_model_up") is None  # unlabelled: matched below
    assert re.search(r"^glowpath_read_model_up 1\.0$", text, re.M)
    assert sample(text, "glowpath_journeys", stage="TRIAGE") is not None
    assert sample(text, "glowpath_stuck_journeys", stage="TRIAGE") is not None


async def test_request_id_is_echoed_or_made(api: Api) -> None:
    _, headers, _ = await get(base(api) + "/healthz", **{"X-Request-Id": "req-42.a:b"})
    assert headers["X-Request-Id"] == "req-42.a:b"
    _, headers, _ = await get(base(api) + "/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-Id"])
    _, headers, _ = await get(base(api) + "/healthz", **{"X-Request-Id": "not an id " * 20})
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-Id"])


@pytest.fixture
async def spa_api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Api]:
    settings = api_settings(database, temporal_address, "cors")
    settings = dataclasses.replace(settings, cors_origins=(SPA,))
    async with running_api(settings, temporal_env.client) as running:
        yield running


async def preflight(api: Api, origin: str) -> aiohttp.ClientResponse:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    async with aiohttp.ClientSession() as session:
        async with session.options(api.url, headers=headers) as answer:
            await answer.read()
            return answer


async def test_cors_preflight_from_an_allowed_origin(spa_api: Api) -> None:
    answer = await preflight(spa_api, SPA)
    assert answer.status == 204
    assert answer.headers["Access-Control-Allow-Origin"] == SPA
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in answer.headers["Access-Control-Allow-Headers"]
    # And the actual request gets the header too, with the request id readable by the page
    async with aiohttp.ClientSession() as session:
        body = {"query": "{ __typename }"}
        async with session.post(spa_api.url, json=body, headers={"Origin": SPA}) as post:
            assert post.status == 200
            assert post.headers["Access-Control-Allow-Origin"] == SPA
            assert post.headers["Access-Control-Expose-Headers"] == "X-Request-Id"


async def test_cors_preflight_from_another_origin_is_refused(spa_api: Api) -> None:
    answer = await preflight(spa_api, "https://evil.example")
    assert answer.status == 403
    assert "Access-Control-Allow-Origin" not in answer.headers


async def test_websocket_origin_check(spa_api: Api) -> None:
    async def handshake(origin: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(
                    spa_api.ws_url, protocols=["graphql-transport-ws"], origin=origin
                ) as ws:
                    await ws.close()
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    assert await handshake("https://evil.example") == 403
    assert await handshake(SPA) == 101
    same_origin = spa_api.url.removesuffix("/graphql")
    assert await handshake(same_origin) == 101


_HANDED_OUT: set[int] = set()
# Below the kernel's range for ports it hands out itself (32768 to 60999 on Linux): an outgoing
# connection (to PostgreSQL, to Temporal) or a listener on port 0 of any process takes its port
# from that range, and one took a port this function had picked before the process it was for
# bound it ("address already in use", with the suites running side by side).
_PICKED_FROM = range(10_000, 32_000)
_picker = random.Random()


def free_port() -> int:
    """A port nothing listens on now, never one this process handed out before: the kernel may
    give a port just closed again, and two processes of one test told the same port (a worker's
    and an API's) left the API unbound while the worker answered its readiness check."""
    while True:
        port = _picker.choice(_PICKED_FROM)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:  # something listens there
                continue
        _HANDED_OUT.add(port)
        return port


async def test_temporal_sdk_metrics_are_served(temporal_address: str) -> None:
    bind = f"127.0.0.1:{free_port()}"
    client = await connect(temporal_address, "default", metrics_bind=bind)
    await client.count_workflows()
    # The exporter serves the request's count once it has collected it: polled, bounded
    status, _, _ = await eventually(
        lambda: get(f"http://{bind}/metrics"),
        lambda answer: "temporal_request" in answer[2],
        timeout=30,
        what="the SDK's request count on its metrics endpoint",
    )
    assert status == 200
