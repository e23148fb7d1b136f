"""A desk changed faster than its records are written still takes Temporal's advice to continue as
new (`desk_records`): it looks between two records, not only once none is waiting.

The code before sent record after record while changes kept coming, and never looked: its
history grew until the server ended the run (seen at 300 clients taken in a day, 52 MB). Here
every record's write lets one more change in, so changes are always waiting when a record ends,
on a dev server that advises continuing as new after a few dozen events.
"""

from __future__ import annotations

import asyncio
import uuid

from temporalio import activity
from temporalio.client import WorkflowContinuedAsNewError
from temporalio.worker import Worker

from domain.triage.commands import SeatCommand
from domain.triage.desk import SeatStatus
from tests.support import DESK, start_dev_server
from workflows.desk_records import RECORD_DESK_BOARD_CHANGES, DeskRecord
from workflows.triage import DeskStart, TriageDeskWorkflow, desk_workflow_id
from workflows.triage_client import TriageGateway

ADVISED_AFTER_EVENTS = 40
CHANGES_LET_IN = 80  # then the writer lets no more in
BOUND_SECONDS = 120


async def test_a_desk_changed_faster_than_it_records_still_continues_as_new() -> None:
    advice = f"limit.historyCount.suggestContinueAsNew={ADVISED_AFTER_EVENTS}"
    env = await start_dev_server(
        ip="127.0.0.1",
        dev_server_log_level="error",
        dev_server_extra_args=["--dynamic-config-value", advice],
    )
    try:
        queue = f"desk-busy-{uuid.uuid4().hex[:8]}"
        gateway = TriageGateway(env.client, queue)
        clinic = f"clinic-{uuid.uuid4().hex[:8]}"
        let_in: list[int] = []

        @activity.defn(name=RECORD_DESK_BOARD_CHANGES)
        async def record_while_a_change_comes(record: DeskRecord) -> bool:
            if len(let_in) < CHANGES_LET_IN:
                let_in.append(len(record.entries))
                status = SeatStatus.BUSY if len(let_in) % 2 else SeatStatus.AVAILABLE
                change = SeatCommand(DESK, "A", "note-busy", status=status)
                await gateway.change_seat(clinic, change, str(uuid.uuid4()))
            return False

        async with Worker(
            env.client,
            task_queue=queue,
            workflows=[TriageDeskWorkflow],
            activities=[record_while_a_change_comes],
        ):
            # Given a desk whose every record lets a change in
            handle = await env.client.start_workflow(
                TriageDeskWorkflow.run,
                DeskStart(clinic),
                id=desk_workflow_id(clinic),
                task_queue=queue,
            )
            seated = SeatCommand(DESK, "A", "note-roster", on_duty=True)
            await gateway.change_seat(clinic, seated, str(uuid.uuid4()))

            # When its first run ends
            ended = await asyncio.wait_for(
                asyncio.gather(handle.result(follow_runs=False), return_exceptions=True),
                BOUND_SECONDS,
            )

            # Then it continued as new while changes were still coming in
            assert isinstance(ended[0], WorkflowContinuedAsNewError)
            history = await handle.fetch_history()
            records = [
                e for e in history.events if e.HasField("activity_task_scheduled_event_attributes")
            ]
            assert len(records) < CHANGES_LET_IN / 2
            # And the desk goes on in its next run with the changes it carried
            desk = await gateway.desk(clinic)
            assert desk.seats["A"].on_duty
    finally:
        await env.shutdown()
