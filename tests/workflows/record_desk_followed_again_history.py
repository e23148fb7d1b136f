"""Records a triage desk whose client, followed from A to B when the supervisor moved her journey
(reassignJourney), was moved again to C, and whose emergency, followed from B to A the same way,
saw her journey end before A acted, for test_desk_followed_again_replay.py.

    python tests/workflows/record_desk_followed_again_history.py

Writes tests/workflows/histories/desk/followed_again.json. The committed file was recorded with
the desk code from before the desk followed a journey it had followed once when it was moved
again, and before an emergency placed anew left the board when her journey ended before her new
consultant acted (the commit before desk-follows-journey-again and
desk-reassigned-emergency-ended-cleared): it stands for the desks running when those changes are
deployed, which kept the revenue with B and the emergency's alert until the day ended. The script
uses only what every version of the desk since desk-follows-journey-reassigned has; re-record
only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import (
    ArriveCommand,
    DeskReply,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
)
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "followed_again.json"
TASK_QUEUE = "desk-record-followed-again"
CLINIC = "clinic-desk-followed-again"
# Seat changes the scenario sends: A, B and C on duty, A's scope at the end.
SEAT_CHANGES = 4


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """A, B and C free, then `followed_again`."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    await followed_again(desk, client, CLINIC)
    await logged(CLINIC, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too


async def followed_again(
    desk: TriageGateway, client: Client, clinic: str, prefix: str = ""
) -> dict[str, DeskReply]:
    """On a desk whose A, B and C are free: m2 placed with A and e2 with B; e2 marked an
    emergency (B free, she stays with B); m2's journey moved to B, then to C, and e2's to A, by
    the supervisor (reassignJourney: the journey tells the desk each time), e2's journey then
    cancelled before A acted on it; a seat change after, whose answer shows the desk's alerts.
    The answers by update id; each journey's id after `prefix` (a test's own, as the read
    model's rows are shared)."""
    moved, urgent = f"{prefix}m2", f"{prefix}e2"
    for name, journey_id in (("m2", moved), ("e2", urgent)):
        arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
        await desk.arrive(clinic, ArriveCommand(DESK, arrival), f"arrive-{name}")  # A, then B
    worse = EmergencyReason.CONDITION_WORSENED
    mark = OverrideCommand(DESK, OverrideKind.EMERGENCY, journey_id=urgent, emergency=worse)
    marked = await desk.override(clinic, mark, "mark-e2")
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    for notice in (
        JourneyNotice(moved, "reassign", "B"),
        JourneyNotice(moved, "reassign", "C"),
        JourneyNotice(urgent, "reassign", "A"),
        JourneyNotice(urgent, "cancel", ended=True),
    ):
        await handle.signal(JOURNEY_MOVED_SIGNAL, notice)
    scope = SeatCommand(DESK, "A", "note-scope", scope=[])
    last = await desk.change_seat(clinic, scope, "scope-a")
    return {"mark-e2": marked, "scope-a": last}


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
