"""One journey step five ways, alternated call by call: the floor's two updates, the floor's
step through a minimal GraphQL server, the journey's `act` through a bare client, and the
`recordConsultation` mutation over HTTP.

The floor (`bench.floor`) is Temporal's own cost on this server: a `plain` update and a `step`
update awaiting one local activity; through GraphQL (`bench.floor_graphql`) it is also what
Strawberry, aiohttp and the HTTP client cost before Glowpath adds anything. `act` and the
mutation run RECORD_CONSULTATION on a journey at CONSULTATION (an internal transition: every call
appends an event). Each round calls the five once, in an order that rotates round by round, so
drift in the machine's load falls on all five.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.floor import FloorWorkflow, start_floor
from bench.floor_graphql import FLOOR_STEP
from bench.gc_pauses import GcPauses
from bench.operations import BenchError, GraphQLClient
from bench.stack import Stack
from bench.workload import Staff
from domain.journey.facts import ActionRequest
from domain.journey.stages import Stage
from domain.journey.table import Action
from schema.ids import decode_id
from workflows.journey import JourneyWorkflow

PATHS = ("floor plain", "floor step", "floor graphql", "act", "graphql")
# Temporal caps the updates one workflow run accepts (2000 by default), and every mutation
# attaches its consultation record to the journey, whose facts (written to the read model on
# every step) then carry one more record id: each path moves to a fresh workflow after at most
# this many calls.
MOST_ROUNDS_PER_RUN = 250

Call = Callable[[], Awaitable[None]]


@dataclass
class Samples:
    """Per path: each call's wall time, and the CPU time all its calls cost together (this
    process, which holds the API, both workers and the SDK's core threads, plus the dev
    server). On a busy machine the wall times stretch with the queue for a core; the CPU time
    is what a call itself consumes."""

    wall_ns: dict[str, list[int]] = field(default_factory=lambda: {p: [] for p in PATHS})
    cpu_ns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATHS, 0))
    # The dev server's part of `cpu_ns`: whether a path's extra cost is Temporal's or Python's.
    server_cpu_ns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATHS, 0))
    # The garbage collector's pauses while the path's calls ran: summed, and the longest one.
    gc_ns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATHS, 0))
    longest_gc_ns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATHS, 0))

    def cpu_ms_per_call(self, path: str) -> float:
        return self.cpu_ns[path] / max(len(self.wall_ns[path]), 1) / 1e6

    def server_cpu_ms_per_call(self, path: str) -> float:
        return self.server_cpu_ns[path] / max(len(self.wall_ns[path]), 1) / 1e6

    def gc_ms_per_call(self, path: str) -> float:
        return self.gc_ns[path] / max(len(self.wall_ns[path]), 1) / 1e6


class CpuClock:
    """CPU time used so far by this process and the dev server (at the kernel's tick grain)."""

    def __init__(self, dev_server_pid: int | None) -> None:
        self._stat = Path(f"/proc/{dev_server_pid}/stat") if dev_server_pid else None
        self._ns_per_tick = 1e9 / os.sysconf("SC_CLK_TCK")

    def now_ns(self) -> tuple[int, int]:
        """(this process and the dev server together, the dev server alone)."""
        server = self.dev_server_ns()
        return time.process_time_ns() + server, server

    def dev_server_ns(self) -> int:
        if self._stat is None:
            return 0
        try:  # utime and stime: fields 14 and 15, counted after the parenthesised name
            fields = self._stat.read_text().rpartition(")")[2].split()
        except OSError:
            return 0
        return int((int(fields[11]) + int(fields[12])) * self._ns_per_tick)


async def _measured(
    samples: Samples, clock: CpuClock, pauses: GcPauses, path: str, call: Call
) -> None:
    (cpu, server), start = clock.now_ns(), time.perf_counter_ns()
    collected, pauses.longest_ns = pauses.total_ns, 0
    await call()
    samples.wall_ns[path].append(time.perf_counter_ns() - start)
    cpu_after, server_after = clock.now_ns()
    samples.cpu_ns[path] += cpu_after - cpu
    samples.server_cpu_ns[path] += server_after - server
    samples.gc_ns[path] += pauses.total_ns - collected
    samples.longest_gc_ns[path] = max(samples.longest_gc_ns[path], pauses.longest_ns)


@dataclass(frozen=True)
class FloorTarget:
    """Where the floor runs: its worker's task queue, and its minimal GraphQL server."""

    queue: str
    api: GraphQLClient


async def step_rounds(
    stack: Stack, staff: Staff, floor: FloorTarget, calls: int, warmup: int, rounds_per_run: int
) -> Samples:
    """`calls` measured calls of each path (after `warmup` unmeasured rounds), on a fresh
    journey and a fresh floor workflow every `rounds_per_run` rounds."""
    samples = Samples()
    done = 0
    while done < calls:
        rounds = min(rounds_per_run, calls - done)
        await _rounds_on_fresh_runs(
            stack,
            staff,
            floor,
            range(done, done + rounds),
            warmup if not done else 0,
            samples,
        )
        done += rounds
    return samples


async def _rounds_on_fresh_runs(
    stack: Stack,
    staff: Staff,
    target: FloorTarget,
    indices: range,
    warmup: int,
    samples: Samples,
) -> None:
    ignored: dict[str, list[int]] = {
        name: [] for name in ("registerClient", "startJourney", "assignConsultant")
    }
    journey_id = await staff.journey_at_consultation(900_000 + indices.start, ignored)
    raw_id = decode_id(journey_id, "Journey")
    if raw_id is None:
        raise BenchError(f"unexpected journey id {journey_id!r}")
    journey = stack.temporal.get_workflow_handle_for(JourneyWorkflow.run, raw_id)
    floor = await start_floor(stack.temporal, target.queue, f"bench-floor-{uuid.uuid4()}")
    # What run_action builds for this mutation, except the draft record's id (None here).
    request = ActionRequest(action=Action.RECORD_CONSULTATION, actor=staff.consultant_actor)

    async def plain() -> None:
        await floor.execute_update(FloorWorkflow.plain, 1, id=str(uuid.uuid4()))

    async def step() -> None:
        await floor.execute_update(FloorWorkflow.step, 1, id=str(uuid.uuid4()))

    async def floor_graphql() -> None:
        answer = await target.api.call(FLOOR_STEP, {"workflowId": floor.id})
        if answer != {"step": 1}:
            raise BenchError(f"the floor's mutation answered {answer}")

    async def act() -> None:
        result = await journey.execute_update(JourneyWorkflow.act, request, id=str(uuid.uuid4()))
        if result.stage is not Stage.CONSULTATION:
            raise BenchError(f"bare update answered {result}")

    async def graphql() -> None:
        await staff.record_consultation(journey_id, idempotency_key=str(uuid.uuid4()))

    calls: list[Call] = [plain, step, floor_graphql, act, graphql]
    for _ in range(warmup):
        for call in calls:
            await call()
    clock = CpuClock(stack.dev_server_pid)
    seq_before = (await journey.query(JourneyWorkflow.facts)).event_seq
    with GcPauses() as pauses:
        for i in indices:
            first = i % len(PATHS)
            for n in (*range(first, len(PATHS)), *range(first)):
                await _measured(samples, clock, pauses, PATHS[n], calls[n])
    appended = (await journey.query(JourneyWorkflow.facts)).event_seq - seq_before
    if appended != 2 * len(indices):
        raise BenchError(f"expected {2 * len(indices)} events appended, counted {appended}")
    await staff.close_not_converted(journey_id)
    await floor.signal(FloorWorkflow.finish)
