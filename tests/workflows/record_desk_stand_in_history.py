"""Records a triage desk where the supervisor named a stand-in (reassignClient, OWNER_STAND_IN)
for a client A had, for test_desk_stand_in_replay.py.

    python tests/workflows/record_desk_stand_in_history.py

Writes tests/workflows/histories/desk/stand_in_took_over.json. The committed file was recorded
with the desk code from before a stand-in left the revenue and the client with the owner (the
commit before desk-stand-in-keeps-owner): it stands for the desks running when that change is
deployed, which credited the stand-in and made them the client's owner. The script uses only what
both versions of the desk have, so it runs on either; re-record only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.decision import Arrival
from domain.triage.revenue import CreditRule
from tests.support import DESK, SUPERVISOR
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "stand_in_took_over.json"
TASK_QUEUE = "desk-record-stand-in"
CLINIC = "clinic-desk-stand-in"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a first visit placed with A; the supervisor names B to stand in for A;
    a seat change after, whose answer shows the desk."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j1")  # A
    stand_in = OverrideCommand(
        SUPERVISOR,
        OverrideKind.REASSIGN,
        "note-stand-in",
        journey_id="j1",
        consultant_id="B",
        rule=CreditRule.OWNER_STAND_IN,
    )
    await desk.override(CLINIC, stand_in, "stand-in-j1")  # before the rule: B credited, owner
    await desk.change_seat(CLINIC, SeatCommand(DESK, "C", "note-scope", scope=[]), "scope-c")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
