"""Liveness and readiness.

``/healthz``: the process is up and its event loop answers (no dependency is touched), for
restart decisions. ``/readyz``: the read-model database answers ``SELECT 1`` and the Temporal
frontend answers ``GetSystemInfo``, each within ``CHECK_TIMEOUT`` seconds, for load balancers:
200 with each check's status, else 503 with the same body.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from aiohttp import web
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client
from tortoise import connections

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0
Check = Callable[[], Awaitable[object]]
CHECKS: web.AppKey[Mapping[str, Check]] = web.AppKey("readiness_checks", Mapping)


async def check_database() -> None:
    await connections.get("default").execute_query("SELECT 1")


def temporal_check(client: Client) -> Check:
    async def check_temporal() -> None:
        await client.workflow_service.get_system_info(
            GetSystemInfoRequest(), timeout=timedelta(seconds=CHECK_TIMEOUT)
        )

    return check_temporal


async def _run(name: str, check: Check, timeout: float) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), timeout)
    except TimeoutError:
        log.warning("readiness: %s did not answer within %.1f s", name, timeout)
        return {"status": "timeout"}
    except Exception as exc:
        # The reason goes to the log only: it may name hosts or users.
        log.warning("readiness: %s failed: %s: %s", name, type(exc).__name__, exc)
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


async def readiness(checks: Mapping[str, Check], timeout: float = CHECK_TIMEOUT) -> dict[str, Any]:
    names = list(checks)
    results = await asyncio.gather(*(_run(name, checks[name], timeout) for name in names))
    ready = all(result["status"] == "ok" for result in results)
    checks_out = dict(zip(names, results, strict=True))
    return {"status": "ready" if ready else "unavailable", "checks": checks_out}


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    body = await readiness(request.app[CHECKS])
    return web.json_response(body, status=200 if body["status"] == "ready" else 503)


def add_health_routes(app: web.Application, temporal: Client) -> None:
    app[CHECKS] = {"database": check_database, "temporal": temporal_check(temporal)}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
