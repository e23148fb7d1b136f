"""The throughput benchmark's load generator, a process of its own so that it never competes with
the API for an event loop.

    python -m bench.throughput_load

It reads one JSON command per line on stdin and answers each with one JSON line on stdout:

    {"kind": "floor_updates" | "floor_starts" | "floor_journeys", "address": ...,
     "task_queue": ..., "lanes": 8, "seconds": 20, "warmup": 3, "first": 1}
    {"kind": "journeys", "urls": [...], "lanes": 8, "seconds": 20, "warmup": 3, "first": 1}

answered by {"ops": N, "elapsed": S, "samples": {name: [ns, ...]}} or {"error": "..."}.
`lanes` calls run at once, each starting its next call until `seconds` have passed; `elapsed`
runs until the last call in flight has answered, so ops / elapsed counts every call it times.
Journeys go to `urls` in turn, lane by lane, as a load balancer would spread them; one that is
half-way when the phase ends is left there (its workflow stays open until the server stops).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
from temporalio.client import Client

from bench.floor import FloorWorkflow, start_floor
from bench.operations import GraphQLClient
from bench.workload import STEPS, Staff, timed

CALL_TIMEOUT = aiohttp.ClientTimeout(total=60)
# Temporal caps the updates one run accepts (2000 by default): a lane moves on before that.
UPDATES_PER_FLOOR = 500
# The series of a floor journey; its last call ends the journey.
FLOOR_JOURNEY = ("updateWithStart", "step", "close")

Samples = dict[str, list[int]]
Lane = Callable[[int, float, Samples], Coroutine[Any, Any, None]]


async def run_lanes(lanes: int, seconds: float, warmup: float, lane: Lane) -> dict[str, Any]:
    """`lanes` copies of `lane` for `warmup` seconds (not counted), then for `seconds`."""
    if warmup > 0:
        await _together(lanes, time.monotonic() + warmup, lane, {})
    samples: Samples = {}
    started = time.perf_counter()
    await _together(lanes, time.monotonic() + seconds, lane, samples)
    elapsed = time.perf_counter() - started
    return {"ops": sum(map(len, samples.values())), "elapsed": elapsed, "samples": samples}


async def _together(lanes: int, deadline: float, lane: Lane, samples: Samples) -> None:
    async with asyncio.TaskGroup() as group:
        for index in range(lanes):
            group.create_task(lane(index, deadline, samples))


class Generator:
    """Keeps its connections and sign-ins from one command to the next."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http = http
        self.temporal: dict[str, Client] = {}
        self.staff: dict[str, Staff] = {}
        self.numbers = 0

    async def floor(self, command: dict[str, Any]) -> dict[str, Any]:
        address, queue = command["address"], command["task_queue"]
        if address not in self.temporal:
            self.temporal[address] = await Client.connect(address)
        client, tag = self.temporal[address], uuid.uuid4().hex[:8]

        async def updates(index: int, deadline: float, samples: Samples) -> None:
            series = samples.setdefault("step", [])
            done = 0
            while time.monotonic() < deadline:
                if done % UPDATES_PER_FLOOR == 0:
                    handle = await start_floor(client, queue, f"floor-{tag}-{index}-{done}")
                step = functools.partial(handle.execute_update, FloorWorkflow.step, done)
                await timed(series, step)
                done += 1

        async def starts(index: int, deadline: float, samples: Samples) -> None:
            series = samples.setdefault("updateWithStart", [])
            while time.monotonic() < deadline:
                workflow_id = f"floor-{tag}-{index}-{len(series)}-{uuid.uuid4().hex[:6]}"
                await timed(series, functools.partial(start_floor, client, queue, workflow_id))

        async def journeys(index: int, deadline: float, samples: Samples) -> None:
            """A journey's Temporal calls and nothing else: update-with-start, two steps and
            the closing step (Glowpath's startJourney, assignConsultant, recordConsultation
            and closeNotConverted; registerClient never reaches Temporal). Like a GraphQL
            lane, it stops between two calls once the phase is over."""
            for name in FLOOR_JOURNEY:
                samples.setdefault(name, [])
            while time.monotonic() < deadline:
                workflow_id = f"floor-{tag}-{index}-{uuid.uuid4().hex[:10]}"
                handle = client.get_workflow_handle(workflow_id)
                calls = [
                    ("updateWithStart", functools.partial(start_floor, client, queue, workflow_id)),
                    ("step", functools.partial(handle.execute_update, FloorWorkflow.step, 1)),
                    ("step", functools.partial(handle.execute_update, FloorWorkflow.step, 2)),
                    ("close", functools.partial(handle.execute_update, FloorWorkflow.close, 3)),
                ]
                for name, call in calls:
                    if time.monotonic() >= deadline:
                        return
                    await timed(samples[name], call)

        lanes = {"floor_updates": updates, "floor_starts": starts, "floor_journeys": journeys}
        lane = lanes[command["kind"]]
        return await run_lanes(command["lanes"], command["seconds"], command["warmup"], lane)

    async def signed_in(self, urls: list[str]) -> list[Staff]:
        """Staff for each API, signed in once: one token is good on every API of the run."""
        if not self.staff:
            first = Staff(TimedOutClient(self.http, urls[0]))
            await first.sign_in()
            self.staff[urls[0]] = first
        model = next(iter(self.staff.values()))
        for url in urls:
            if url not in self.staff:
                staff = Staff(TimedOutClient(self.http, url))
                staff.desk, staff.consultant = model.desk, model.consultant
                staff.consultant_global_id = model.consultant_global_id
                self.staff[url] = staff
        return [self.staff[url] for url in urls]

    async def journeys(self, command: dict[str, Any]) -> dict[str, Any]:
        crews = await self.signed_in(command["urls"])
        first = command["first"]

        async def lane(index: int, deadline: float, samples: Samples) -> None:
            staff = crews[index % len(crews)]
            assert isinstance(staff.api, TimedOutClient)
            staff.api.deadline = deadline  # the same for every lane of the phase
            for name in STEPS:
                samples.setdefault(name, [])
            with contextlib.suppress(PastDeadline):
                while True:
                    self.numbers += 1
                    journey_id = await staff.journey_at_consultation(first + self.numbers, samples)
                    record = functools.partial(staff.record_consultation, journey_id)
                    await timed(samples["recordConsultation"], record)
                    close = functools.partial(staff.close_not_converted, journey_id)
                    await timed(samples["closeNotConverted"], close)

        return await run_lanes(command["lanes"], command["seconds"], command["warmup"], lane)


class PastDeadline(Exception):
    """The phase is over: the lane leaves its journey where it is."""


class TimedOutClient(GraphQLClient):
    """Sends no mutation once the phase's deadline has passed. A lane stops between two
    mutations, not at the end of its journey (five calls later): the last seconds of a phase
    then run at the same concurrency as the rest, as the floor's do."""

    deadline = math.inf

    async def mutate(
        self, query: str, field: str, expected: str, input_: dict[str, Any], token: str
    ) -> dict[str, Any]:
        if time.monotonic() >= self.deadline:
            raise PastDeadline
        return await super().mutate(query, field, expected, input_, token)


async def serve() -> None:
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(timeout=CALL_TIMEOUT) as http:
        generator = Generator(http)
        print(json.dumps({"ready": True}), flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            command = json.loads(line)
            try:
                if command["kind"] == "journeys":
                    answer = await generator.journeys(command)
                else:
                    answer = await generator.floor(command)
            except Exception as error:  # reported to the benchmark, which stops the run
                answer = {"error": "".join(traceback.format_exception_only(error)).strip()}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    asyncio.run(serve())
