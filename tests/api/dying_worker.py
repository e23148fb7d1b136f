"""A worker process that dies in the middle of a journey's workflow task: it writes a follow-up's
falling due to the read model, then is killed (SIGKILL, by itself) before it reports the task
back to Temporal. The read model then shows what Temporal's history does not hold yet, until
another worker runs the task again. Run as ``python -m tests.api.dying_worker`` with the
worker's usual settings."""

from __future__ import annotations

import asyncio
import os
import signal

from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

from domain.journey.facts import JourneyChange
from domain.journey.table import Action
from domain.store.db import close_db, init_db
from server.settings import Settings
from workflows.activities import record_journey_change
from workflows.journey import JourneyWorkflow
from workflows.triage import TriageDeskWorkflow
from workflows.triage_activities import record_desk_board_changes, record_desk_changes


@activity.defn(name="record_journey_change")
async def record_then_die(change: JourneyChange) -> None:
    await record_journey_change(change)
    if change.event.action == Action.FOLLOW_UP_DUE.value:
        os.kill(os.getpid(), signal.SIGKILL)


async def main() -> None:
    settings = Settings.from_env()
    await init_db(settings.database_url, settings.database_tls)
    try:
        client = await Client.connect(settings.temporal_address)
        worker = Worker(
            client,
            task_queue=settings.task_queue,
            workflows=[JourneyWorkflow, TriageDeskWorkflow],
            activities=[record_then_die, record_desk_changes, record_desk_board_changes],
        )
        await worker.run()
    finally:
        await close_db()


if __name__ == "__main__":
    asyncio.run(main())
