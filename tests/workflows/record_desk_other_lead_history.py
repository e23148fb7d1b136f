"""Records a triage desk that sent a client marked other to the consultant of their lead's
earliest contact, for test_desk_other_lead_replay.py.

    python tests/workflows/record_desk_other_lead_history.py

Writes tests/workflows/histories/desk/other_to_lead_owner.json. The committed file was recorded
with the desk code from before a client marked other went in order whatever their lead said: it
stands for the desks running when that change is deployed, which sent such a client to the lead's
consultant (route OWNER). The script uses only what both versions of the desk have, so it runs on
either; re-record only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "other_to_lead_owner.json"
TASK_QUEUE = "desk-record-other-lead"
CLINIC = "clinic-desk-other-lead"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a client marked other whose only owner, C, is their lead's earliest
    contact; a first visit after; a seat change after, whose answer shows the desk."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    other = Arrival("j1", "client-j1", VisitCategory.OTHER, owner_id="C", owner_from_lead=True)
    await desk.arrive(CLINIC, ArriveCommand(DESK, other), "arrive-j1")  # before the rule: C
    first = Arrival("j2", "client-j2", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j2")  # A
    await desk.change_seat(CLINIC, SeatCommand(DESK, "C", "note-scope", scope=[]), "scope-c")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
