"""The Temporal worker process: journey workflows and the read-model activity."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from temporalio.client import Client
from temporalio.worker import Interceptor, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from domain.store.db import DatabaseTls, close_db, open_current_db
from workflows.activities import record_journey_change
from workflows.connect import CORE_LOGGER, TemporalSecurity, connect
from workflows.converter import with_glowpath_converter
from workflows.heap import freeze_start_up_objects
from workflows.installment_activities import check_installment
from workflows.installments import InstallmentScheduleWorkflow
from workflows.journey import JourneyWorkflow
from workflows.partner import PartnerWorkflow
from workflows.partner_activities import check_partner_milestone
from workflows.poll_outage import PollOutage, watch_recovery
from workflows.reconnect import until_reachable
from workflows.runner import runner_for
from workflows.search_attributes import SEARCH_ATTRIBUTE_TYPES, register_search_attributes
from workflows.sticky_cache import DEFAULT_MAX_CACHED_WORKFLOWS
from workflows.triage import TriageDeskWorkflow
from workflows.triage_activities import record_desk_board_changes, record_desk_changes

log = logging.getLogger(__name__)

# Custom search attributes the workflows upsert; registered before any workflow runs.
SEARCH_ATTRIBUTES: dict[str, str] = SEARCH_ATTRIBUTE_TYPES


# The sandbox loads every module it does not pass through afresh for each workflow run it
# creates: our workflow modules, for every journey woken from eviction and every cached one
# (a worker with 300 journeys cached held 427 KiB per journey with them sandboxed, 353 KiB
# passed through; an evicted journey's wake took about 30 % less). Ours hold no state between
# runs, and the domain (pure functions over the facts) already passed through. The sandbox's
# checks of what workflow code may call still run in `tests/workflows`, whose worker keeps the
# default sandbox, and the replay tests check determinism on recorded histories; the API and
# supervision tests run this worker.
SHARED_MODULES = SandboxRestrictions.default.with_passthrough_modules("workflows", "domain")


class WorkerSettings(Protocol):
    @property
    def database_url(self) -> str: ...
    @property
    def temporal_address(self) -> str: ...
    @property
    def temporal_namespace(self) -> str: ...
    @property
    def task_queue(self) -> str: ...
    @property
    def temporal_metrics_bind(self) -> str: ...
    @property
    def otel_enabled(self) -> bool: ...
    @property
    def shutdown_timeout_seconds(self) -> int: ...
    @property
    def worker_max_cached_workflows(self) -> int: ...
    @property
    def temporal_security(self) -> TemporalSecurity: ...
    @property
    def database_tls(self) -> DatabaseTls: ...


class NotPolling(Exception):
    """The worker has not reached Temporal yet (its readiness check fails with this)."""


@dataclass
class WorkerStatus:
    """What the worker's probes report: ready once it polls its task queue."""

    polling: bool = False

    async def check(self) -> None:
        if not self.polling:
            raise NotPolling("the worker is not polling yet")


def build_worker(
    client: Client,
    task_queue: str,
    *,
    graceful_shutdown: timedelta = timedelta(seconds=20),
    max_cached_workflows: int = DEFAULT_MAX_CACHED_WORKFLOWS,
    interceptors: Sequence[Interceptor] = (),
) -> Worker:
    """On shutdown the worker stops polling, then gives running activities ``graceful_shutdown``
    to finish before cancelling them.

    At most ``max_cached_workflows`` runs stay in memory between tasks (least recently used
    evicted first); an evicted journey is replayed from its history when it next wakes. 0 keeps
    none: every task replays. ``interceptors``: the worker's own, besides the client's (the
    tests run a worker of a release before with them)."""
    # Decoding with cached field types, also for a client connected without them (tests).
    client = with_glowpath_converter(client)
    sandbox = SandboxedWorkflowRunner(restrictions=SHARED_MODULES)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[
            JourneyWorkflow,
            TriageDeskWorkflow,
            InstallmentScheduleWorkflow,
            PartnerWorkflow,
        ],
        activities=[
            record_journey_change,
            record_desk_changes,
            record_desk_board_changes,
            check_installment,
            check_partner_milestone,
        ],
        graceful_shutdown_timeout=graceful_shutdown,
        max_cached_workflows=max_cached_workflows,
        workflow_runner=runner_for(client.data_converter, sandbox),
        interceptors=interceptors,
    )


async def serve(
    settings: WorkerSettings, status: WorkerStatus | None = None, *, own_database: bool = True
) -> None:
    """Runs until cancelled (SIGTERM/SIGINT); in-flight tasks finish before it returns.

    While Temporal is unreachable it waits, retrying with back-off (see ``until_reachable``).
    ``own_database=False``: the process opened the database and closes it after this returns.
    """
    if own_database:  # refused on a schema that lacks a migration of this release
        await open_current_db(settings.database_url, settings.database_tls)
    try:

        async def reach_temporal() -> Client:
            client = await connect(
                settings.temporal_address,
                settings.temporal_namespace,
                security=settings.temporal_security,
                metrics_bind=settings.temporal_metrics_bind,
                tracing=settings.otel_enabled,
            )
            await register_search_attributes(client, settings.temporal_namespace)
            return client

        client = await until_reachable(reach_temporal, settings.temporal_address)
        grace = timedelta(seconds=settings.shutdown_timeout_seconds)
        worker = build_worker(
            client,
            settings.task_queue,
            graceful_shutdown=grace,
            max_cached_workflows=settings.worker_max_cached_workflows,
        )
        log.info(
            "worker polling %s on %s, keeping up to %d journeys cached",
            settings.task_queue,
            settings.temporal_address,
            settings.worker_max_cached_workflows,
        )
        if status is not None:
            status.polling = True
        freeze_start_up_objects()
        outage = PollOutage()  # one warning per Temporal outage from the pollers
        core_log = logging.getLogger(CORE_LOGGER)
        core_log.addFilter(outage)
        recovery = asyncio.create_task(watch_recovery(client, outage), name="glowpath-poll-watch")
        try:
            await worker.run()
        finally:
            recovery.cancel()
            await asyncio.wait({recovery})
            core_log.removeFilter(outage)
    finally:
        if status is not None:
            status.polling = False
        if own_database:
            await close_db()
