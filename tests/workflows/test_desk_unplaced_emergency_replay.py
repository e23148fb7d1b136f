"""A desk whose emergencies nobody could take were placed later, taken or ended, and whose
recheck emergency was assigned her doctor, recorded before such alerts left the board, replays
with the current code as it ran: the same commands, answers and records, every UNPLACED alert
kept with the recheck's EMERGENCY one. A desk run with the current code takes each off the
board as she is placed, taken in hand or gone, and replays too. Recorded by
tests/workflows/record_desk_unplaced_emergency_history.py.
"""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import AcceptCommand, ArriveCommand, DeskReply, SeatCommand
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.desk import SeatStatus
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from tests.support import DESK
from tests.workflows.desk_replay import (
    assert_replays_as_run,
    recorded_before,
    replayed_as_recorded,
    replayed_regardless,
)
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import EMERGENCY_UNPLACED_CLEARED
from workflows.triage import desk_workflow_id

RECORDING = "emergency_unplaced"
KEPT = [("UNPLACED", "u1"), ("UNPLACED", "u2"), ("EMERGENCY", "r1")]


def alerts(reply: DeskReply) -> list[tuple[str | None, str | None]]:
    """The kinds and journeys of the alerts the answer's board shows."""
    assert reply.state is not None
    return [(a.kind.value if a.kind else None, a.journey_id) for a in reply.state.alerts]


async def test_a_desk_that_kept_its_unplaced_emergency_alerts_replays_as_it_ran() -> None:
    # Given a desk's history in which emergencies nobody could take were placed, taken or
    # ended, and a recheck emergency assigned her doctor, their alerts staying on the board
    history, recorded = recorded_before(RECORDING, EMERGENCY_UNPLACED_CLEARED)
    assert alerts(recorded["scope-a"]) == KEPT

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded: the alerts kept
    replies = await replayed_as_recorded(history)
    assert alerts(replies["accept-u1"]) == [
        ("UNPLACED", "u1"),
        ("UNPLACED", "u2"),
        ("EMERGENCY", "u2"),
    ]


async def test_a_desk_that_cleared_them_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that clears them without asking its history
    # When the recorded history is replayed
    replies, records = await replayed_regardless(monkeypatch, RECORDING, EMERGENCY_UNPLACED_CLEARED)
    # Then the answers and the board sent to the writer show none of the alerts the run kept
    assert alerts(replies["accept-u1"]) == [("UNPLACED", "u2"), ("EMERGENCY", "u2")]
    assert alerts(replies["scope-a"]) == []
    assert records[-1]["state"]["alerts"] == []


async def test_a_desk_run_with_the_current_code_clears_them_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, A busy: u1 and u2 emergencies nobody could take
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A:busy")
    burn = EmergencyReason.FRESH_EXTENSIVE_BURN
    arrivals = [
        Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT, emergency=burn)
        for journey in ("u1", "u2")
    ]
    for arrival in arrivals:
        reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
        assert reply.consultant_id is None

    # When A is free and u1 sent again, A takes her, u2's journey ends, and a recheck
    # emergency's journey says her doctor has her
    free = SeatCommand(DESK, "A", "note-free", status=SeatStatus.AVAILABLE)
    await gateway.change_seat(clinic, free, str(uuid.uuid4()))
    placed = await gateway.arrive(clinic, ArriveCommand(DESK, arrivals[0]), str(uuid.uuid4()))
    board = await gateway.desk(clinic)
    placed_alerts = [(a.kind.value if a.kind else None, a.journey_id) for a in board.alerts]
    taken = AcceptCommand(Actor("A", Role.CONSULTANT), "u1")
    accepted = await gateway.accept(clinic, taken, str(uuid.uuid4()))
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("u2", "cancel", ended=True))
    worse = EmergencyReason.CONDITION_WORSENED
    recheck = Arrival("r1", "client-r1", VisitCategory.RECHECK, emergency=worse)
    await gateway.arrive(clinic, ArriveCommand(DESK, recheck), str(uuid.uuid4()))
    doctor = JourneyNotice("r1", "assign_consultant", "doctor-1")
    await handle.signal(JOURNEY_MOVED_SIGNAL, doctor)

    # Then u1's UNPLACED alert left when A received her, her EMERGENCY one when A took her
    assert placed.consultant_id == "A"
    assert placed_alerts == [("UNPLACED", "u2"), ("EMERGENCY", "u2"), ("EMERGENCY", "u1")]
    assert alerts(accepted) == [("UNPLACED", "u2"), ("EMERGENCY", "u2")]
    # And u2's alerts left with her journey, r1's once her doctor had her
    routed = await logged(clinic, "ROUTED", 2)  # the recheck's route, and her doctor
    assert (routed[-1].journey_id, routed[-1].consultant_id) == ("r1", "doctor-1")
    assert (await gateway.desk(clinic)).alerts == []
    # And its history, the change's marker in it, replays with the records the run sent
    await assert_replays_as_run(handle, EMERGENCY_UNPLACED_CLEARED)
