"""Throughput in the production topology: whole journeys through GraphQL against bare Temporal.

    python -m bench.throughput_bench [--quick] [--postgres ADMIN_URL] [--concurrency 8]

Starts a Temporal dev server, a fresh PostgreSQL database (dropped at the end), `glowpath
migrate` and `seed`, `glowpath api` and `glowpath worker` processes, the floor's own worker
(`bench.floor`, a process of its own on its own task queue) and the load generators
(`bench.throughput_load`, processes of their own). Then, at the same concurrency, it alternates:

  the floor, by a bare Temporal client: `step` updates (one local activity each),
  update-with-start starts, and journeys of bare Temporal calls (update-with-start, two steps,
  a closing step: a journey's Temporal calls without Glowpath); and whole journeys through
  GraphQL (registerClient, startJourney, assignConsultant, recordConsultation,
  closeNotConverted) against 1 API + 1 worker, 2 APIs + 1 worker, 1 API + 2 workers, 2 + 2
  (lanes spread over the APIs).

Each configuration's mutations/s is divided by the mean of the floor's updates/s measured just
before and just after it, and its journeys/s by the floor's journeys/s; startJourney's latency
is set beside the floor's update-with-start. Every phase's CPU time is split by process
(`bench.cpu_split`) and printed per operation: with both cores busy, that is where a
mutation's extra cost over a floor update goes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench import cpu_split
from bench.report import load_average, machine_facts, median_ms, ms, p99_ms, table
from bench.runner import run_benchmark
from bench.throughput_processes import Child, fresh_database
from bench.topology_processes import Topology

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
# (label, APIs, workers), in an order that only ever adds a worker: a worker that polls the
# task queue takes work whether or not the configuration counts it.
CONFIGS = (("1 API + 1 worker", 1, 1), ("2 APIs + 1 worker", 2, 1))
CONFIGS_TWO_WORKERS = (("1 API + 2 workers", 1, 2), ("2 APIs + 2 workers", 2, 2))


@dataclass
class Phase:
    ops: int
    elapsed: float
    samples: dict[str, list[int]]
    # CPU seconds by process group over the whole phase (warm-up included), and its wall time
    cpu: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0

    @property
    def rate(self) -> float:
        return self.ops / self.elapsed if self.elapsed else 0.0

    def per_second(self, series: str) -> float:
        """How many calls of `series` answered per second: with a journey's last call, the
        journeys finished per second."""
        return len(self.samples.get(series, [])) / self.elapsed if self.elapsed else 0.0

    def cpu_ms_per_op(self, group: str) -> float:
        """CPU per operation: the phase's CPU over the operations at its measured rate."""
        ops = self.rate * self.wall
        return 1000 * self.cpu.get(group, 0.0) / ops if ops else 0.0


@dataclass
class Floor:
    """One round of the floor: step updates, update-with-start starts, and journeys of bare
    Temporal calls (a start, two steps, a closing step)."""

    updates: Phase
    starts: Phase
    journeys: Phase


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace, topology: Topology, loads: list[Child]) -> None:
        self.args, self.topology, self.loads = args, topology, loads
        self.floor_queue = f"floor-{uuid.uuid4().hex[:8]}"
        self.first = 0
        self.floor_worker: Child | None = None

    async def phase(self, command: dict[str, object]) -> Phase:
        """The same command on every load generator, the lanes shared out among them."""
        lanes, count = self.args.concurrency, len(self.loads)
        shares = [lanes // count + (i < lanes % count) for i in range(count)]
        timing = {"seconds": self.args.seconds, "warmup": self.args.warmup}
        asks = []
        for load, share in zip(self.loads, shares, strict=True):
            self.first += 1_000_000  # client numbers of their own for each generator and phase
            asks.append(load.ask({**command, **timing, "lanes": share, "first": self.first}))
        cpu_before, began = cpu_split.snapshot(self.process_groups()), time.monotonic()
        answers = await asyncio.gather(*asks)
        wall = time.monotonic() - began
        cpu = cpu_split.spent(cpu_before, cpu_split.snapshot(self.process_groups()))
        samples: dict[str, list[int]] = {}
        for answer in answers:
            for name, series in answer["samples"].items():
                samples.setdefault(name, []).extend(series)
        elapsed = max(a["elapsed"] for a in answers)
        return Phase(sum(a["ops"] for a in answers), elapsed, samples, cpu, wall)

    def process_groups(self) -> dict[str, list[int]]:
        """The pids of each kind of process running now (PostgreSQL's are found by name)."""

        def running(prefix: str) -> list[int]:
            members = [m for m in self.topology.members if m.name.startswith(prefix)]
            return [m.process.pid for m in members if m.process and m.process.poll() is None]

        temporal = self.topology.temporal.pid
        return {
            "load generator": [load.pid for load in self.loads],
            "API": running("api-"),
            "worker": running("worker-"),
            "floor worker": [self.floor_worker.pid] if self.floor_worker else [],
            "Temporal": [temporal] if temporal else [],
        }

    async def floor(self) -> Floor:
        target = {"address": self.topology.temporal.address, "task_queue": self.floor_queue}
        updates = await self.phase({"kind": "floor_updates", **target})
        starts = await self.phase({"kind": "floor_starts", **target})
        journeys = await self.phase({"kind": "floor_journeys", **target})
        progress(
            f"floor: {updates.rate:.1f} updates/s, {starts.rate:.1f} starts/s,"
            f" {journeys.per_second('close'):.1f} journeys/s"
        )
        return Floor(updates, starts, journeys)

    async def journeys(self, label: str, apis: int) -> Phase:
        urls = [m.graphql_url for m in self.topology.apis[:apis]]
        result = await self.phase({"kind": "journeys", "urls": urls})
        progress(f"{label}: {result.rate:.1f} mutations/s")
        return result


async def run(args: argparse.Namespace) -> int:
    load = load_average()
    with tempfile.TemporaryDirectory(prefix="glowpath-throughput-") as tmp:
        async with fresh_database(args.postgres) as database_url:
            topology = Topology(Path(tmp), database_url, follow_ups="1h,2h")
            children: list[Child] = []
            try:
                floors, configs = await measure(args, topology, children)
            finally:
                await asyncio.gather(*(child.stop() for child in children))
                await topology.stop()
    print_report(args, load, floors, configs)
    return 0


async def measure(
    args: argparse.Namespace, topology: Topology, children: list[Child]
) -> tuple[list[Floor], list[tuple[str, Phase]]]:
    progress("starting Temporal, the database, api-1, api-2, worker-1, the floor and the load")
    env = topology.env
    loads = [Child(f"load-{i + 1}", "bench.throughput_load", env=env) for i in range(args.loads)]
    bench = Bench(args, topology, loads)
    floor_worker = Child("floor worker", "bench.floor", topology.temporal.address,
                         bench.floor_queue, env=env)  # fmt: skip
    bench.floor_worker = floor_worker
    children.extend((floor_worker, *loads))

    async def database() -> None:
        for command in ("migrate", "seed"):
            await topology.run_command(command)

    # Side by side: on a busy machine each step is mostly a Python process starting.
    async with asyncio.TaskGroup() as group:
        group.create_task(database())
        group.create_task(topology.temporal.start())
        for child in loads:
            group.create_task(child.start())
    async with asyncio.TaskGroup() as group:
        for name in ("api-1", "api-2", "worker-1"):
            group.create_task(topology.start_member(name))
        group.create_task(floor_worker.start())
    pids = {m.name: m.process.pid for m in topology.members if m.process}
    pids.update({c.name: c.pid for c in children})
    progress("pids: " + ", ".join(f"{name} {pid}" for name, pid in pids.items()))
    floors = [await bench.floor()]
    configs: list[tuple[str, Phase]] = []
    for label, apis, workers in CONFIGS + CONFIGS_TWO_WORKERS:
        if workers == 2 and topology.member("worker-2").process is None:
            await topology.start_member("worker-2")
            progress(f"worker-2 started (pid {topology.member('worker-2').process.pid})")  # type: ignore[union-attr]
        configs.append((label, await bench.journeys(label, apis)))
        floors.append(await bench.floor())
    return floors, configs


def print_report(
    args: argparse.Namespace,
    load: float | None,
    floors: list[Floor],
    configs: list[tuple[str, Phase]],
) -> None:
    print("Throughput in the production topology (PostgreSQL, separate processes)")
    # The read model here is PostgreSQL, not the SQLite file the other benchmarks use.
    facts = [(k, v) for k, v in machine_facts(load) if k != "sqlite"]
    facts.append(("database", "PostgreSQL on loopback, a fresh database dropped at the end"))
    facts.append(("load after", f"{load_average() or 0:.2f} (1-minute load average at the end)"))
    for key, value in facts:
        print(f"  {key:<10}  {value}")
    print(
        f"  concurrency {args.concurrency} (lanes over {args.loads} load process(es)), "
        f"{args.seconds:.0f} s per phase after {args.warmup:.0f} s of warm-up"
    )
    print("\nFloor (bare Temporal client, floor worker in its own process), each round:")
    rows = []
    for i, f in enumerate(floors):
        rates = (f.updates.rate, f.starts.rate, f.journeys.per_second("close"))
        rows.append([f"round {i + 1}", *(f"{rate:.1f}" for rate in rates)])
    print(table(["", "step updates/s", "update-with-start/s", "journeys/s"], rows))
    print("\nWhole journeys through GraphQL (5 mutations each), against the floor around them:")
    rows = []
    for i, (label, phase) in enumerate(configs):
        around = (floors[i], floors[i + 1])
        floor_rate = sum(f.updates.rate for f in around) / 2
        floor_journeys = sum(f.journeys.per_second("close") for f in around) / 2
        journeys = phase.per_second("closeNotConverted")
        uws = [t for f in around for t in f.starts.samples["updateWithStart"]]
        start_journey = phase.samples["startJourney"]
        rows.append(
            [
                label,
                f"{phase.rate:.1f}",
                f"{phase.rate / floor_rate:.2f}x" if floor_rate else "-",
                f"{journeys:.1f}",
                f"{journeys / floor_journeys:.2f}x" if floor_journeys else "-",
                f"{phase.rate / configs[0][1].rate:.2f}x" if configs[0][1].rate else "-",
                f"{ms(median_ms(start_journey))} / {ms(p99_ms(start_journey))}",
                f"{ms(median_ms(uws))} / {ms(p99_ms(uws))}",
            ]
        )
    header = ["", "mutations/s", "vs floor", "journeys/s", "vs floor journeys", "vs 1 + 1"]
    print(table([*header, "startJourney ms", "floor u-w-s ms"], rows))
    print(
        "  (vs floor: mutations/s over the floor's step updates/s around it; vs floor journeys:"
        " journeys/s over the floor's journeys of bare Temporal calls around it; latencies:"
        " median / p99; u-w-s: the floor's update-with-start at the same concurrency)"
    )
    print("\nEach mutation, median / p99 ms:")
    names = list(configs[0][1].samples) if configs else []
    rows = [
        [label, *(f"{ms(median_ms(p.samples[n]))} / {ms(p99_ms(p.samples[n]))}" for n in names)]
        for label, p in configs
    ]
    print(table(["", *names], rows))
    print_cpu_split(floors, configs)


def print_cpu_split(floors: list[Floor], configs: list[tuple[str, Phase]]) -> None:
    """CPU per operation by process: what makes a mutation cost more than a floor update."""
    phases = [(f"floor step update, round {i + 1}", f.updates) for i, f in enumerate(floors)]
    phases += [(f"floor journey call, round {i + 1}", f.journeys) for i, f in enumerate(floors)]
    phases += [(f"journeys, {label}", phase) for label, phase in configs]
    groups = list(phases[0][1].cpu) if phases else []
    print("\nCPU per operation (ms; user + system, warm-up included), by process:")
    rows = [
        [
            label,
            *(f"{phase.cpu_ms_per_op(g):.1f}" for g in groups),
            f"{sum(phase.cpu_ms_per_op(g) for g in groups):.1f}",
        ]
        for label, phase in phases
    ]
    print(table(["", *groups, "total"], rows))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.throughput_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="short phases (about 2 minutes)")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, metavar="ADMIN_URL")
    parser.add_argument("--concurrency", type=int, default=8, help="calls in flight at once")
    parser.add_argument("--loads", type=int, default=1, help="load generator processes")
    parser.add_argument("--seconds", type=float, default=None, help="per phase (20; quick 4)")
    args = parser.parse_args(argv)
    if args.seconds is None:
        args.seconds = 4.0 if args.quick else 20.0
    args.warmup = 1.0 if args.quick else 3.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    return run_benchmark(lambda: run(args))


if __name__ == "__main__":
    sys.exit(main())
