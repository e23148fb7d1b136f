"""Records a triage desk whose clients nobody accepted in time were taken, accepted by their
consultant's first action, gone or placed anew by the supervisor, for
test_desk_unaccepted_replay.py.

    python tests/workflows/record_desk_unaccepted_history.py

Writes tests/workflows/histories/desk/unaccepted_settled.json. The committed file was recorded
with the desk code from before a client's UNACCEPTED alert left the board once the desk no longer
waited on her assignment (the commit before desk-unaccepted-cleared): it stands for the desks
running when that change is deployed, whose UNACCEPTED alerts stayed until the day ended. The
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
from domain.triage.commands import (
    AcceptCommand,
    ArriveCommand,
    DeskReply,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
)
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from domain.triage.revenue import CreditRule
from tests.support import DESK
from tests.workflows.desk_recorder import TEN_MINUTES_AND_A_BIT, main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "unaccepted_settled.json"
TASK_QUEUE = "desk-record-unaccepted"
CLINIC = "clinic-desk-unaccepted"
SUPERVISOR = Actor("sup-1", Role.SUPERVISOR)
# Seat changes the scenario sends: A and B on duty, B busy, A's scope at the end.
SEAT_CHANGES = 4


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """A free and B busy, then `nobody_accepts_them`."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B"))
    busy = SeatCommand(DESK, "B", "note-busy", status=SeatStatus.BUSY)
    await desk.change_seat(CLINIC, busy, "busy-B")
    await nobody_accepts_them(desk, client, env, CLINIC)
    await logged(CLINIC, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too


async def nobody_accepts_them(
    desk: TriageGateway, client: Client, env: WorkflowEnvironment, clinic: str, prefix: str = ""
) -> dict[str, DeskReply]:
    """On a desk whose A is free and B busy: u1, u2, u3 and u4 placed with A, who lets them
    wait past the acceptance minutes, nobody free to hand them on to (the supervisor called for
    each); A takes u1; A acts first on u2's journey; u3's journey ends; the supervisor places u4
    anew with B; a seat change after, whose answer shows the desk's alerts. The answers by
    update id; each journey's id after `prefix` (a test's own, as the read model's rows are
    shared)."""
    journeys = {name: f"{prefix}{name}" for name in ("u1", "u2", "u3", "u4")}
    for name, journey_id in journeys.items():
        arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
        await desk.arrive(clinic, ArriveCommand(DESK, arrival), f"arrive-{name}")  # A
    await env.sleep(TEN_MINUTES_AND_A_BIT)  # nobody free: the supervisor is called for each
    consultant_a = Actor("A", Role.CONSULTANT)
    taken = await desk.accept(clinic, AcceptCommand(consultant_a, journeys["u1"]), "accept-u1")
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    acted = JourneyNotice(journeys["u2"], "record_consultation", "A")
    await handle.signal(JOURNEY_MOVED_SIGNAL, acted)
    ended = JourneyNotice(journeys["u3"], "cancel", ended=True)
    await handle.signal(JOURNEY_MOVED_SIGNAL, ended)
    anew = OverrideCommand(
        SUPERVISOR,
        OverrideKind.REASSIGN,
        "note-anew",
        journey_id=journeys["u4"],
        consultant_id="B",
        rule=CreditRule.CLIENT_REQUEST,
    )
    placed = await desk.override(clinic, anew, "reassign-u4")
    scope = SeatCommand(DESK, "A", "note-scope", scope=[])
    last = await desk.change_seat(clinic, scope, "scope-a")
    return {"accept-u1": taken, "reassign-u4": placed, "scope-a": last}


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
