"""A desk that sent a client marked other to the consultant of their lead's earliest contact,
recorded before such a client went in order whatever the lead said, replays with the current code as
it ran: the same commands and the same answers. A desk run with the current code replays too.
Recorded by tests/workflows/record_desk_other_lead_history.py.
"""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand
from domain.triage.decision import Arrival, Route
from tests.support import DESK, replayer
from tests.workflows.desk_replay import (
    as_answered_today,
    load,
    patched_regardless,
    recorded_replies,
    replay,
)
from tests.workflows.test_triage_desk import clear_of_midnight, open_desk
from workflows.desk_patches import OTHER_DROPS_LEAD
from workflows.triage import TriageDeskWorkflow, desk_workflow_id

RECORDING = "other_to_lead_owner"


def other_from_lead(journey_id: str) -> Arrival:
    """A client marked other whose only owner, C, is their lead's earliest contact."""
    return Arrival(
        journey_id, f"client-{journey_id}", VisitCategory.OTHER, owner_id="C", owner_from_lead=True
    )


async def test_a_desk_that_sent_an_other_client_to_the_lead_replays_as_it_ran() -> None:
    # Given a desk's history in which j1, marked other with C as their lead's earliest contact,
    # went to C as the owner, and the first visit j2 after it to A
    history = load(RECORDING)
    recorded = recorded_replies(history)
    assert recorded["arrive-j1"].decision is not None
    assert (recorded["arrive-j1"].consultant_id, recorded["arrive-j1"].decision.route) == (
        "C",
        Route.OWNER,
    )
    assert recorded["arrive-j2"].consultant_id == "A"

    # When the current desk code replays it (a command that differs would raise here)
    replayed = await replay(history)

    # Then every answer is the one recorded: j1 went to C, as it did then
    assert replayed == as_answered_today(recorded)


async def test_a_desk_that_dropped_the_lead_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that sends a client marked other in order without asking its history
    patched_regardless(monkeypatch, OTHER_DROPS_LEAD)
    # When the recorded history is replayed
    replayed = await replay(load(RECORDING))
    # Then j1 went in order to A, not counted, unlike the run it replays
    j1 = replayed["arrive-j1"]
    assert j1.decision is not None
    assert (j1.consultant_id, j1.decision.route, j1.decision.counted) == (
        "A",
        Route.IN_ORDER_UNCOUNTED,
        False,
    )


async def test_a_desk_run_with_the_current_code_gives_an_other_client_in_order_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk with A, B and C on duty
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")
    # When a client marked other arrives whose only owner is their lead's earliest contact, C
    command = ArriveCommand(DESK, other_from_lead("j1"))
    reply = await gateway.arrive(clinic, command, str(uuid.uuid4()))
    # Then they go in rotation order, not counted, as a client C owns for real would
    assert reply.decision is not None
    assert (reply.consultant_id, reply.decision.route, reply.decision.counted) == (
        "A",
        Route.IN_ORDER_UNCOUNTED,
        False,
    )
    # And the run's history, the change's marker in it, replays with the same commands
    history = await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
    await replayer(TriageDeskWorkflow).replay_workflow(history)
