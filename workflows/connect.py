"""Connecting to Temporal as the API and the worker processes do.

One Temporal runtime per process: it serves the SDK's own metrics (Prometheus text on
``metrics_bind``, e.g. ``0.0.0.0:9464``, when set) and forwards the SDK Core's log lines to Python
logging (so they come out in the process's log format). With ``tracing=True`` the client carries
OpenTelemetry's ``TracingInterceptor``; workers built from that client inherit it, so a trace runs
from the API through Temporal into the workflow and its activities.

A secured cluster is reached with a ``TemporalSecurity``: TLS with the server's CA (or the system's
roots), a client certificate and key for mutual TLS, a server name override, or an API key (which
Temporal Cloud expects over TLS). The API, the worker, its probes and ``glowpath reconcile`` all
connect through ``connect`` here, so they cannot disagree on how.

Workflow modules never import this one (it is process set-up, not workflow code).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from temporalio.client import Client, Interceptor
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)
from temporalio.service import TLSConfig

from workflows.converter import DATA_CONVERTER
from workflows.reconnect import ConnectFailureAsUnavailable

log = logging.getLogger(__name__)
CORE_LOGGER = "temporalio.core"

_runtimes: dict[str, Runtime] = {}


def runtime_started() -> bool:
    """Whether this process has made a Temporal runtime (its threads then run to the end)."""
    return bool(_runtimes)


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


@dataclass(frozen=True)
class TemporalSecurity:
    """How to reach a secured frontend. PEM texts, not paths: the settings read the files.

    ``tls``: encrypt even without a CA (the system's roots verify the server, e.g. Temporal
    Cloud). A CA, a client certificate or an API key turns TLS on by itself.
    """

    tls: bool = False
    server_ca: str = ""
    client_cert: str = ""
    client_key: str = field(default="", repr=False)
    server_name: str = ""
    api_key: str = field(default="", repr=False)

    @property
    def uses_tls(self) -> bool:
        return self.tls or bool(self.server_ca or self.client_cert or self.api_key)

    def tls_config(self) -> TLSConfig | bool:
        """What ``Client.connect`` gets as ``tls``: ``False`` (plain), or a ``TLSConfig``."""
        if not self.uses_tls:
            return False
        return TLSConfig(
            server_root_ca_cert=self.server_ca.encode() or None,
            client_cert=self.client_cert.encode() or None,
            client_private_key=self.client_key.encode() or None,
            domain=self.server_name or None,
        )

    def connect_options(self) -> dict[str, Any]:
        """The keyword arguments of ``Client.connect`` that secure the connection."""
        return {"tls": self.tls_config(), "api_key": self.api_key or None}


PLAINTEXT = TemporalSecurity()


async def connect(
    address: str,
    namespace: str,
    *,
    security: TemporalSecurity = PLAINTEXT,
    metrics_bind: str = "",
    tracing: bool = False,
    lazy: bool = False,
) -> Client:
    """``lazy``: connects at the first call, not now; until it has, a call that cannot reach
    Temporal fails with ``RPCError`` ``UNAVAILABLE``, as once connected."""
    client = await Client.connect(
        address,
        namespace=namespace,
        data_converter=DATA_CONVERTER,
        runtime=process_runtime(metrics_bind),
        interceptors=tracing_interceptors(tracing),
        lazy=lazy,
        **security.connect_options(),
    )
    if not lazy:
        return client
    config = client.config()
    config["service_client"] = ConnectFailureAsUnavailable(client.service_client)
    return Client(**config)
