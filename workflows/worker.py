"""The Temporal worker process: journey workflows and the read-model activity."""

from __future__ import annotations

import logging
from typing import Protocol

from temporalio.client import Client
from temporalio.worker import Worker

from domain.store.db import close_db, init_db
from workflows.activities import record_journey_change
from workflows.journey import JourneyWorkflow
from workflows.search_attributes import SEARCH_ATTRIBUTE_TYPES, register_search_attributes

log = logging.getLogger(__name__)

# Custom search attributes the workflows upsert; registered before any workflow runs.
SEARCH_ATTRIBUTES: dict[str, str] = SEARCH_ATTRIBUTE_TYPES


class WorkerSettings(Protocol):
    @property
    def database_url(self) -> str: ...
    @property
    def temporal_address(self) -> str: ...
    @property
    def temporal_namespace(self) -> str: ...
    @property
    def task_queue(self) -> str: ...


def build_worker(client: Client, task_queue: str) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[JourneyWorkflow],
        activities=[record_journey_change],
    )


async def serve(settings: WorkerSettings) -> None:
    """Runs until cancelled (SIGTERM/SIGINT); in-flight tasks finish before it returns."""
    await init_db(settings.database_url)
    try:
        client = await Client.connect(
            settings.temporal_address, namespace=settings.temporal_namespace
        )
        await register_search_attributes(client, settings.temporal_namespace)
        worker = build_worker(client, settings.task_queue)
        log.info("worker polling %s on %s", settings.task_queue, settings.temporal_address)
        await worker.run()
    finally:
        await close_db()
