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

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.triage.commands import SeatCommand
from tests.support import DESK
from tests.workflows.desk_recorder import TEN_MINUTES_AND_A_BIT, handed_from_a_to_b, main
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "handed_on_twice.json"
TASK_QUEUE = "desk-record-hand-over"
CLINIC = "clinic-desk-hand-over"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a first visit nobody accepts for twenty minutes and more; then a seat
    change, whose answer shows the desk after the two rounds."""
    desk = TriageGateway(client, TASK_QUEUE)
    await handed_from_a_to_b(desk, CLINIC, env)
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-scope", scope=["skin"]), "scope-a")
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # and, before the rule of one hand-over, on to C
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-scope", scope=[]), "scope-all")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
