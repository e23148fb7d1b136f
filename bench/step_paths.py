"""One journey step four ways, alternated call by call: the floor's two updates, the journey's
`act` through a bare client, and the `recordConsultation` mutation over HTTP.

The floor (`bench.floor`) is Temporal's own cost on this server: a `plain` update and a `step`
update awaiting one local activity. `act` and the mutation run RECORD_CONSULTATION on a journey
at CONSULTATION (an internal transition: every call appends an event). Each round calls the four
once, in an order that rotates round by round, so drift in the machine's load falls on all four.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from bench.floor import FloorWorkflow, start_floor
from bench.operations import BenchError
from bench.stack import Stack
from bench.workload import Staff, timed
from domain.journey.facts import ActionRequest
from domain.journey.stages import Stage
from domain.journey.table import Action
from schema.ids import decode_id
from workflows.journey import JourneyWorkflow

PATHS = ("floor plain", "floor step", "act", "graphql")
# Temporal caps the updates one workflow run accepts (2000 by default): each path moves to a
# fresh workflow after this many calls.
ROUNDS_PER_RUN = 250

Call = Callable[[], Awaitable[None]]


async def step_rounds(
    stack: Stack, staff: Staff, floor_queue: str, calls: int, warmup: int
) -> dict[str, list[int]]:
    """`calls` timed calls of each path (after `warmup` untimed rounds), in ns."""
    samples: dict[str, list[int]] = {path: [] for path in PATHS}
    done = 0
    while done < calls:
        rounds = min(ROUNDS_PER_RUN, calls - done)
        await _rounds_on_fresh_runs(
            stack,
            staff,
            floor_queue,
            range(done, done + rounds),
            warmup if not done else 0,
            samples,
        )
        done += rounds
    return samples


async def _rounds_on_fresh_runs(
    stack: Stack,
    staff: Staff,
    floor_queue: str,
    indices: range,
    warmup: int,
    samples: dict[str, list[int]],
) -> None:
    ignored: dict[str, list[int]] = {
        name: [] for name in ("registerClient", "startJourney", "assignConsultant")
    }
    journey_id = await staff.journey_at_consultation(900_000 + indices.start, ignored)
    raw_id = decode_id(journey_id, "Journey")
    if raw_id is None:
        raise BenchError(f"unexpected journey id {journey_id!r}")
    journey = stack.temporal.get_workflow_handle_for(JourneyWorkflow.run, raw_id)
    floor = await start_floor(stack.temporal, floor_queue, f"bench-floor-{uuid.uuid4()}")
    # What run_action builds for this mutation, except the draft record's id (None here).
    request = ActionRequest(action=Action.RECORD_CONSULTATION, actor=staff.consultant_actor)

    async def plain() -> None:
        await floor.execute_update(FloorWorkflow.plain, 1, id=str(uuid.uuid4()))

    async def step() -> None:
        await floor.execute_update(FloorWorkflow.step, 1, id=str(uuid.uuid4()))

    async def act() -> None:
        result = await journey.execute_update(JourneyWorkflow.act, request, id=str(uuid.uuid4()))
        if result.stage is not Stage.CONSULTATION:
            raise BenchError(f"bare update answered {result}")

    async def graphql() -> None:
        await staff.record_consultation(journey_id, idempotency_key=str(uuid.uuid4()))

    calls: list[Call] = [plain, step, act, graphql]
    for _ in range(warmup):
        for call in calls:
            await call()
    seq_before = (await journey.query(JourneyWorkflow.facts)).event_seq
    for i in indices:
        first = i % len(PATHS)
        for n in (*range(first, len(PATHS)), *range(first)):
            await timed(samples[PATHS[n]], calls[n])
    appended = (await journey.query(JourneyWorkflow.facts)).event_seq - seq_before
    if appended != 2 * len(indices):
        raise BenchError(f"expected {2 * len(indices)} events appended, counted {appended}")
    await staff.close_not_converted(journey_id)
    await floor.signal(FloorWorkflow.finish)
