"""``/metrics`` in Prometheus text format.

The process registry holds the GraphQL operation metrics (``schema.metrics``) and Python's process
metrics. The API adds gauges read from the read model at scrape time:
``glowpath_journeys{stage}`` (journeys now in each stage; terminal stages are outcomes) and
``glowpath_stuck_journeys{stage}`` (active journeys flagged stuck). Every API replica reports the
same read-model numbers: aggregate them with ``max``, not ``sum``.

The API also measures its own event loop: ``glowpath_event_loop_lag_seconds`` is a histogram of
how late a timer that should fire every ``LAG_INTERVAL`` seconds actually wakes. Every request,
health check and subscription of the process waits behind whatever holds the loop, so a rising
lag is the first sign of a stall, before requests time out. Its memory is Python's own
``process_resident_memory_bytes`` gauge (RSS), from the default registry.

The Temporal SDK's own metrics are served by its runtime on ``GLOWPATH_TEMPORAL_METRICS_BIND``
(see ``workflows.connect``), a second scrape target per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from tortoise.functions import Count

from domain.journey.stages import ACTIVE_STAGES, Stage
from domain.store.models import Journey

log = logging.getLogger(__name__)

READ_TIMEOUT = 2.0
LAG_INTERVAL = 0.25

LOOP_LAG = Histogram(
    "glowpath_event_loop_lag_seconds",
    f"How late the API's event loop runs a timer due every {LAG_INTERVAL} s: time it was held "
    "by work that does not yield",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


async def measure_loop_lag(interval: float = LAG_INTERVAL) -> None:
    """Forever: sleep `interval`, observe how much later than asked the loop woke us."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + interval
        await asyncio.sleep(interval)
        LOOP_LAG.observe(max(0.0, loop.time() - due))


async def loop_lag_context(app: web.Application) -> AsyncIterator[None]:
    """An aiohttp ``cleanup_ctx``: measures the loop from startup until the app is cleaned up."""
    task = asyncio.create_task(measure_loop_lag(), name="event-loop-lag")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def has_stuck_flag() -> bool:
    return "stuck" in Journey._meta.fields_map


async def _count_by_stage(**filters: object) -> dict[str, int]:
    rows = await (
        Journey.filter(**filters).annotate(n=Count("id")).group_by("stage").values("stage", "n")
    )
    return {str(row["stage"]): int(row["n"]) for row in rows}


async def journeys_by_stage() -> dict[str, int]:
    counts = dict.fromkeys((stage.value for stage in Stage), 0)
    counts.update(await _count_by_stage())
    return counts


async def stuck_by_stage() -> dict[str, int] | None:
    """Active journeys flagged stuck, per active stage; None while the model has no such flag."""
    if not has_stuck_flag():
        return None
    counts = dict.fromkeys((stage.value for stage in ACTIVE_STAGES), 0)
    counts.update(await _count_by_stage(active=True, stuck=True))
    return counts


class ReadModelCollector(Collector):
    """Yields the last snapshot; ``refresh()`` (awaited by the handler) takes a new one."""

    def __init__(self) -> None:
        self.journeys: dict[str, int] = {}
        self.stuck: dict[str, int] | None = None
        self.up = 0.0

    async def refresh(self) -> None:
        try:
            journeys, stuck = await asyncio.wait_for(
                asyncio.gather(journeys_by_stage(), stuck_by_stage()), READ_TIMEOUT
            )
        except Exception as exc:
            log.warning("metrics: cannot read the read model: %s: %s", type(exc).__name__, exc)
            self.up = 0.0
            return
        self.journeys, self.stuck, self.up = journeys, stuck, 1.0

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "glowpath_read_model_up", "1 if the last scrape could read the read model", self.up
        )
        journeys = GaugeMetricFamily(
            "glowpath_journeys", "Journeys now in each stage (read model)", labels=["stage"]
        )
        for stage, count in sorted(self.journeys.items()):
            journeys.add_metric([stage], count)
        yield journeys
        if self.stuck is not None:
            stuck = GaugeMetricFamily(
                "glowpath_stuck_journeys",
                "Active journeys past their stage's time limit, per stage (read model)",
                labels=["stage"],
            )
            for stage, count in sorted(self.stuck.items()):
                stuck.add_metric([stage], count)
            yield stuck


_read_model: ReadModelCollector | None = None


def read_model_collector() -> ReadModelCollector:
    """The process's collector, registered with the default registry on first use."""
    global _read_model
    if _read_model is None:
        _read_model = ReadModelCollector()
        REGISTRY.register(_read_model)
    return _read_model


def metrics_handler(*, read_model: bool) -> Handler:
    collector = read_model_collector() if read_model else None
    lock = asyncio.Lock()

    async def metrics(request: web.Request) -> web.Response:
        if collector is not None:
            async with lock:  # concurrent scrapes share one set of queries at a time
                await collector.refresh()
        response = web.Response(body=generate_latest(REGISTRY))
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        response.charset = "utf-8"
        return response

    return metrics
