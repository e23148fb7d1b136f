"""Connecting to Temporal as the API and the worker processes do.

One Temporal runtime per process: it serves the SDK's own metrics (Prometheus text on
``metrics_bind``, e.g. ``0.0.0.0:9464``, when set) and forwards the SDK Core's log lines to Python
logging (so they come out in the process's log format). With ``tracing=True`` the client carries
OpenTelemetry's ``TracingInterceptor``; workers built from that client inherit it, so a trace runs
from the API through Temporal into the workflow and its activities.

Workflow modules never import this one (it is process set-up, not workflow code).
"""

from __future__ import annotations

import logging

from temporalio.client import Client, Interceptor
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)

log = logging.getLogger(__name__)
CORE_LOGGER = "temporalio.core"

_runtimes: dict[str, Runtime] = {}


def process_runtime(metrics_bind: str = "") -> Runtime:
    """The runtime for this process; the API and the worker of `glowpath dev` share it."""
    runtime = _runtimes.get(metrics_bind)
    if runtime is None:
        runtime = _runtimes[metrics_bind] = Runtime(
            telemetry=TelemetryConfig(
                logging=LoggingConfig(
                    filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
                    forwarding=LogForwardingConfig(logger=logging.getLogger(CORE_LOGGER)),
                ),
                metrics=PrometheusConfig(bind_address=metrics_bind) if metrics_bind else None,
            )
        )
        if metrics_bind:
            log.info("Temporal SDK metrics on http://%s/metrics", metrics_bind)
    return runtime


def tracing_interceptors(enabled: bool) -> list[Interceptor]:
    """``[TracingInterceptor()]`` when tracing is on and the ``otel`` extra is installed."""
    if not enabled:
        return []
    try:
        from temporalio.contrib.opentelemetry import TracingInterceptor
    except ImportError:
        log.warning("tracing is on but OpenTelemetry is missing: pip install 'glowpath[otel]'")
        return []
    return [TracingInterceptor()]


async def connect(
    address: str,
    namespace: str,
    *,
    metrics_bind: str = "",
    tracing: bool = False,
    lazy: bool = False,
) -> Client:
    return await Client.connect(
        address,
        namespace=namespace,
        runtime=process_runtime(metrics_bind),
        interceptors=tracing_interceptors(tracing),
        lazy=lazy,
    )
