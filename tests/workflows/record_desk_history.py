"""Records a triage desk whose commands carry the staff's words, for test_desk_replay.py.

    python tests/workflows/record_desk_history.py

Writes tests/workflows/histories/desk/legacy_reasons.json. The committed file was recorded with
the desk code from before staff words moved to desk notes (commit 4d60471): it stands for the
desks that were running then, whose histories hold the reasons themselves. It sends commands
with `reason=` and a policy with a `name`, which today's desk refuses in its validators (its
handlers still replay them: `test_desk_replay.py`), so it runs only on a checkout of the desk
from before that commit, with desk_recorder.py beside it. Re-record only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import (
    AcceptCommand,
    ArriveCommand,
    OrderCommand,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
)
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from domain.triage.policy import RotationPolicy
from domain.triage.revenue import CreditRule
from tests.support import DESK, SUPERVISOR
from tests.workflows.desk_recorder import main
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "legacy_reasons.json"
TASK_QUEUE = "desk-record"
CLINIC = "clinic-desk-replay"


def override(kind: OverrideKind, reason: str, **fields: object) -> OverrideCommand:
    return OverrideCommand(SUPERVISOR, kind, reason=reason, **fields)  # type: ignore[arg-type]


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Seats, a named policy, key-item staff, arrivals, every override: each with its words."""
    desk = TriageGateway(client, TASK_QUEUE)
    steps = iter(range(1, 100))

    async def seat(consultant: str, reason: str, **change: object) -> None:
        command = SeatCommand(DESK, consultant, reason=reason, **change)  # type: ignore[arg-type]
        await desk.change_seat(CLINIC, command, f"seat-{next(steps)}")

    for consultant in ("A", "B", "C"):
        await seat(consultant, "morning roster", on_duty=True)
    await seat("B", "with a client until 10", status=SeatStatus.BUSY)
    strict = RotationPolicy(name="strict", busy_makeup=False)
    await desk.override(CLINIC, override(OverrideKind.SET_POLICY, "handbook B", policy=strict), "p")
    ranked = override(OverrideKind.SET_KEY_ITEM_PRIORITY, "best last month", priority=["C"])
    await desk.override(CLINIC, ranked, "key-items")
    for journey in ("j1", "j2"):
        arrival = Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT, ("skin",))
        await desk.arrive(CLINIC, ArriveCommand(DESK, arrival), f"arrive-{journey}")
    await desk.accept(CLINIC, AcceptCommand(DESK, "j1"), "accept-j1")
    reassign = override(
        OverrideKind.REASSIGN,
        "the client asked for someone else",
        journey_id="j2",
        consultant_id="A",
        rule=CreditRule.CLIENT_REQUEST,
    )
    await desk.override(CLINIC, reassign, "reassign-j2")
    vip = override(
        OverrideKind.PLACE_VIP,
        "the mayor's office",
        journey_id="j3",
        client_id="client-j3",
        consultant_id="A",
    )
    await desk.override(CLINIC, vip, "vip-j3")
    await desk.override(CLINIC, override(OverrideKind.CORRECT, "typo", amends_seq=1), "correct")
    await desk.set_order(CLINIC, OrderCommand(SUPERVISOR, ["C", "A", "B"]), "order")
    left = override(
        OverrideKind.CONSULTANT_LEFT, "moved to another city", consultant_id="C", successor_id="A"
    )
    await desk.override(CLINIC, left, "left-c")


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
