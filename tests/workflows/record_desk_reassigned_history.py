"""Records a triage desk whose client waiting for A was moved to C by the supervisor's
reassignJourney, and whose emergency the supervisor placed anew with A by reassignClient, each
new consultant acting first after, for test_desk_reassigned_replay.py.

    python tests/workflows/record_desk_reassigned_history.py

Writes tests/workflows/histories/desk/reassigned_elsewhere.json. The committed file was recorded
with the desk code from before the desk followed a journey reassigned away from its consultant and
before a reassigned emergency's alert left the board at her new consultant's first action (the
commit before desk-follows-journey-reassigned and desk-reassigned-emergency-cleared): it stands
for the desks running when those changes are deployed, which handed such a client on at her first
consultant's deadline and kept such an emergency's alert until the day ended. The script uses
only what every version of the desk has, so it runs on either; re-record only on purpose.
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
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from domain.triage.revenue import CreditRule
from tests.support import DESK
from tests.workflows.desk_recorder import TEN_MINUTES_AND_A_BIT, main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "reassigned_elsewhere.json"
TASK_QUEUE = "desk-record-reassigned"
CLINIC = "clinic-desk-reassigned"
SUPERVISOR = Actor("sup-1", Role.SUPERVISOR)
# Seat changes the scenario sends: A, B and C on duty, A's scope at the end.
SEAT_CHANGES = 4


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """A, B and C free, then `reassigned_elsewhere`."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    await reassigned_elsewhere(desk, client, env, CLINIC)
    await logged(CLINIC, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too


async def reassigned_elsewhere(
    desk: TriageGateway, client: Client, env: WorkflowEnvironment, clinic: str, prefix: str = ""
) -> dict[str, DeskReply]:
    """On a desk whose A, B and C are free: m1 placed with A and e1 with B; e1 marked an
    emergency (B free, she stays with B) and placed anew with A by the supervisor
    (reassignClient); m1's journey moved to C by the supervisor (reassignJourney: the journey
    tells the desk), C then acting first on it, and A acting first on e1's; the acceptance
    minutes pass; a seat change after, whose answer shows the desk's alerts and the clients
    still waiting. The answers by update id; each journey's id after `prefix` (a test's own, as
    the read model's rows are shared)."""
    moved, urgent = f"{prefix}m1", f"{prefix}e1"
    for name, journey_id in (("m1", moved), ("e1", urgent)):
        arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
        await desk.arrive(clinic, ArriveCommand(DESK, arrival), f"arrive-{name}")  # A, then B
    worse = EmergencyReason.CONDITION_WORSENED
    mark = OverrideCommand(DESK, OverrideKind.EMERGENCY, journey_id=urgent, emergency=worse)
    marked = await desk.override(clinic, mark, "mark-e1")
    anew = OverrideCommand(
        SUPERVISOR,
        OverrideKind.REASSIGN,
        "note-anew",
        journey_id=urgent,
        consultant_id="A",
        rule=CreditRule.CLIENT_REQUEST,
    )
    placed = await desk.override(clinic, anew, "reassign-e1")
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    for notice in (
        JourneyNotice(moved, "reassign", "C"),
        JourneyNotice(moved, "record_consultation", "C"),
        JourneyNotice(urgent, "record_consultation", "A"),
    ):
        await handle.signal(JOURNEY_MOVED_SIGNAL, notice)
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # A's acceptance minutes for m1 pass
    scope = SeatCommand(DESK, "A", "note-scope", scope=[])
    last = await desk.change_seat(clinic, scope, "scope-a")
    return {"mark-e1": marked, "reassign-e1": placed, "scope-a": last}


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
