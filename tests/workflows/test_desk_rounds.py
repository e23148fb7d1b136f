"""Arrivals in rounds (`arrive_batch`) on the desk workflow: the same decisions as one by one,
a refusal stays with its own arrival, and a crowd is a handful of updates."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from domain.errors import NotAuthorized
from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import ArriveCommand, DeskReply
from domain.triage.decision import Arrival
from tests.support import DESK
from tests.workflows.test_triage_desk import open_desk
from workflows.desk_admission import DeskAdmission
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

SEATS = ("A", "B", "C:busy", "D")
# Journeys in the order they arrive: first visits, a return visit, a recheck, one repeated.
ARRIVALS = [
    ("j1", VisitCategory.FIRST_VISIT),
    ("j2", VisitCategory.FIRST_VISIT),
    ("j3", VisitCategory.RETURN_VISIT),
    ("j4", VisitCategory.FIRST_VISIT),
    ("j2", VisitCategory.FIRST_VISIT),
    ("j5", VisitCategory.RECHECK),
    ("j6", VisitCategory.FIRST_VISIT),
]
NOT_FRONT_DESK = Actor("A", Role.CONSULTANT)


def _command(journey: str, category: VisitCategory, actor: Actor = DESK) -> ArriveCommand:
    return ArriveCommand(actor, Arrival(journey, f"client-{journey}", category))


def _compared(reply: DeskReply) -> tuple[object, ...]:
    decision = reply.decision
    assert decision is not None
    return (reply.version, reply.entries, decision)


async def _lone(gateway: TriageGateway, clinic: str) -> list[tuple[object, ...]]:
    replies = []
    for journey, category in ARRIVALS:
        reply = await gateway.arrive(clinic, _command(journey, category), str(uuid.uuid4()))
        replies.append(_compared(reply))
    return replies


async def test_arrivals_in_rounds_are_decided_as_one_by_one(client: Client) -> None:
    lone_gateway, lone_clinic = await open_desk(client, *SEATS)
    crowd_gateway, crowd_clinic = await open_desk(client, *SEATS)
    crowd_gateway.admission = DeskAdmission()

    one_by_one = await _lone(lone_gateway, lone_clinic)
    together = await asyncio.gather(
        *(crowd_gateway.queue_arrival(crowd_clinic, _command(j, c)) for j, c in ARRIVALS)
    )

    assert [_compared(reply) for reply in together] == one_by_one
    lone_desk = await lone_gateway.desk(lone_clinic)
    crowd_desk = await crowd_gateway.desk(crowd_clinic)
    assert crowd_desk.seats == lone_desk.seats
    assert crowd_desk.assignments.keys() == lone_desk.assignments.keys()
    # They came together, so they went in one round: one update for all seven.
    rounds = crowd_gateway.admission.arrivals(desk_workflow_id(crowd_clinic), _never, 1.0)
    assert rounds.rounds_sent == 1
    history = await client.get_workflow_handle(desk_workflow_id(crowd_clinic)).fetch_history()
    names = [
        event.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    ]
    assert names.count("arrive_batch") == 1
    assert "arrive" not in names


async def test_a_refused_arrival_in_a_round_leaves_the_others_decided(client: Client) -> None:
    gateway, clinic = await open_desk(client, "A", "B")
    gateway.admission = DeskAdmission()
    commands = [
        _command("r1", VisitCategory.FIRST_VISIT),
        _command("r2", VisitCategory.FIRST_VISIT),
        _command("r3", VisitCategory.FIRST_VISIT, actor=NOT_FRONT_DESK),
        _command("r4", VisitCategory.FIRST_VISIT),
    ]

    outcomes = await asyncio.gather(
        *(gateway.queue_arrival(clinic, command) for command in commands),
        return_exceptions=True,
    )

    assert [o.consultant_id for o in outcomes if isinstance(o, DeskReply)] == ["A", "B", "A"]
    assert isinstance(outcomes[2], NotAuthorized)
    assert "triage needs one of" in outcomes[2].message
    desk = await gateway.desk(clinic)
    assert set(desk.assignments) == {"r1", "r2", "r4"}


async def _never(commands: list[ArriveCommand]) -> list[object]:
    pytest.fail("the rounds of this desk were made by the gateway")
