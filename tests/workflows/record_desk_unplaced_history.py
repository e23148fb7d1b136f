"""Records a triage desk whose clients nobody could take were placed later, gone, taken outside
the desk or placed as a VIP, for test_desk_unplaced_replay.py.

    python tests/workflows/record_desk_unplaced_history.py

Writes tests/workflows/histories/desk/unplaced_placed.json. The committed file was recorded with
the desk code from before any client's UNPLACED alert left the board once she no longer waited
for a consultant (the commit before desk-unplaced-cleared): it stands for the desks running when
that change is deployed, whose UNPLACED alerts of clients who were no emergency, and both alerts
of an emergency placed as a VIP, stayed until the day ended. The script uses only what both
versions of the desk have, so it runs on either; re-record only on purpose.
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
from domain.triage.desk import SeatStatus
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "unplaced_placed.json"
TASK_QUEUE = "desk-record-unplaced"
CLINIC = "clinic-desk-unplaced"
FIRST = VisitCategory.FIRST_VISIT
SUPERVISOR = Actor("sup-1", Role.SUPERVISOR)


def vip(journey_id: str, consultant_id: str) -> OverrideCommand:
    """The supervisor's VIP placement of `journey_id` with `consultant_id`."""
    return OverrideCommand(
        SUPERVISOR,
        OverrideKind.PLACE_VIP,
        "note-vip",
        journey_id=journey_id,
        client_id=f"client-{journey_id}",
        consultant_id=consultant_id,
    )


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """A and B busy, then `nobody_waits_for_them`."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B"), busy=True)
    await nobody_waits_for_them(desk, client, CLINIC)
    await logged(CLINIC, "SEAT_CHANGED", 6)  # every record in the history, the last one too


async def nobody_waits_for_them(
    desk: TriageGateway, client: Client, clinic: str, prefix: str = ""
) -> dict[str, DeskReply]:
    """On a desk whose A and B are busy: p1, p2 and p3, no emergency, and e1, a burnt client,
    nobody could take; B free again and p1 sent again, placed with B; p2's journey ends; p3's
    consultant, whom the desk does not seat, acts on her journey; e1 placed as a VIP with A; a
    seat change after, whose answer shows the desk's alerts. The answers by update id; each
    journey's id after `prefix` (a test's own, as the read model's rows are shared)."""
    burn = EmergencyReason.FRESH_EXTENSIVE_BURN
    arrivals = {
        name: Arrival(f"{prefix}{name}", f"client-{prefix}{name}", FIRST, emergency=code)
        for name, code in (("p1", None), ("p2", None), ("p3", None), ("e1", burn))
    }
    for name, arrival in arrivals.items():
        await desk.arrive(clinic, ArriveCommand(DESK, arrival), f"arrive-{name}")
    free = SeatCommand(DESK, "B", "note-free", status=SeatStatus.AVAILABLE)
    await desk.change_seat(clinic, free, "free-B")
    placed = await desk.arrive(clinic, ArriveCommand(DESK, arrivals["p1"]), "again-p1")
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    ended = JourneyNotice(f"{prefix}p2", "cancel", ended=True)
    await handle.signal(JOURNEY_MOVED_SIGNAL, ended)
    outside = JourneyNotice(f"{prefix}p3", "record_consultation", "consultant-off-the-desk")
    await handle.signal(JOURNEY_MOVED_SIGNAL, outside)
    vip_placed = await desk.override(clinic, vip(f"{prefix}e1", "A"), "vip-e1")
    scope = SeatCommand(DESK, "A", "note-scope", scope=[])
    last = await desk.change_seat(clinic, scope, "scope-a")
    return {"again-p1": placed, "vip-e1": vip_placed, "scope-a": last}


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
