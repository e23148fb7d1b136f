"""Records a triage desk that handed one client on twice by the 10-minute rule, for
test_desk_hand_over_replay.py.

    python tests/workflows/record_desk_hand_over_history.py

Writes tests/workflows/histories/desk/handed_on_twice.json. The committed file was recorded with
the desk code from before a client was handed over once only: it stands for the desks running
when that change is deployed, which handed a client nobody accepted on every ten minutes. The
script uses only what both versions of the desk have, so it runs on either; re-record only on
purpose.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.journey.stages import VisitCategory
from domain.store.db import apply_migrations, close_db, init_db
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.support import DESK, binary
from tests.workflows.record_desk_day_history import past_midnight
from workflows.triage import TriageDeskWorkflow, desk_workflow_id
from workflows.triage_activities import record_desk_board_changes, record_desk_changes
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "handed_on_twice.json"
TASK_QUEUE = "desk-record-hand-over"
CLINIC = "clinic-desk-hand-over"
TEN_MINUTES_AND_A_BIT = timedelta(minutes=10, seconds=30)


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a first visit nobody accepts for twenty minutes and more; then a seat
    change, whose answer shows the desk after the two rounds."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    for consultant in ("A", "B", "C"):
        command = SeatCommand(DESK, consultant, "note-roster", on_duty=True)
        await desk.change_seat(CLINIC, command, f"seat-{consultant}")
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j1")  # A
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # the 10-minute rule hands j1 to B
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-scope", scope=["skin"]), "scope-a")
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # and, before the rule of one hand-over, on to C
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-scope", scope=[]), "scope-all")


async def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
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
                task_queue=TASK_QUEUE,
                workflows=[TriageDeskWorkflow],
                activities=[record_desk_changes, record_desk_board_changes],
            ):
                await scenario(env.client, env)
                handle = env.client.get_workflow_handle(desk_workflow_id(CLINIC))
                history = await handle.fetch_history()
                await handle.terminate("recorded")
            recording = {"workflow_id": handle.id, "history": json.loads(history.to_json())}
            TARGET.write_text(json.dumps(recording, indent=1) + "\n")
            print(f"{TARGET.name}: {len(history.events)} events")
        finally:
            await env.shutdown()
            await close_db()


if __name__ == "__main__":
    asyncio.run(main())
