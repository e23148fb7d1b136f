"""The HTTP server: GraphQL over POST/GET and graphql-transport-ws, plus health endpoints."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from temporalio.client import Client

from domain.store.db import close_db, init_db
from schema.build import build_schema
from schema.context import ApiConfig, Context
from schema.feed import JourneyFeed
from server.settings import Settings
from workflows.client import JourneyGateway

log = logging.getLogger(__name__)

GATEWAY: web.AppKey[JourneyGateway] = web.AppKey("gateway", JourneyGateway)


class GlowpathView(GraphQLView[Context, None]):
    def __init__(
        self, *, gateway: JourneyGateway, config: ApiConfig, feed: JourneyFeed, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.gateway, self.config, self.feed = gateway, config, feed

    async def get_context(self, request: web.Request, response: Any) -> Context:
        return Context(
            gateway=self.gateway,
            config=self.config,
            feed=self.feed,
            authorization=request.headers.get("Authorization"),
            request=request,
            response=response,
        )


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(settings: Settings, temporal: Client) -> web.Application:
    config = ApiConfig(
        secret_key=settings.secret_key,
        token_ttl_seconds=settings.token_ttl_seconds,
        follow_up_offsets=settings.follow_up_schedule,
    )
    gateway = JourneyGateway(temporal, settings.task_queue)
    feed = JourneyFeed()
    view = GlowpathView(
        gateway=gateway,
        config=config,
        feed=feed,
        schema=build_schema(introspection=settings.introspection),
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
    )
    app = web.Application()
    app[GATEWAY] = gateway
    app.router.add_route("*", "/graphql", view)
    app.router.add_get("/healthz", healthz)

    async def stop_feed(_: web.Application) -> None:
        await feed.close()

    app.on_cleanup.append(stop_feed)
    return app


async def serve(settings: Settings) -> None:
    """Runs the API until cancelled (SIGTERM/SIGINT), then closes connections cleanly."""
    await init_db(settings.database_url)
    temporal = await Client.connect(
        settings.temporal_address, namespace=settings.temporal_namespace
    )
    runner = web.AppRunner(create_app(settings, temporal), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.http_host, settings.http_port)
        await site.start()
        log.info("GraphQL on http://%s:%s/graphql", settings.http_host, settings.http_port)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await close_db()
