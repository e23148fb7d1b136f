"""The floor's step through GraphQL: the least a mutation costs on the stack Glowpath is built on.

A schema of the benchmark's own, Strawberry on aiohttp with Strawberry's defaults and its stock
parse and validation caches (validating even this one-line document takes graphql-core about a
millisecond; Glowpath's API caches both too), and nothing else: no other extension, no
middleware, no database. One mutation runs the floor's `step` update (`bench.floor`) and answers
its result. What it adds to the bare update is what Strawberry,
graphql-core, aiohttp and an HTTP client cost for any mutation, before Glowpath adds anything;
what Glowpath's mutation adds to *it* is Glowpath's own layer (token, permissions, input checks,
idempotency, draft record, audit).

    async with floor_graphql_server(client) as url:
        await GraphQLClient(session, url).call(FLOOR_STEP, {"workflowId": workflow_id})
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import strawberry
from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import Info
from temporalio.client import Client

from bench.floor import FloorWorkflow
from bench.stack import HOST, _os_free_port

FLOOR_STEP = "mutation FloorStep($workflowId: String!) { step(workflowId: $workflowId, n: 1) }"


@strawberry.type
class FloorQuery:
    @strawberry.field
    def ready(self) -> bool:
        return True  # GraphQL requires a query root; the benchmark only mutates


@strawberry.type
class FloorMutation:
    @strawberry.mutation
    async def step(self, info: Info[dict[str, Any], None], workflow_id: str, n: int) -> int:
        client: Client = info.context["temporal"]
        handle = client.get_workflow_handle(workflow_id)
        answer: int = await handle.execute_update(FloorWorkflow.step, n, id=str(uuid.uuid4()))
        return answer


class _FloorView(GraphQLView[dict[str, Any], None]):
    def __init__(self, temporal: Client) -> None:
        schema = strawberry.Schema(
            query=FloorQuery, mutation=FloorMutation, extensions=[ParserCache, ValidationCache]
        )
        super().__init__(schema=schema)
        self.temporal = temporal

    async def get_context(self, request: web.Request, response: Any) -> dict[str, Any]:
        return {"temporal": self.temporal}


@contextlib.asynccontextmanager
async def floor_graphql_server(client: Client) -> AsyncIterator[str]:
    """Serves the floor's schema on a free loopback port; yields its URL."""
    app = web.Application()
    app.router.add_route("*", "/graphql", _FloorView(client))
    runner = web.AppRunner(app)
    await runner.setup()
    port = _os_free_port()
    await web.TCPSite(runner, HOST, port).start()
    try:
        yield f"http://{HOST}:{port}/graphql"
    finally:
        await runner.cleanup()
