"""The emergency route changes what a desk decides (`workflows.desk_patches.EMERGENCY_ROUTE`):
desks recorded before it replay with the current code as they ran, and a desk run with the current
code that received an emergency replays too, the change's marker in its history.
"""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.decision import Arrival, EmergencyReason, Route
from domain.triage.desk import AlertKind, SeatStatus
from tests.support import DESK, replayer
from tests.workflows.desk_replay import RECORDINGS, load, marked
from tests.workflows.test_triage_desk import clear_of_midnight, open_desk
from workflows.desk_patches import EMERGENCY_ROUTE
from workflows.triage import TriageDeskWorkflow, desk_workflow_id

# Recorded with the route, its marker in the history (test_desk_emergency_alert_replay.py,
# test_desk_unplaced_emergency_replay.py, test_desk_unplaced_replay.py).
WITH_THE_ROUTE = {"emergency_taken", "emergency_unplaced", "unplaced_placed"}
OLD_DESKS = sorted(
    path.stem for path in RECORDINGS.glob("*.json") if path.stem not in WITH_THE_ROUTE
)


@pytest.mark.parametrize("name", OLD_DESKS)
async def test_a_desk_recorded_before_the_emergency_route_replays_without_asking(
    name: str,
) -> None:
    # Given a desk history recorded before the emergency route
    history = load(name)
    assert not marked(history, EMERGENCY_ROUTE)
    # When the current desk code replays it (a command that differs would raise here)
    await replayer(TriageDeskWorkflow).replay_workflow(history)


async def test_a_desk_that_received_an_emergency_replays_with_the_marker(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk where A is busy and B free, and nobody's scope covers laser
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")
    for name in ("A", "B", "C"):
        scope = SeatCommand(DESK, name, "note-scope", scope=["laser"])
        await gateway.change_seat(clinic, scope, str(uuid.uuid4()))
    busy = SeatCommand(DESK, "A", "note-busy", status=SeatStatus.BUSY)
    await gateway.change_seat(clinic, busy, str(uuid.uuid4()))
    # When a burnt client arrives for a skin item
    burn = EmergencyReason.FRESH_EXTENSIVE_BURN
    arrival = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT, ("skin",), emergency=burn)
    reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
    # Then B, the first free, receives her as a turn, and the desk alerts the supervisor
    assert reply.decision is not None
    assert (reply.consultant_id, reply.decision.route, reply.decision.counted) == (
        "B",
        Route.EMERGENCY,
        True,
    )
    # And a waiting client marked later whose consultant went busy goes on to the next free one
    plain = Arrival("j2", "client-j2", VisitCategory.FIRST_VISIT, ("laser",))
    second = await gateway.arrive(clinic, ArriveCommand(DESK, plain), str(uuid.uuid4()))
    assert second.consultant_id == "C"
    away = SeatCommand(DESK, "C", "note-away", status=SeatStatus.AWAY)
    await gateway.change_seat(clinic, away, str(uuid.uuid4()))
    worse = OverrideCommand(
        DESK, OverrideKind.EMERGENCY, journey_id="j2", emergency=EmergencyReason.CONDITION_WORSENED
    )
    handed = await gateway.override(clinic, worse, str(uuid.uuid4()))
    assert handed.state is not None
    assert handed.state.assignments["j2"].consultant_id == "B"
    desk = await gateway.desk(clinic)
    assert [a.kind for a in desk.alerts] == [AlertKind.EMERGENCY, AlertKind.EMERGENCY]
    # And the run's history, the change's marker in it, replays with the same commands
    history = await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
    assert marked(history, EMERGENCY_ROUTE)
    await replayer(TriageDeskWorkflow).replay_workflow(history)
