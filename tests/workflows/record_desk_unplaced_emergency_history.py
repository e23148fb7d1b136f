"""Records a triage desk whose emergencies nobody could take were placed, taken or ended later,
for test_desk_unplaced_emergency_replay.py.

    python tests/workflows/record_desk_unplaced_emergency_history.py

Writes tests/workflows/histories/desk/emergency_unplaced.json. The committed file was recorded
with the desk code from before the UNPLACED alert of an emergency left the board with her
EMERGENCY alert (the commit before desk-emergency-unplaced-cleared): it stands for the desks
running when that change is deployed, whose UNPLACED alerts stayed until the day ended. The
script uses only what both versions of the desk have, so it runs on either; re-record only on
purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import AcceptCommand, ArriveCommand, SeatCommand
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.desk import SeatStatus
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "emergency_unplaced.json"
TASK_QUEUE = "desk-record-unplaced-emergency"
CLINIC = "clinic-desk-unplaced-emergency"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """A and B busy; a burnt client u1 and a road accident u2 nobody could take; B free again
    and u1 sent again, placed with B, who takes her; u2's journey ends; a recheck r1 marked an
    emergency, which the desk routes, and her journey's notice that a doctor was assigned; a
    seat change after, whose answer shows the desk's alerts."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B"), busy=True)
    urgent = (("u1", EmergencyReason.FRESH_EXTENSIVE_BURN), ("u2", EmergencyReason.ROAD_ACCIDENT))
    arrivals = {
        journey: Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT, emergency=code)
        for journey, code in urgent
    }
    for journey, arrival in arrivals.items():
        await desk.arrive(CLINIC, ArriveCommand(DESK, arrival), f"arrive-{journey}")
    free = SeatCommand(DESK, "B", "note-free", status=SeatStatus.AVAILABLE)
    await desk.change_seat(CLINIC, free, "free-B")
    await desk.arrive(CLINIC, ArriveCommand(DESK, arrivals["u1"]), "again-u1")
    await desk.accept(CLINIC, AcceptCommand(Actor("B", Role.CONSULTANT), "u1"), "accept-u1")
    handle = client.get_workflow_handle(desk_workflow_id(CLINIC))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("u2", "cancel", ended=True))
    worse = EmergencyReason.CONDITION_WORSENED
    recheck = Arrival("r1", "client-r1", VisitCategory.RECHECK, emergency=worse)
    await desk.arrive(CLINIC, ArriveCommand(DESK, recheck), "arrive-r1")
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("r1", "assign_consultant", "doctor-1"))
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-scope", scope=[]), "scope-a")
    await logged(CLINIC, "SEAT_CHANGED", 6)  # every record in the history, the last one too


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
