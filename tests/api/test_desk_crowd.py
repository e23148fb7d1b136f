"""A crowd at one triage desk from several API processes, in the production topology: four
`glowpath api` processes and a `glowpath worker`, each API sending its share of `autoAssign`
calls at once, together several times Temporal's 10 in-flight updates per workflow.

Every arrival takes exactly one turn, in the order the rotation gives, none fails, none is
decided twice, and the worker does not log the desk's workflow tasks as lost ("not found").
On PostgreSQL only: separate processes on one SQLite file meet "database is locked" (README).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from schema.ids import decode_id
from tests.api import documents
from tests.api.harness import Api, create_clinic, demo_password_hash, eventually, sign_in_all
from tests.api.test_operations import free_port
from tests.api.test_processes import environment, records, stop, wait_ready
from tests.api.test_triage_api import AUTO_ASSIGN, UPDATE_SEAT
from tests.staff_rows import more_consultants
from workflows.triage import desk_workflow_id

PROCESSES = 4
ARRIVALS_EACH = 10
CONSULTANTS = 4
# Generous: the machine may be running another suite beside this one.
LOG_TIMEOUT = 120.0
PREPARE_AT_ONCE = 8
# Five processes starting at once on a busy machine take a while to import and connect.
START_TIMEOUT = 150.0
TASK_REDONE = (
    EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
)
# What the worker logs when the server no longer knows a workflow task it completes.
TASK_LOST = ("not found", "NotFound")


@asynccontextmanager
async def _stack(
    start: Any, database: str, temporal_address: str, processes: int
) -> AsyncIterator[tuple[list[Api], Path]]:
    """One worker and `processes` API processes on one task queue; the worker's log."""
    env = environment(database, temporal_address)
    worker_port = free_port()
    worker, worker_log = start("worker", env | {"GLOWPATH_WORKER_HTTP_PORT": str(worker_port)})
    apis: list[tuple[Any, Path, int]] = []
    for n in range(processes):
        port = free_port()
        process, log = start("api", env | {"GLOWPATH_HTTP_PORT": str(port)}, name=f"api-{n}")
        apis.append((process, log, port))
    await wait_ready(f"http://127.0.0.1:{worker_port}/readyz", worker, worker_log, START_TIMEOUT)
    for process, log, port in apis:
        await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log, START_TIMEOUT)
    try:
        yield [Api(f"http://127.0.0.1:{port}/graphql") for _, _, port in apis], worker_log
    finally:
        for process, _, _ in apis:
            await stop(process)
        await stop(worker)


async def _clinic_with_consultants(api: Api) -> tuple[str, str, list[str]]:
    """A clinic, its front desk's token, and its consultants on duty (the desk opens here)."""
    clinic = f"crowd-{uuid.uuid4().hex[:6]}"
    prefix = f"{clinic}-"
    await create_clinic(clinic, prefix=prefix)
    token = (await sign_in_all(api, prefix=prefix))[Role.FRONT_DESK].token
    password_hash = demo_password_hash()
    consultants = await more_consultants(clinic, prefix, range(CONSULTANTS), password_hash)
    for consultant in consultants:
        seat = {"consultantId": consultant, "reason": "roster", "onDuty": True}
        result = await api.run(UPDATE_SEAT, token, input=seat)
        assert result["updateTriageSeat"]["__typename"] == "TriageBoardPayload", result
    return clinic, token, consultants


async def _journey_at_triage(api: Api, token: str, n: int, gate: asyncio.Semaphore) -> str:
    async with gate:
        client = await api.run(
            documents.REGISTER_CLIENT,
            token,
            input={
                "fullName": f"Crowd {n}",
                "birthDate": "1990-01-01",
                "phone": "+48 600 000 002",
                "dataConsent": True,
                "registerAnyway": True,  # shared test data, another person
            },
        )
        client_id = client["registerClient"]["client"]["id"]
        started = await api.run(documents.START_JOURNEY, token, input={"clientId": client_id})
    journey: dict[str, Any] = started["startJourney"]["journey"]
    assert journey["stage"] == "TRIAGE", journey
    return str(journey["id"])


def _accepted_update_ids(history: Any) -> Counter[str]:
    return Counter(
        event.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    )


@pytest.mark.postgres
async def test_four_api_processes_crowding_one_desk_each_arrival_takes_one_turn(
    start: Any, database: str, temporal_address: str, temporal_env: Any
) -> None:
    async with _stack(start, database, temporal_address, PROCESSES) as (apis, worker_log):
        # Given a desk with four consultants on duty and journeys waiting at triage
        clinic, token, consultants = await _clinic_with_consultants(apis[0])
        gate = asyncio.Semaphore(PREPARE_AT_ONCE)
        journeys = await asyncio.gather(
            *(
                _journey_at_triage(apis[n % PROCESSES], token, n, gate)
                for n in range(PROCESSES * ARRIVALS_EACH)
            )
        )
        seated = len(_accepted_update_ids(await _desk_history(temporal_env.client, clinic)))

        # When every API process sends its share of arrivals to the desk at once
        results = await asyncio.gather(
            *(
                apis[n % PROCESSES].run(AUTO_ASSIGN, token, input={"journeyId": journey})
                for n, journey in enumerate(journeys)
            )
        )

        # Then none failed, and the turns went round the rotation evenly
        payloads = [r["autoAssign"] for r in results]
        failed = [p for p in payloads if p["__typename"] != "AutoAssignPayload"]
        assert failed == [], failed[:3]
        total = len(journeys)
        chosen = Counter(p["decision"]["consultantId"] for p in payloads)
        assert chosen == dict.fromkeys(consultants, total // CONSULTANTS)
        assert all(
            p["journey"]["consultant"]["id"] == p["decision"]["consultantId"] for p in payloads
        )
        # and the desk accepted each update once (a round of arrivals or a seat change), with no
        # workflow task of the desk failed or timed out (and so done again)
        history = await _desk_history(temporal_env.client, clinic)
        accepted = _accepted_update_ids(history)
        assert set(accepted.values()) == {1}
        assert 0 < len(accepted) - seated <= total
        redone = [e.event_type for e in history.events if e.event_type in TASK_REDONE]
        assert redone == []
        # and each arrival was decided once: one log entry each
        entries = await eventually(
            lambda: TriageEntry.filter(clinic_id=clinic, kind="ASSIGNED").all(),
            lambda rows: len(rows) >= total,
            timeout=LOG_TIMEOUT,
            what=f"{total} assignments in the desk log",
        )
        raw_ids = [decode_id(journey, "Journey") for journey in journeys]
        assert Counter(e.journey_id for e in entries) == dict.fromkeys(raw_ids, 1)
    # and the worker lost no workflow task of the desk to the server ("Task not found")
    lost = [
        r
        for r in records(worker_log)
        if r["level"] in ("WARNING", "ERROR") and any(word in r["message"] for word in TASK_LOST)
    ]
    assert lost == [], lost[:3]


async def _desk_history(client: Client, clinic: str) -> Any:
    return await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
