"""Records a triage desk whose 10-minute rule handed a client from A to B, after which B left
and the client went straight back to A, for test_desk_leave_replay.py.

    python tests/workflows/record_desk_leave_history.py

Writes tests/workflows/histories/desk/leave_hands_back.json. The committed file was recorded
with the desk code from before a client handed on after a leave passed by whoever let them wait:
it stands for the desks running when that change is deployed. The script uses only what both
versions of the desk have, so it runs on either; re-record only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.triage.commands import OverrideCommand, OverrideKind, SeatCommand
from tests.support import DESK, SUPERVISOR
from tests.workflows.desk_recorder import handed_from_a_to_b, main
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "leave_hands_back.json"
TASK_QUEUE = "desk-record-leave"
CLINIC = "clinic-desk-leave"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a first visit A lets wait, handed to B; B leaves; a seat change after,
    whose answer shows the desk."""
    desk = TriageGateway(client, TASK_QUEUE)
    await handed_from_a_to_b(desk, CLINIC, env)
    left = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "note", consultant_id="B")
    await desk.override(CLINIC, left, "b-left")  # before the rule: j1 back to A
    await desk.change_seat(CLINIC, SeatCommand(DESK, "C", "note-scope", scope=[]), "scope-c")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
