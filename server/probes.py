"""The worker's small HTTP server: ``/healthz``, ``/readyz`` and ``/metrics`` for orchestrators.

The worker serves no API; with ``GLOWPATH_WORKER_HTTP_PORT`` set it answers these three on that
port, with the same meaning as the API's (readiness: its database and Temporal answer, and the
worker polls its task queue: it may still be waiting for Temporal).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import web

from server import middleware
from server.health import CHECKS, Check, add_health_routes
from server.metrics import metrics_handler
from server.settings import Settings
from workflows.connect import connect
from workflows.worker import WorkerStatus

log = logging.getLogger(__name__)


async def serve_probes(settings: Settings, status: WorkerStatus | None = None) -> None:
    """Serves until cancelled; returns at once when no port is configured. With ``status``,
    readiness also waits for the worker to poll (it may still be waiting for Temporal)."""
    if not settings.worker_http_port:
        return
    temporal = await connect(
        settings.temporal_address,
        settings.temporal_namespace,
        metrics_bind=settings.temporal_metrics_bind,
        lazy=True,
    )
    app = web.Application(middlewares=[middleware.request_id_middleware])
    app.on_response_prepare.append(middleware.add_response_headers)
    add_health_routes(app, temporal)
    if status is not None:
        current: Mapping[str, Check] = app[CHECKS]
        app[CHECKS] = {**current, "worker": status.check}
    app.router.add_get("/metrics", metrics_handler(read_model=False))
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.http_host, settings.worker_http_port)
        await site.start()
        log.info(
            "worker probes on http://%s:%s/healthz", settings.http_host, settings.worker_http_port
        )
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
