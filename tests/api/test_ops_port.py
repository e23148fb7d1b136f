"""Safe defaults outside `glowpath dev`: the public port serves only /graphql when the operations
port is set, and introspection and GraphiQL are off unless turned on. Real `glowpath api` and
`glowpath worker` processes, as deployed."""

from __future__ import annotations

from typing import Any

import aiohttp

from tests.api.test_operations import free_port
from tests.api.test_processes import environment, stop, wait_ready

INTROSPECTION = {"query": "query Schema { __schema { queryType { name } } }"}


async def _status(session: aiohttp.ClientSession, url: str, **headers: str) -> tuple[int, str]:
    async with session.get(url, headers=headers) as answer:
        return answer.status, await answer.text()


async def test_api_serves_operations_on_their_own_port_and_nothing_else_publicly(
    start: Any, database: str, temporal_address: str
) -> None:
    # Given `glowpath api` with an operations port and no introspection or GraphiQL setting
    public, ops = free_port(), free_port()
    env = environment(
        database, temporal_address, GLOWPATH_HTTP_PORT=str(public), GLOWPATH_OPS_PORT=str(ops)
    )
    process, log = start("api", env)
    await wait_ready(f"http://127.0.0.1:{ops}/readyz", process, log)
    async with aiohttp.ClientSession() as session:
        # Then the operations port answers all three
        assert (await _status(session, f"http://127.0.0.1:{ops}/healthz"))[0] == 200
        status, metrics = await _status(session, f"http://127.0.0.1:{ops}/metrics")
        assert status == 200
        assert "glowpath_event_loop_lag_seconds" in metrics
        # And the public port answers none of them, only GraphQL
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await _status(session, f"http://127.0.0.1:{public}{path}"))[0] == 404, path
        graphql = f"http://127.0.0.1:{public}/graphql"
        async with session.post(graphql, json={"query": "{ __typename }"}) as answer:
            assert (answer.status, await answer.json()) == (200, {"data": {"__typename": "Query"}})
        # And introspection is refused, GraphiQL not served
        async with session.post(graphql, json=INTROSPECTION) as answer:
            body = await answer.json()
        assert body.get("data") is None
        assert "introspection" in body["errors"][0]["message"].lower()
        status, text = await _status(session, graphql, Accept="text/html")
        assert "graphiql" not in text.lower()
        # And the operations port serves no GraphQL
        assert (await _status(session, f"http://127.0.0.1:{ops}/graphql"))[0] == 404
    assert await stop(process) == 0


async def test_introspection_and_graphiql_when_turned_on(
    start: Any, database: str, temporal_address: str
) -> None:
    port = free_port()
    env = environment(
        database,
        temporal_address,
        GLOWPATH_HTTP_PORT=str(port),
        GLOWPATH_INTROSPECTION="true",
        GLOWPATH_GRAPHIQL="true",
    )
    process, log = start("api", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)  # no ops port: public
    graphql = f"http://127.0.0.1:{port}/graphql"
    async with aiohttp.ClientSession() as session:
        async with session.post(graphql, json=INTROSPECTION) as answer:
            body = await answer.json()
        assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        status, text = await _status(session, graphql, Accept="text/html")
        assert status == 200 and "graphiql" in text.lower()
    assert await stop(process) == 0


async def test_worker_serves_its_probes_on_the_operations_port(
    start: Any, database: str, temporal_address: str
) -> None:
    ops = free_port()
    process, log = start(
        "worker", environment(database, temporal_address, GLOWPATH_OPS_PORT=str(ops))
    )
    await wait_ready(f"http://127.0.0.1:{ops}/readyz", process, log)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{ops}/readyz") as answer:
            checks = (await answer.json())["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "temporal": "ok",
        "worker": "ok",
    }
    assert await stop(process) == 0
