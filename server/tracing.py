"""OpenTelemetry tracing, off by default (``GLOWPATH_OTEL_ENABLED=true`` turns it on).

Needs the ``otel`` extra; without it the settings switch logs a warning and nothing else changes.
Spans go to an OTLP/HTTP collector configured by the standard ``OTEL_EXPORTER_OTLP_*`` variables
(``OTEL_TRACES_EXPORTER=console`` prints them instead); ``OTEL_SERVICE_NAME`` overrides the name.
The API opens a server span per request (continuing a caller's ``traceparent``); the Temporal
client's ``TracingInterceptor`` (see ``workflows.connect``) carries it on to the worker.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

log = logging.getLogger(__name__)


def setup_tracing(service_name: str) -> bool:
    """Installs a tracer provider with an exporter, once per process; False when unavailable."""
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor,
            ConsoleSpanExporter,
            SpanExporter,
        )
    except ImportError:
        log.warning("tracing is on but OpenTelemetry is missing: pip install 'glowpath[otel]'")
        return False
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return True  # already set up (the API and the worker of `glowpath dev` share one)
    exporter: SpanExporter
    if os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "console":
        exporter = ConsoleSpanExporter()
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    log.info("OpenTelemetry tracing on (service %s)", service_name)
    return True


def shutdown_tracing() -> None:
    """Flushes the spans still buffered; a no-op when tracing is off."""
    try:
        from opentelemetry import trace
    except ImportError:
        return
    provider: Any = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def server_span_middleware() -> Middleware | None:
    """An aiohttp middleware opening a SERVER span per request; None without OpenTelemetry."""
    try:
        from opentelemetry import propagate, trace
    except ImportError:
        return None
    tracer = trace.get_tracer("glowpath.api")

    @web.middleware
    async def server_span(request: web.Request, handler: Handler) -> web.StreamResponse:
        route = request.match_info.route.resource
        path = route.canonical if route is not None else request.path
        with tracer.start_as_current_span(
            f"{request.method} {path}",
            context=propagate.extract(request.headers),
            kind=trace.SpanKind.SERVER,
            attributes={"http.request.method": request.method, "url.path": request.path},
        ) as span:
            response = await handler(request)
            span.set_attribute("http.response.status_code", response.status)
            return response

    return server_span
