"""Records a triage desk's history for a replay test. Each recorder (record_desk_*_history.py)
names its file, task queue and clinic and drives its scenario; this runs the scenario on the
time-skipping test server with a throwaway SQLite read model, and writes the workflow id and the
history (`to_json()`) of the desk's run that the scenario names.

A recorder that runs only on a checkout of older desk code (its docstring says so) needs this
module along with it there.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.journey.stages import VisitCategory
from domain.store.db import apply_migrations, close_db, init_db
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from tests.support import DESK, binary
from workflows.triage import TriageDeskWorkflow, desk_workflow_id
from workflows.triage_activities import record_desk_board_changes, record_desk_changes
from workflows.triage_client import TriageGateway

# Drives the desk; answers the id of the run to record, or None for the run current at its end.
DeskScenario = Callable[[Client, WorkflowEnvironment], Awaitable[str | None]]
TEN_MINUTES_AND_A_BIT = timedelta(minutes=10, seconds=30)


async def to_midnight(env: WorkflowEnvironment) -> timedelta:
    """How long the test server's clock has to go to the desk's next midnight (desks opened by
    the gateway keep UTC, its default)."""
    local = (await env.get_current_time()).astimezone(ZoneInfo("UTC"))
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1) - local


async def past_midnight(env: WorkflowEnvironment) -> None:
    await env.sleep(await to_midnight(env) + timedelta(minutes=1))


async def on_duty(
    desk: TriageGateway, clinic: str, consultants: tuple[str, ...], busy: bool = False
) -> None:
    """`consultants` put on duty in this order (the rotation's), each busy at once after if
    `busy`; the same seat changes, under the same keys, as every recorder sent."""
    for consultant in consultants:
        command = SeatCommand(DESK, consultant, "note-roster", on_duty=True)
        await desk.change_seat(clinic, command, f"seat-{consultant}")
        if busy:
            engaged = SeatCommand(DESK, consultant, "note-busy", status=SeatStatus.BUSY)
            await desk.change_seat(clinic, engaged, f"busy-{consultant}")


async def handed_from_a_to_b(desk: TriageGateway, clinic: str, env: WorkflowEnvironment) -> None:
    """The opening of the hand-over scenarios: well clear of the next midnight, A, B and C on
    duty, and a first visit j1 placed with A, who lets the client wait until the 10-minute rule
    hands them to B. Uses only what every version of the desk has."""
    await past_midnight(env)
    await on_duty(desk, clinic, ("A", "B", "C"))
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(clinic, ArriveCommand(DESK, first), "arrive-j1")  # A
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # the 10-minute rule hands j1 to B


async def record_desk(target: Path, task_queue: str, clinic: str, scenario: DeskScenario) -> None:
    """Runs `scenario` with a worker for the desk on `task_queue`, writes the history of the run
    of `clinic`'s desk that it names to `target`, then ends the desk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite://{Path(scratch) / 'record.sqlite3'}"
        await apply_migrations(url)
        await init_db(url)
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=binary("temporal-test-server")
        )
        try:
            async with Worker(
                env.client,
                task_queue=task_queue,
                workflows=[TriageDeskWorkflow],
                activities=[record_desk_changes, record_desk_board_changes],
            ):
                run_id = await scenario(env.client, env)
                handle = env.client.get_workflow_handle(desk_workflow_id(clinic), run_id=run_id)
                history = await handle.fetch_history()
                await env.client.get_workflow_handle(desk_workflow_id(clinic)).terminate("recorded")
            recording = {"workflow_id": handle.id, "history": json.loads(history.to_json())}
            target.write_text(json.dumps(recording, indent=1) + "\n")
            print(f"{target.name}: {len(history.events)} events")
        finally:
            await env.shutdown()
            await close_db()


def main(target: Path, task_queue: str, clinic: str, scenario: DeskScenario) -> None:
    asyncio.run(record_desk(target, task_queue, clinic, scenario))
