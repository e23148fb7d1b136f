"""OpenTelemetry (GLOWPATH_OTEL_ENABLED): one trace from the HTTP request to the workflow."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from domain.roles import Role
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver
from tests.api.harness import Staff, running_api
from workflows.connect import connect
from workflows.worker import build_worker

pytest.importorskip("opentelemetry.sdk.trace", reason="the otel extra is not installed")

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


async def test_one_trace_from_the_api_through_temporal_to_the_worker(
    spans: InMemorySpanExporter,
    staff: dict[Role, Staff],
    database: str,
    temporal_address: str,
) -> None:
    # Given an API and a worker with tracing on, on their own task queue
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    settings = dataclasses.replace(
        api_settings(database, temporal_address, queue), otel_enabled=True
    )
    client = await connect(temporal_address, "default", tracing=True)
    async with build_worker(client, queue), running_api(settings, client) as traced:
        # When reception starts a journey through the API
        spans.clear()
        await JourneyDriver(traced, staff).start()
    # Then the workflow's spans belong to the trace of an HTTP request to /graphql
    finished = spans.get_finished_spans()
    requests = {
        s.context.trace_id
        for s in finished
        if s.kind == trace.SpanKind.SERVER and s.name == "POST /graphql"
    }
    worker_side = [s for s in finished if s.name.startswith(("RunWorkflow:", "RunActivity:"))]
    assert worker_side, sorted(s.name for s in finished)
    assert all(s.context.trace_id in requests for s in worker_side)
    client_side = [s for s in finished if "Workflow:" in s.name and s.kind == trace.SpanKind.CLIENT]
    assert client_side, sorted(s.name for s in finished)
    assert all(s.context.trace_id in requests for s in client_side)
