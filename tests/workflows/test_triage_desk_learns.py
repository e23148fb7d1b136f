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
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import Action
from domain.roles import Role
from domain.store.triage_models import RevenueCredit, TriageEntry
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, ReclassifyRule
from domain.triage.decision import Arrival, Route
from domain.triage.policy import RotationPolicy
from tests.support import DESK, SUPERVISOR, assign, journey_start, registered_client, request
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
    # Waited for without letting the test server skip time: asked for a result, it sometimes
    # skipped to the desk's midnight (a new day resets every turn) although the run had ended.
    with env.auto_time_skipping_disabled():
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


async def test_a_recheck_at_the_desk_is_routed_without_an_alert(client: Client) -> None:
    gateway, clinic = await open_desk(client, "A", "B")
    _opened.append(desk_workflow_id(clinic))
    recheck = Arrival("r1", "client-r1", VisitCategory.RECHECK)
    reply = await gateway.arrive(clinic, ArriveCommand(DESK, recheck), "arrive-r1")
    assert (reply.consultant_id, reply.decision and reply.decision.route) == (None, Route.RECHECK)
    [routed] = await logged(clinic, "ROUTED")
    assert routed.journey_id == "r1"
    assert (await gateway.desk(clinic)).alerts == []
    assert "SUPERVISOR_ALERT" not in await _kinds(clinic)


async def test_the_supervisors_pick_for_an_absent_owner_is_logged_and_credited_to_them(
    client: Client,
) -> None:
    gateway, clinic = await open_desk(client, "A:away", "B", "C")
    _opened.append(desk_workflow_id(clinic))
    arranges = RotationPolicy(stand_in_for_absent_owner=False)
    policy = OverrideCommand(SUPERVISOR, OverrideKind.SET_POLICY, "note-p", policy=arranges)
    await gateway.override(clinic, policy, "policy")
    visit = Arrival("s1", "client-s1", VisitCategory.RETURN_VISIT, owner_id="A")
    called = await gateway.arrive(clinic, ArriveCommand(DESK, visit), "arrive-s1")
    assert called.consultant_id is None

    picked = await gateway.arrive(clinic, ArriveCommand(SUPERVISOR, visit, "C"), "pick-s1")

    assert picked.decision is not None and picked.decision.route is Route.OWNER_STAND_IN
    desk = await gateway.desk(clinic)
    assert desk.alerts == [] and desk.assignments["s1"].accepted
    await logged(clinic, "ASSIGNED")
    credits = await RevenueCredit.filter(journey_id="s1").values_list("consultant_id", "rule")
    assert credits == [("A", "OWNER_STAND_IN")]


async def test_reclassifying_a_visit_recomputes_the_counts_without_a_make_up(
    client: Client,
) -> None:
    gateway, clinic = await open_desk(client, "A", "B")
    _opened.append(desk_workflow_id(clinic))
    assert await arrive(gateway, clinic, "x1") == "A"
    command = OverrideCommand(
        Actor("expert-1", Role.EXPERT),
        OverrideKind.RECLASSIFY,
        "note-ruled-out",
        journey_id="x1",
        category=VisitCategory.OTHER,
        reclassify_rule=ReclassifyRule.RULED_OUT_BY_MEDICAL_DIRECTOR,
    )

    reply = await gateway.override(clinic, command, "reclassify-x1")

    assert reply.state is not None
    assert {c: s.turns for c, s in reply.state.seats.items()} == {"A": 0, "B": 0}
    assert reply.state.makeups == []
    [entry] = await logged(clinic, "RECLASSIFIED")
    assert (entry.details["rule"], entry.policy) == ("RULED_OUT_BY_MEDICAL_DIRECTOR", "default v1")
    assert await arrive(gateway, clinic, "x2") == "B"
