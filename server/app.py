"""The HTTP server: GraphQL over POST/GET and graphql-transport-ws, health and metrics."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta

from aiohttp import web
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

from domain.auth import SigningKeys
from domain.photos.storage import PhotoStore, PhotoStoreError
from domain.store.db import close_db, open_current_db
from schema.auth.hashing import PASSWORD_WORK
from schema.build import build_schema
from schema.clock import Clock, WallClock
from schema.context import ApiConfig, AuthServices
from schema.feed import JourneyFeed
from server import graphiql, middleware, request_body, tracing
from server.health import CHECK_TIMEOUT, CHECKS, Check, add_health_routes
from server.http_mistakes import say_client_mistakes_at_info
from server.http_protocol import AppRunner
from server.metrics import loop_lag_context, metrics_handler
from server.photo_route import add_photo_route
from server.photo_settings import build_photo_store
from server.probes import ops_app, serve_ops
from server.settings import Settings
from server.view import EXECUTION_TIMEOUT_SECONDS, GlowpathView, body_timeout_for
from workflows.client import JourneyGateway
from workflows.connect import connect
from workflows.heap import freeze_start_up_objects
from workflows.reconnect import ATTEMPT_SECONDS, until_reachable
from workflows.update_admission import UpdateSlots

log = logging.getLogger(__name__)

GATEWAY: web.AppKey[JourneyGateway] = web.AppKey("gateway", JourneyGateway)


def create_app(
    settings: Settings,
    temporal: Client,
    auth: AuthServices | None = None,
    *,
    audit_trail: bool = True,
    permissions: bool = True,
    execution_timeout: float = EXECUTION_TIMEOUT_SECONDS,
    body_timeout: float | None = None,
    feed: JourneyFeed | None = None,
    photo_store: PhotoStore | None = None,
    clock: Clock | None = None,
) -> web.Application:
    """The API; `auth` is the sign-in state (throttle, session watch), one per app by default.
    `audit_trail=False` and `permissions=False` only for benchmarks that measure their cost;
    `execution_timeout` bounds each HTTP query and mutation (seconds), `body_timeout` the
    arrival of its body (by default from the largest photo: `body_timeout_for`); `feed` the
    change feed
    of live subscriptions (one per app by default); `photo_store` where photos are kept (by
    default the store the settings choose: the local directory or the S3 bucket); `clock` what
    "now" is for the tasks' overdue state (the wall clock by default)."""
    store = photo_store or build_photo_store(settings)
    config = ApiConfig(
        signing_keys=SigningKeys(settings.secret_key, settings.previous_secret_keys),
        token_ttl_seconds=settings.token_ttl_seconds,
        follow_up_offsets=settings.follow_up_schedule,
        trusted_proxy_hops=settings.trusted_proxy_hops,
        photo_store=store,
        photo_max_bytes=settings.photo_max_bytes,
        photo_link_seconds=settings.photo_link_seconds,
        clock=clock or WallClock(),
    )
    slots = UpdateSlots(settings.journey_updates_in_flight)
    gateway = JourneyGateway(temporal, settings.task_queue, slots=slots)
    feed = feed or JourneyFeed()
    auth = auth or AuthServices()
    view = GlowpathView(
        gateway=gateway,
        config=config,
        feed=feed,
        auth=auth,
        allowed_origins=settings.cors_origins,
        schema=build_schema(settings.introspection, audit_trail, permissions),
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        execution_timeout=execution_timeout,
        body_timeout=body_timeout or body_timeout_for(settings.photo_max_bytes),
        multipart_uploads_enabled=True,
    )
    middlewares = middleware.middlewares(settings.cors_origins)
    span_middleware = tracing.server_span_middleware() if settings.otel_enabled else None
    if span_middleware is not None:
        middlewares.insert(0, span_middleware)
    say_client_mistakes_at_info()
    app = web.Application(middlewares=middlewares, client_max_size=request_body.MAX_BODY_BYTES)
    app.on_response_prepare.append(middleware.add_response_headers)
    app[GATEWAY] = gateway
    app.router.add_route("*", middleware.GRAPHQL_PATH, view)
    add_photo_route(app, config.signing_keys, store)
    if settings.graphiql:
        graphiql.add_asset_routes(app)
    if not settings.ops_port:  # else the operations port serves these (see `serve`)
        add_health_routes(app, temporal)
        checks: Mapping[str, Check] = app[CHECKS]
        app[CHECKS] = {**checks, "photo_store": store.check}
        app.router.add_get("/metrics", metrics_handler(read_model=True))

    async def stop_subscriptions(_: web.Application) -> None:
        await feed.close()
        await auth.watch.close()
        await view.close_sockets()

    async def warm_up_hashing(_: web.Application) -> None:
        # The decoy hash for unknown usernames is made now, not inside the first such sign-in
        # (which would then take twice as long as a wrong password, telling them apart).
        await PASSWORD_WORK.warm_up()

    app.on_startup.append(warm_up_hashing)
    app.cleanup_ctx.append(loop_lag_context)
    app.on_shutdown.append(stop_subscriptions)
    return app


async def probe_photo_store(store: PhotoStore, kind: str) -> None:
    """Says at start whether photos can be stored, and why not. The API still starts: the
    store may come up later, and /readyz reports it (503 until it answers)."""
    try:
        await asyncio.wait_for(store.check(), CHECK_TIMEOUT * 5)
    except (PhotoStoreError, TimeoutError) as exc:
        log.error("photo store (%s) not usable: %s", kind, exc or "no answer in time")
    else:
        log.info("photo store: %s", kind)


async def serve(settings: Settings, *, own_database: bool = True) -> None:
    """Runs the API until cancelled (SIGTERM/SIGINT), then shuts down gracefully: stops
    listening, closes subscriptions, lets in-flight requests finish (up to
    ``shutdown_timeout_seconds``), then closes the database. ``own_database=False``: the
    process opened the database for the API and the worker it runs beside it, and closes it
    once both have stopped (the two share one Tortoise context).

    It serves before Temporal answers, and waits for it as the worker does (`reach_temporal`):
    meanwhile ``/readyz`` answers 503 and what needs Temporal answers `Unavailable`."""
    if own_database:
        await open_current_db(settings.database_url, settings.database_tls)
    temporal = await connect(
        settings.temporal_address,
        settings.temporal_namespace,
        security=settings.temporal_security,
        metrics_bind=settings.temporal_metrics_bind,
        tracing=settings.otel_enabled,
        lazy=True,
    )
    store = build_photo_store(settings)
    await probe_photo_store(store, settings.photo_store)
    runner = AppRunner(
        create_app(settings, temporal, photo_store=store),
        access_log=None,
        shutdown_timeout=settings.shutdown_timeout_seconds,
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.http_host, settings.http_port)
        await site.start()
        log.info("GraphQL on http://%s:%s/graphql", settings.http_host, settings.http_port)
        freeze_start_up_objects()
        async with asyncio.TaskGroup() as group:
            # A refusal (a wrong API key, a certificate Temporal does not take) ends the API,
            # as it did when it connected before serving.
            group.create_task(reach_temporal(temporal, settings.temporal_address))
            if settings.ops_port:
                ops = ops_app(temporal, read_model=True, extra={"photo_store": store.check})
                group.create_task(serve_ops(ops, settings.http_host, settings.ops_port, "API"))
            await asyncio.Event().wait()
    finally:
        log.info("API stopping: finishing in-flight requests")
        await runner.cleanup()
        if own_database:
            await close_db()


async def reach_temporal(
    temporal: Client, address: str, attempt_seconds: float = ATTEMPT_SECONDS
) -> None:
    """Connects the lazy client, waiting with back-off while Temporal is unreachable (saying so
    once, and when it answered); raises what waiting will not mend. Each attempt is bounded: a
    connection that an address swallows without answering counts as unreachable too."""

    async def ask() -> None:
        await temporal.workflow_service.get_system_info(
            GetSystemInfoRequest(), timeout=timedelta(seconds=CHECK_TIMEOUT)
        )

    await until_reachable(ask, address, attempt_seconds=attempt_seconds)
