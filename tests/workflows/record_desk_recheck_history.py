"""Records a triage desk that was sent a recheck and handed a client on after ten minutes, for
test_desk_recheck_replay.py.

    python tests/workflows/record_desk_recheck_history.py

Writes tests/workflows/histories/desk/recheck_alert.json. The committed file was recorded with
the desk code from before a recheck stopped raising a supervisor alert (commit c87d991): it
stands for the desks running when that change is deployed. The script uses only what both
versions of the desk have, so it runs on either; re-record only on purpose.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import AcceptCommand, ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "recheck_alert.json"
TASK_QUEUE = "desk-record-recheck"
CLINIC = "clinic-desk-recheck"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Two consultants; a recheck; a first visit nobody accepts; a seat change; an acceptance."""
    desk = TriageGateway(client, TASK_QUEUE)
    await on_duty(desk, CLINIC, ("A", "B"))
    recheck = Arrival("r1", "client-r1", VisitCategory.RECHECK)
    await desk.arrive(CLINIC, ArriveCommand(DESK, recheck), "arrive-r1")
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j1")
    await env.sleep(timedelta(minutes=10, seconds=30))  # the 10-minute rule hands j1 to B
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-busy", scope=["skin"]), "scope-a")
    await desk.accept(CLINIC, AcceptCommand(Actor("B", Role.CONSULTANT), "j1"), "accept-j1")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
