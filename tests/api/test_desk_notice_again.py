"""Through the real server and Temporal: the read-model writer's activity tells the desk of the
supervisor's reassignJourney with the event's write, and a retry of it (the write failed, the
signal went through) tells it again. Once the supervisor has placed the client anew since
(reassignClient, which her journey follows), the move told again is one the desk heard already:
the desk and her journey both keep naming the consultant reassignClient named."""

from __future__ import annotations

from dataclasses import replace

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.store.models import Journey
from domain.triage.desk import Assignment
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice
from schema.ids import decode_id
from tests.api.conftest import TASK_QUEUE
from tests.api.desk_moves import moved, placed_with_the_first
from tests.api.harness import Api, eventually
from tests.api.test_desk_placed_anew_then_moved import _placed_anew
from workflows import activities
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway


async def test_a_move_told_again_after_the_client_was_placed_anew_takes_her_nowhere(
    api: Api, temporal_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the notices the journeys' writer sends their desk, kept as sent
    told: list[JourneyNotice] = []
    tell = activities._tell_desk

    async def telling(clinic_id: str, notice: JourneyNotice) -> None:
        told.append(notice)
        await tell(clinic_id, notice)

    monkeypatch.setattr(activities, "_tell_desk", telling)
    # And a first visit the desk gave the first consultant, whose journey the supervisor moved
    # to the second (followed by the desk), then placed anew with the third (reassignClient)
    placed = await placed_with_the_first(api, consulting=2)
    journey_id = decode_id(placed.journey, "Journey")
    accounts = [decode_id(c, "StaffMember") for c in placed.consultants]
    assert journey_id is not None
    gateway = TriageGateway(temporal_env.client, TASK_QUEUE)

    async def assignment() -> Assignment:
        return replace((await gateway.desk(placed.clinic)).assignments[journey_id])

    await moved(placed, placed.consultants[1])
    await eventually(
        assignment,
        lambda a: a.consultant_id == accounts[1],
        timeout=30,
        what="the desk following the move",
    )
    await _placed_anew(placed, placed.consultants[2])
    before = await assignment()
    assert before.consultant_id == accounts[2]
    (move,) = [n for n in told if n.journey_id == journey_id and n.action == "reassign"]

    # When the writer's retry tells the desk of the move again
    desk = temporal_env.client.get_workflow_handle(desk_workflow_id(placed.clinic))
    await desk.signal(JOURNEY_MOVED_SIGNAL, move)

    # Then the desk, asked after the signal (a query sees every signal sent before it), keeps
    # her with the third consultant as reassignClient credited her, as her journey does
    assert await assignment() == before
    row = await Journey.get(id=journey_id)
    assert row.consultant_id == accounts[2]
