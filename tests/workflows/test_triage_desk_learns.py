"""The desk learns from the journeys themselves, on the time-skipping server: a consultant who
starts serving without pressing "accept" keeps the client, and a journey that ends releases its
pending assignment, so the 10-minute rule hands on neither."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store.triage_models import TriageEntry
from tests.support import DESK, assign, journey_start, registered_client, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin
from tests.workflows.test_triage_desk import (
    TEN_MINUTES_AND_A_BIT,
    arrive,
    clear_of_midnight,
    logged,
    open_desk,
)
from workflows.journey import JourneyWorkflow
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

_opened: list[str] = []


@pytest.fixture(autouse=True)
async def close_what_was_opened(client: Client) -> AsyncIterator[None]:
    """Desks and journeys left running would wake at every midnight that later tests skip to."""
    yield
    while _opened:
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(_opened.pop()).terminate("test over")


async def _assigned_journey(client: Client, gateway: TriageGateway, clinic: str) -> Handle:
    """A first visit the desk gave to A, and the journey naming A (as autoAssign does)."""
    customer = await registered_client(f"client-{uuid.uuid4().hex[:8]}", clinic)
    start = replace(journey_start(client_id=customer), clinic_id=clinic)
    handle = await begin(client, start, TASK_QUEUE)
    _opened.extend([desk_workflow_id(clinic), handle.id])
    assert await arrive(gateway, clinic, start.journey_id) == "A"
    await act(handle, assign(Actor("A", Role.CONSULTANT)))
    return handle


async def _kinds(clinic: str) -> list[str]:
    return list(
        await TriageEntry.filter(clinic_id=clinic).order_by("seq").values_list("kind", flat=True)
    )


async def test_recording_the_consultation_without_accepting_keeps_the_client(
    client: Client, env: WorkflowEnvironment
) -> None:
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B")
    handle = await _assigned_journey(client, gateway, clinic)

    # When A records the consultation, never pressing "accept"
    consulted = await act(handle, request(Action.RECORD_CONSULTATION, Actor("A", Role.CONSULTANT)))
    assert consulted.stage is Stage.CONSULTATION
    [accepted] = await logged(clinic, "ACCEPTED")
    await env.sleep(TEN_MINUTES_AND_A_BIT)

    # Then ten minutes later A still has the client: no hand-over, no give-back, no alert
    desk = await gateway.desk(clinic)
    assignment = desk.assignments[handle.id]
    assert (assignment.consultant_id, assignment.accepted) == ("A", True)
    assert {c: s.turns for c, s in desk.seats.items()} == {"A": 1, "B": 0}
    assert (desk.makeups, desk.alerts) == ([], [])
    assert (accepted.actor_id, accepted.journey_id) == ("A", handle.id)
    assert "TIMED_OUT" not in await _kinds(clinic)
    assert (await handle.query(JourneyWorkflow.facts)).consultant_id == "A"


async def test_a_journey_cancelled_after_assignment_is_released_and_nobody_loses_a_turn(
    client: Client, env: WorkflowEnvironment
) -> None:
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B")
    handle = await _assigned_journey(client, gateway, clinic)

    # When the front desk cancels the journey before A came
    cancelled = await act(handle, request(Action.CANCEL, DESK))
    assert cancelled.stage is Stage.CANCELLED
    await handle.result()
    [released] = await logged(clinic, "RELEASED")
    await env.sleep(TEN_MINUTES_AND_A_BIT)

    # Then nobody is handed the client who has gone, and nobody owes or is owed a turn
    desk = await gateway.desk(clinic)
    assert desk.pending() == []
    assert {c: s.turns for c, s in desk.seats.items()} == {"A": 1, "B": 0}
    assert (desk.makeups, desk.alerts) == ([], [])
    assert released.journey_id == handle.id
    assert "TIMED_OUT" not in await _kinds(clinic)
    assert await arrive(gateway, clinic, "next") == "B"


async def test_a_journey_of_a_clinic_without_a_desk_still_ends(client: Client) -> None:
    # A clinic that never opened its desk: the journey's notice finds nobody, and it ends
    customer = await registered_client(f"client-{uuid.uuid4().hex[:8]}", "clinic-no-desk")
    start = replace(journey_start(client_id=customer), clinic_id="clinic-no-desk")
    handle = await begin(client, start, TASK_QUEUE)
    await act(handle, request(Action.CANCEL, DESK))
    assert (await handle.result()).stage is Stage.CANCELLED
