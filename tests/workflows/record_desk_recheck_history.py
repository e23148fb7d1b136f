"""Records a triage desk that was sent a recheck and handed a client on after ten minutes, for
test_desk_recheck_replay.py.

    python tests/workflows/record_desk_recheck_history.py

Writes tests/workflows/histories/desk/recheck_alert.json. The committed file was recorded with
the desk code from before a recheck stopped raising a supervisor alert (commit c87d991): it
stands for the desks running when that change is deployed. The script uses only what both
versions of the desk have, so it runs on either; re-record only on purpose.
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

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.store.db import apply_migrations, close_db, init_db
from domain.triage.commands import AcceptCommand, ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.support import DESK, binary
from workflows.triage import TriageDeskWorkflow, desk_workflow_id
from workflows.triage_activities import record_desk_board_changes, record_desk_changes
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "recheck_alert.json"
TASK_QUEUE = "desk-record-recheck"
CLINIC = "clinic-desk-recheck"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Two consultants; a recheck; a first visit nobody accepts; a seat change; an acceptance."""
    desk = TriageGateway(client, TASK_QUEUE)
    for consultant in ("A", "B"):
        command = SeatCommand(DESK, consultant, "note-roster", on_duty=True)
        await desk.change_seat(CLINIC, command, f"seat-{consultant}")
    recheck = Arrival("r1", "client-r1", VisitCategory.RECHECK)
    await desk.arrive(CLINIC, ArriveCommand(DESK, recheck), "arrive-r1")
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j1")
    await env.sleep(timedelta(minutes=10, seconds=30))  # the 10-minute rule hands j1 to B
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-busy", scope=["skin"]), "scope-a")
    await desk.accept(CLINIC, AcceptCommand(Actor("B", Role.CONSULTANT), "j1"), "accept-j1")


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
