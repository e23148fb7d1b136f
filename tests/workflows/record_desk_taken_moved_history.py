"""Records a triage desk whose client, placed anew with B by the supervisor (reassignClient), and
whose client taken by B at her first action, each saw the supervisor move her journey to another
consultant (reassignJourney), for test_desk_taken_moved_replay.py.

    python tests/workflows/record_desk_taken_moved_history.py

Writes tests/workflows/histories/desk/taken_moved.json. The committed file was recorded with the
desk code from before the desk followed the journey of a client taken already (the commit before
desk-follows-journey-of-a-client-taken): it stands for the desks running when that change is
deployed, which kept both clients, and their revenue, with B while their journeys named another
consultant. The script uses only what every version of the desk since
desk-follows-journey-again has; re-record only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import (
    ArriveCommand,
    DeskReply,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
)
from domain.triage.decision import Arrival
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from domain.triage.revenue import CreditRule
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "taken_moved.json"
TASK_QUEUE = "desk-record-taken-moved"
CLINIC = "clinic-desk-taken-moved"
SUPERVISOR = Actor("sup-1", Role.SUPERVISOR)
# Seat changes the scenario sends: A, B and C on duty, A's scope at the end.
SEAT_CHANGES = 4


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """A, B and C free, then `taken_moved`."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    await taken_moved(desk, client, CLINIC)
    await logged(CLINIC, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too


async def taken_moved(
    desk: TriageGateway, client: Client, clinic: str, prefix: str = ""
) -> dict[str, DeskReply]:
    """On a desk whose A, B and C are free: t1 placed with A and placed anew with B by the
    supervisor (reassignClient, a wrong assignment not A's fault: 50/50); t2 placed with B, who
    acts first on her journey; the supervisor then moves t1's journey to C and t2's to A
    (reassignJourney: the journey tells the desk); a seat change after. The answers by update
    id; each journey's id after `prefix` (a test's own, as the read model's rows are shared)."""
    anew, taken = f"{prefix}t1", f"{prefix}t2"
    arrival = Arrival(anew, f"client-{anew}", VisitCategory.FIRST_VISIT)
    await desk.arrive(clinic, ArriveCommand(DESK, arrival), "arrive-t1")  # A
    command = OverrideCommand(
        SUPERVISOR,
        OverrideKind.REASSIGN,
        "note-anew",
        journey_id=anew,
        consultant_id="B",
        rule=CreditRule.WRONG_ASSIGNMENT_SHARED,
    )
    placed = await desk.override(clinic, command, "reassign-t1")
    arrival = Arrival(taken, f"client-{taken}", VisitCategory.FIRST_VISIT)
    await desk.arrive(clinic, ArriveCommand(DESK, arrival), "arrive-t2")  # B
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    for notice in (
        JourneyNotice(taken, "record_consultation", "B"),
        JourneyNotice(anew, "reassign", "C"),
        JourneyNotice(taken, "reassign", "A"),
    ):
        await handle.signal(JOURNEY_MOVED_SIGNAL, notice)
    scope = SeatCommand(DESK, "A", "note-scope", scope=[])
    last = await desk.change_seat(clinic, scope, "scope-a")
    return {"reassign-t1": placed, "scope-a": last}


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
