"""The desk's admission on the Temporal dev server (which enforces 10 in-flight updates per
workflow, as production does): callers beyond the limit wait or retry, none fails."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.store.triage_models import TriageEntry
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.api.conftest import TASK_QUEUE
from tests.api.harness import Api, eventually
from tests.support import DESK
from workflows.desk_admission import DeskAdmission
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

CONSULTANTS = ("c0", "c1", "c2", "c3")
PROCESSES = 2
ARRIVALS_EACH = 50
LOG_TIMEOUT = 120.0


async def _desk(gateway: TriageGateway) -> str:
    clinic = f"admission-{uuid.uuid4().hex[:8]}"
    for name in CONSULTANTS:
        command = SeatCommand(DESK, name, "note-roster", on_duty=True)
        await gateway.change_seat(clinic, command, str(uuid.uuid4()))
    return clinic


async def _arrive(gateway: TriageGateway, clinic: str, journey_id: str) -> str | None:
    arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
    reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
    return reply.consultant_id


async def test_api_processes_sharing_one_desk_past_its_limit_lose_no_arrival(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    # Given two API processes (each its own admission) sharing one desk: together they may
    # send 2 x 8 updates at once, past Temporal's 10, so the desk refuses some
    processes = [
        TriageGateway(temporal_env.client, TASK_QUEUE, admission=DeskAdmission())
        for _ in range(PROCESSES)
    ]
    clinic = await _desk(processes[0])
    journeys = [f"journey-{uuid.uuid4().hex[:12]}" for _ in range(PROCESSES * ARRIVALS_EACH)]

    # When all arrivals come at once
    chosen = await asyncio.gather(
        *(_arrive(processes[n % PROCESSES], clinic, j) for n, j in enumerate(journeys))
    )

    # Then each got a consultant, in strict rotation, and is in the log exactly once
    total = len(journeys)
    assert Counter(chosen) == dict.fromkeys(CONSULTANTS, total // len(CONSULTANTS))
    entries = await eventually(
        lambda: TriageEntry.filter(clinic_id=clinic, kind="ASSIGNED").all(),
        lambda rows: len(rows) >= total,
        timeout=LOG_TIMEOUT,
        what=f"{total} assignments in the desk log",
    )
    assert Counter(e.journey_id for e in entries) == dict.fromkeys(journeys, 1)
    # and the desk's history accepted each update once, even where the crowd made the server
    # drop a workflow task and abort the updates waiting on it, which the callers sent again
    history = await temporal_env.client.get_workflow_handle(
        desk_workflow_id(clinic)
    ).fetch_history()
    accepted = Counter(
        event.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    )
    assert len(accepted) == len(CONSULTANTS) + total
    assert set(accepted.values()) == {1}
