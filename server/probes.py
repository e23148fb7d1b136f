"""The operations port: ``/healthz``, ``/readyz`` and ``/metrics`` for orchestrators and scrapers.

With ``GLOWPATH_OPS_PORT`` set the API answers these three there and its public port serves only
``/graphql``, so a load balancer cannot expose them by mistake. The worker serves no API: it
answers them on ``GLOWPATH_OPS_PORT`` (or the older ``GLOWPATH_WORKER_HTTP_PORT``), with the same
meaning (readiness: its database and Temporal answer, and the worker polls its task queue: it may
still be waiting for Temporal).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import web
from temporalio.client import Client

from server import middleware
from server.health import CHECKS, Check, add_health_routes
from server.http_protocol import AppRunner
from server.metrics import metrics_handler
from server.settings import Settings
from workflows.connect import connect
from workflows.worker import WorkerStatus

log = logging.getLogger(__name__)


def ops_app(
    temporal: Client, *, read_model: bool, extra: Mapping[str, Check] | None = None
) -> web.Application:
    """The three operations routes; ``extra`` readiness checks join the database and Temporal."""
    app = web.Application(middlewares=[middleware.request_id_middleware])
    app.on_response_prepare.append(middleware.add_response_headers)
    add_health_routes(app, temporal)
    if extra:
        current: Mapping[str, Check] = app[CHECKS]
        app[CHECKS] = {**current, **extra}
    app.router.add_get("/metrics", metrics_handler(read_model=read_model))
    return app


async def serve_ops(app: web.Application, host: str, port: int, what: str) -> None:
    """Serves ``app`` until cancelled."""
    runner = AppRunner(app, access_log=None, shutdown_timeout=1)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("%s probes and metrics on http://%s:%s/readyz", what, host, port)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def serve_probes(settings: Settings, status: WorkerStatus | None = None) -> None:
    """Serves until cancelled; returns at once when no port is configured. With ``status``,
    readiness also waits for the worker to poll (it may still be waiting for Temporal)."""
    port = settings.ops_port or settings.worker_http_port
    if not port:
        return
    temporal = await connect(
        settings.temporal_address,
        settings.temporal_namespace,
        security=settings.temporal_security,
        metrics_bind=settings.temporal_metrics_bind,
        lazy=True,
    )
    extra = {"worker": status.check} if status is not None else None
    app = ops_app(temporal, read_model=False, extra=extra)
    await serve_ops(app, settings.http_host, port, "worker")
