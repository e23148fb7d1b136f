"""Journeys parked in FOLLOW_UP, and the calls that touch and wake them.

Each journey is a real one: opened by update-with-start (`JourneyGateway.start`, as
`startJourney` does) and walked by `act` updates through every step to FOLLOW_UP, each step's
read-model write riding in its update; its follow-ups fall due in three and six months.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.journey.facts import ActionRequest, ActionResult
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.db import close_db, init_db
from domain.store.models import Client as ClientRow
from domain.store.models import Clinic, Journey
from tests.support import DESK, SUPERVISOR, journey_start, path
from workflows.client import JourneyGateway, JourneyUnavailable
from workflows.journey import JourneyWorkflow

DAY = 86400
FOLLOW_UP_OFFSETS = [90 * DAY, 180 * DAY]
CLINIC = "clinic-1"  # the clinic `journey_start` opens journeys in
ATTEMPTS = 8
# How a query that outlasted its deadline ends: the client's own timer cancels it ("Timeout
# expired") or the server's deadline passes.
TIMED_OUT = (RPCStatusCode.CANCELLED, RPCStatusCode.DEADLINE_EXCEEDED)
NUDGE = ActionRequest(Action.NUDGE, SUPERVISOR)  # a supervisor's reminder: stays in FOLLOW_UP


class ParkingFailed(RuntimeError):
    """A journey did not reach the stage its step should have taken it to."""


async def add_clients(database_url: str, count: int) -> list[str]:
    """One client on file per journey, as reception would have registered them."""
    await init_db(database_url)
    try:
        await Clinic.get_or_create(id=CLINIC, defaults={"name": "Parked clinic"})
        ids = [f"parked-client-{n}" for n in range(count)]
        rows = [
            ClientRow(
                id=client_id,
                clinic_id=CLINIC,
                full_name=f"Parked Client {n}",
                birth_date=date(1990, 1, 1),
                phone=f"+48 600 {n % 1000:03d} {n // 1000 % 1000:03d}",
                data_consent_at=datetime.now(UTC),
                registered_by=DESK.user_id,
            )
            for n, client_id in enumerate(ids)
        ]
        await ClientRow.bulk_create(rows, batch_size=500)
        return ids
    finally:
        await close_db()


async def _retried(call: Callable[[], Awaitable[ActionResult]]) -> ActionResult:
    """On a busy machine a call can outlast its deadline; sent again, it converges on the same
    outcome (the start on the running journey, the step on its update id)."""
    for attempt in range(ATTEMPTS):
        try:
            return await call()
        except JourneyUnavailable:
            if attempt == ATTEMPTS - 1:
                raise
            await asyncio.sleep(min(2**attempt, 10))  # back-off before the same call again
    raise AssertionError("unreachable")


async def park_one(gateway: JourneyGateway, client_id: str) -> str:
    """Opens a walk-in journey for `client_id` and walks it to FOLLOW_UP; its id."""
    start = journey_start(client_id=client_id, offsets=FOLLOW_UP_OFFSETS)
    await _retried(lambda: gateway.start(start))
    for request, stage in path():
        update_id = str(uuid.uuid4())
        result = await _retried(
            functools.partial(gateway.act, start.journey_id, request, update_id)
        )
        if result.stage is not stage:
            raise ParkingFailed(f"{start.journey_id}: {request.action} led to {result.stage}")
    return start.journey_id


async def in_lanes(
    items: Sequence[str], concurrency: int, call: Callable[[str], Awaitable[str]], label: str
) -> list[str]:
    """`call` on every item, `concurrency` at a time, in order of start; progress on stderr."""
    results: list[str] = [""] * len(items)
    numbers = itertools.count()
    began = last_note = time.monotonic()
    done = 0

    async def lane() -> None:
        nonlocal done, last_note
        while (n := next(numbers)) < len(items):
            results[n] = await call(items[n])
            done += 1
            if time.monotonic() - last_note >= 10:
                last_note = time.monotonic()
                rate = done / (last_note - began)
                print(f"    {label}: {done:,}/{len(items):,} ({rate:.0f}/s)", file=sys.stderr)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, len(items))):
            group.create_task(lane())
    return results


async def park(temporal: Client, task_queue: str, clients: Sequence[str], lanes: int) -> list[str]:
    gateway = JourneyGateway(temporal, task_queue)
    return await in_lanes(clients, lanes, lambda c: park_one(gateway, c), "parked")


async def read_model_behind(database_url: str, journeys: Sequence[str], wait: float = 120) -> int:
    """How many parked journeys the read model does not show in FOLLOW_UP, once it has caught
    up or after `wait` seconds: a write the worker could not make is retried, not lost, so a
    count above 0 is a writer failing over and over (its errors are in the worker's log)."""
    await init_db(database_url)
    try:
        deadline = time.monotonic() + wait
        while True:
            shown = await Journey.filter(stage=Stage.FOLLOW_UP.value).count()
            if shown >= len(journeys) or time.monotonic() >= deadline:
                return len(journeys) - shown
            await asyncio.sleep(2)  # polling the database for deferred writes, bounded above
    finally:
        await close_db()


async def touch(temporal: Client, journeys: Sequence[str], lanes: int) -> None:
    """Asks every journey its facts (a query: nothing is written), oldest first. A worker that
    does not hold a journey replays it to answer, and then keeps it if its cache has room."""

    async def ask(journey_id: str) -> str:
        handle = temporal.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
        for attempt in range(ATTEMPTS):
            try:
                facts = await handle.query(JourneyWorkflow.facts)
                break
            except RPCError as error:
                # A busy machine can outlast the query's deadline; asked again, it answers.
                if error.status not in TIMED_OUT or attempt == ATTEMPTS - 1:
                    raise
        if facts.stage is not Stage.FOLLOW_UP:
            raise ParkingFailed(f"{journey_id} is in {facts.stage}, not FOLLOW_UP")
        return journey_id

    await in_lanes(journeys, lanes, ask, "touched")


async def wake(temporal: Client, journey_id: str) -> int:
    """One supervisor's nudge, answered after its read-model write; nanoseconds it took."""
    handle = temporal.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
    began = time.perf_counter_ns()
    result = await handle.execute_update(JourneyWorkflow.act, NUDGE, id=str(uuid.uuid4()))
    took = time.perf_counter_ns() - began
    if result.stage is not Stage.FOLLOW_UP:
        raise ParkingFailed(f"{journey_id}: the nudge left it in {result.stage}")
    return took
