"""A desk whose emergencies were taken in hand (one accepted, one by her consultant's first
action, one whose journey ended), recorded before an EMERGENCY alert left the board once its
emergency was in hand, replays with the current code as it ran: the same commands, the same
answers and the same records to the writer, every alert kept. A desk run with the current code
takes each alert off the board, an emergency nobody could take's when her journey ends, and
replays too. Recorded by
tests/workflows/record_desk_emergency_history.py.
"""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import AcceptCommand, ArriveCommand, DeskReply
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.desk import AlertKind
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from tests.support import DESK
from tests.workflows.desk_replay import (
    assert_replays_as_run,
    recorded_before,
    replayed_as_recorded,
    replayed_regardless,
)
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import EMERGENCY_ALERT_CLEARED
from workflows.triage import desk_workflow_id

RECORDING = "emergency_taken"


def emergencies(reply: DeskReply) -> list[str | None]:
    """The journeys whose EMERGENCY alert the answer's board shows."""
    assert reply.state is not None
    return [a.journey_id for a in reply.state.alerts if a.kind is AlertKind.EMERGENCY]


async def test_a_desk_that_kept_its_emergency_alerts_replays_as_it_ran() -> None:
    # Given a desk's history in which three emergencies were taken in hand and their alerts
    # stayed on the board
    history, recorded = recorded_before(RECORDING, EMERGENCY_ALERT_CLEARED)
    assert emergencies(recorded["scope-c"]) == ["e1", "e2", "e3"]

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded: the alerts kept
    replies = await replayed_as_recorded(history)
    assert emergencies(replies["accept-e1"]) == ["e1", "e2", "e3"]


async def test_a_desk_that_cleared_them_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that takes an emergency in hand off the board without asking its history
    # When the recorded history is replayed
    replies, records = await replayed_regardless(monkeypatch, RECORDING, EMERGENCY_ALERT_CLEARED)
    # Then the answers and the board sent to the writer show none of the alerts the run kept
    assert emergencies(replies["accept-e1"]) == ["e2", "e3"]
    assert emergencies(replies["scope-c"]) == []
    assert records[-1]["state"]["alerts"] == []


async def test_a_desk_run_with_the_current_code_clears_them_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code: three emergencies, to A, B and C
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")
    urgent = (("e1", "A"), ("e2", "B"), ("e3", "C"))
    for journey, consultant in urgent:
        burn = EmergencyReason.FRESH_EXTENSIVE_BURN
        arrival = Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT, emergency=burn)
        reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
        assert reply.consultant_id == consultant
    assert [a.journey_id for a in (await gateway.desk(clinic)).alerts] == ["e1", "e2", "e3"]

    # When A accepts e1, B's first action on e2 reaches the desk and e3's journey ends
    taken = AcceptCommand(Actor("A", Role.CONSULTANT), "e1")
    accepted = await gateway.accept(clinic, taken, str(uuid.uuid4()))
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("e2", "record_consultation", "B"))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("e3", "cancel", ended=True))

    # Then each alert leaves the board as its emergency is taken in hand, none other with it
    assert emergencies(accepted) == ["e2", "e3"]
    await logged(clinic, "RELEASED")  # both signals handled, their records written
    assert (await gateway.desk(clinic)).alerts == []
    # And its history, the change's marker in it, replays with the records the run sent
    await assert_replays_as_run(handle, EMERGENCY_ALERT_CLEARED)


async def test_an_emergency_nobody_could_take_leaves_when_her_journey_ends_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, its one consultant busy, and an emergency arrival
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A:busy")
    burn = EmergencyReason.FRESH_EXTENSIVE_BURN
    arrival = Arrival("e4", "client-e4", VisitCategory.FIRST_VISIT, emergency=burn)
    reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
    assert reply.consultant_id is None
    alerts = (await gateway.desk(clinic)).alerts
    assert [a.kind for a in alerts] == [AlertKind.UNPLACED, AlertKind.EMERGENCY]

    # When her journey ends
    handle = client.get_workflow_handle(desk_workflow_id(clinic))
    await handle.signal(JOURNEY_MOVED_SIGNAL, JourneyNotice("e4", "cancel", ended=True))

    # Then her EMERGENCY alert leaves the board, her UNPLACED one with it, logged as released
    # to nobody
    released = await logged(clinic, "RELEASED")
    assert (released[0].journey_id, released[0].consultant_id) == ("e4", None)
    assert (await gateway.desk(clinic)).alerts == []
    # And its history, the change's marker in it, replays with the records the run sent
    await assert_replays_as_run(handle, EMERGENCY_ALERT_CLEARED)
