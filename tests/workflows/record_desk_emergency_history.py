"""Records a triage desk whose emergencies were taken in hand, for
test_desk_emergency_alert_replay.py.

    python tests/workflows/record_desk_emergency_history.py

Writes tests/workflows/histories/desk/emergency_taken.json. The committed file was recorded with
the desk code from before an EMERGENCY alert left the board once the emergency was taken in hand
(the commit before desk-emergency-alert-cleared): it stands for the desks running when that change
is deployed, whose alerts stayed until the day ended. The script uses only what both versions of
the desk have, so it runs on either; re-record only on purpose.
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
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "emergency_taken.json"
TASK_QUEUE = "desk-record-emergency"
CLINIC = "clinic-desk-emergency"


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a burnt client to A, accepted; a road accident to B, whose journey
    tells the desk of B's first action; a worsened client to C, whose journey ends; a seat
    change after, whose answer shows the desk's alerts."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    urgent = (
        ("e1", EmergencyReason.FRESH_EXTENSIVE_BURN),
        ("e2", EmergencyReason.ROAD_ACCIDENT),
        ("e3", EmergencyReason.CONDITION_WORSENED),
    )
    for journey, code in urgent:
        arrival = Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT, emergency=code)
        await desk.arrive(CLINIC, ArriveCommand(DESK, arrival), f"arrive-{journey}")
    await desk.accept(CLINIC, AcceptCommand(Actor("A", Role.CONSULTANT), "e1"), "accept-e1")
    handle = client.get_workflow_handle(desk_workflow_id(CLINIC))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("e2", "record_consultation", "B"))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("e3", "cancel", ended=True))
    await desk.change_seat(CLINIC, SeatCommand(DESK, "C", "note-scope", scope=[]), "scope-c")
    await logged(CLINIC, "SEAT_CHANGED", 4)  # every record in the history, the last one too


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
