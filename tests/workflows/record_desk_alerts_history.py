"""Records a triage desk that called the supervisor twice for one client, for
test_desk_alerts_replay.py: j1 waited past the acceptance minutes for A with B busy, then A left
with nobody free to take the client.

    python tests/workflows/record_desk_alerts_history.py

Writes tests/workflows/histories/desk/repeated_alert.json. The committed file was recorded with
the desk code from before the desk kept one open alert per journey and kind: it stands for the
desks running when that change is deployed. The script uses only what both versions of the desk
have, so it runs on either; re-record only on purpose.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from tests.support import DESK, SUPERVISOR
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "repeated_alert.json"
TASK_QUEUE = "desk-record-alerts"
CLINIC = "clinic-desk-alerts"
TEN_MINUTES_AND_A_BIT = timedelta(minutes=10, seconds=30)


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Two consultants, B busy; a first visit A lets wait (the supervisor called), then A leaves
    (the supervisor called again); a seat change after, whose answer shows the desk."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B"))
    busy = SeatCommand(DESK, "B", "note-busy", status=SeatStatus.BUSY)
    await desk.change_seat(CLINIC, busy, "b-busy")
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j1")  # A
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # nobody free to hand j1 on to: supervisor called
    left = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "note", consultant_id="A")
    await desk.override(CLINIC, left, "a-left")  # nobody free again: supervisor called again
    await desk.change_seat(CLINIC, SeatCommand(DESK, "B", "note-scope", scope=[]), "scope-b")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
