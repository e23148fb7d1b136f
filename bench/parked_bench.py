"""A worker with journeys parked in FOLLOW_UP: its memory against the cost of waking one, for
several sticky-cache sizes (`GLOWPATH_WORKER_MAX_CACHED_WORKFLOWS`).

    python -m bench.parked_bench [--journeys 10000] [--caches 0,100,500,1000,10000] [--quick]

Starts a Temporal dev server and `glowpath worker` as child processes on loopback, with a
temporary SQLite read model, and parks `--journeys` real journeys in FOLLOW_UP (follow-ups three
and six months away) as fast as `--lanes` concurrent clients can walk them there, the worker
keeping `--parking-cache` runs (the default's, so its memory after parking is what production's
would hold with that many parked). Then, for
each cache size, the worker is restarted with it and:
- the journeys to wake are touched (a query: the worker replays a journey to answer and keeps
  it if its cache has room), then enough other parked journeys to fill the cache past them
  (all of them when the cache holds every journey): as full as after touching every one;
- its resident memory is read right after, at its peak, and once settled;
- the oldest-touched journeys are woken (a supervisor's nudge, `act`), each twice: the first
  finds it evicted (replayed from history) unless the cache holds every journey, the second
  finds it cached. Alternated with the floor's `step` update (`bench.floor`) on the same server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client

from bench.chaos_processes import _tail
from bench.floor import FloorWorkflow, floor_worker, start_floor
from bench.parked_journeys import add_clients, park, read_model_behind, touch, wake
from bench.parked_processes import ParkedProcesses, memory_mib, settled_mib
from bench.parked_report import Parking, print_report
from bench.report import load_average
from bench.runner import run_benchmark
from workflows.sticky_cache import DEFAULT_MAX_CACHED_WORKFLOWS

DEFAULT_LIMIT_MINUTES = 75  # the whole run's bound unless --limit-minutes says otherwise


@dataclass
class Round:
    cache: int
    idle_mib: float
    touched_mib: float
    peak_mib: float
    settled_mib: float
    touch_seconds: float
    first_wake_ns: list[int]
    second_wake_ns: list[int]
    floor_ns: list[int]


async def measure(
    procs: ParkedProcesses,
    temporal: Client,
    journeys: list[str],
    cache: int,
    woken: list[str],
    args: argparse.Namespace,
) -> Round:
    print(f"  cache {cache:,}: restarting the worker", file=sys.stderr, flush=True)
    pid = await procs.start_worker(cache)
    idle = memory_mib(pid)[0]
    began = time.monotonic()
    # The journeys to wake first, then enough others to fill the cache past them: the cache
    # ends as full as with every parked journey touched, and those to wake are its oldest.
    await touch(temporal, woken, args.lanes)
    rest = [j for j in journeys if j not in set(woken)]
    await touch(temporal, rest[: cache + args.lanes], args.lanes)
    touch_seconds = time.monotonic() - began
    touched, peak = memory_mib(pid)
    settled = await settled_mib(pid)
    first: list[int] = []
    second: list[int] = []
    floor_ns: list[int] = []
    floor = await start_floor(temporal, args.floor_queue, f"floor-{uuid.uuid4()}")

    async def floor_step() -> None:
        began_ns = time.perf_counter_ns()
        await floor.execute_update(FloorWorkflow.step, len(floor_ns))
        floor_ns.append(time.perf_counter_ns() - began_ns)

    for i, journey_id in enumerate(woken):
        if i % 2 == 0:
            await floor_step()
        first.append(await wake(temporal, journey_id))
        second.append(await wake(temporal, journey_id))
        if i % 2 == 1:
            await floor_step()
    await floor.signal(FloorWorkflow.finish)
    return Round(cache, idle, touched, peak, settled, touch_seconds, first, second, floor_ns)


async def run(args: argparse.Namespace) -> None:
    load_at_start = load_average()
    caches: list[int] = args.caches
    with tempfile.TemporaryDirectory(prefix="glowpath-parked-") as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite://{workdir / 'read-model.sqlite3'}"
        procs = ParkedProcesses(workdir, database_url)
        try:
            print("starting Temporal and the read model", file=sys.stderr, flush=True)
            await procs.start()
            clients = await add_clients(database_url, args.journeys)
            temporal = await Client.connect(procs.temporal.address)
            task_queue = procs.env["GLOWPATH_TASK_QUEUE"]
            parking_cache = args.parking_cache
            pid = await procs.start_worker(parking_cache)
            await procs.start_helpers(args.parking_workers - 1, parking_cache)
            print(f"parking {args.journeys:,} journeys", file=sys.stderr, flush=True)
            began = time.monotonic()
            journeys = await park(temporal, task_queue, clients, args.lanes)
            parked_in = time.monotonic() - began
            behind = await read_model_behind(database_url, journeys)
            print(f"  read model behind for {behind:,} journeys", file=sys.stderr, flush=True)
            rss, peak = memory_mib(pid)
            await procs.stop_helpers()
            parking = Parking(len(journeys), parking_cache, parked_in, rss, peak, behind)
            rounds = []
            async with floor_worker(temporal, args.floor_queue):
                for n, cache in enumerate(caches):
                    # Journeys touched early in this round: evicted since, unless all fit.
                    woken = journeys[n * args.wakes : (n + 1) * args.wakes]
                    done = await measure(procs, temporal, journeys, cache, woken, args)
                    rounds.append(done)
                    # Said at once: a run stopped by its time bound keeps what it measured.
                    print(
                        f"  cache {cache:,}: RSS idle {done.idle_mib:.0f}, after touch "
                        f"{done.touched_mib:.0f}, peak {done.peak_mib:.0f}, settled "
                        f"{done.settled_mib:.0f} MiB; touched in {done.touch_seconds:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )
        except BaseException:
            # The worker's own account of what went wrong, before its directory goes.
            print(_tail(workdir / "worker.log", 40), file=sys.stderr)
            raise
        finally:
            await procs.stop()
    print_report(args, load_at_start, load_average(), parking, rounds)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--journeys", type=int, default=10_000)
    parser.add_argument("--caches", default="0,100,500,1000,10000", help="comma-separated sizes")
    parser.add_argument("--lanes", type=int, default=32, help="concurrent clients")
    parser.add_argument(
        "--parking-workers",
        type=int,
        default=1,
        help="workers while parking (the measured one and helpers); measuring uses one",
    )
    parser.add_argument(
        "--parking-cache",
        type=int,
        default=DEFAULT_MAX_CACHED_WORKFLOWS,
        help="the parking workers' sticky cache (default: the worker's own default)",
    )
    parser.add_argument("--wakes", type=int, default=20, help="journeys woken per cache size")
    parser.add_argument("--quick", action="store_true", help="300 journeys, caches 0,30,300")
    parser.add_argument(
        "--limit-minutes",
        type=float,
        default=DEFAULT_LIMIT_MINUTES,
        help="the whole run stops after this long (parking slows as more are parked)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.journeys, args.caches, args.wakes = 300, "0,30,300", 10
    args.caches = sorted({int(part) for part in args.caches.split(",")})
    if args.journeys < args.wakes * len(args.caches):
        parser.error("--journeys must be at least --wakes times the number of cache sizes")
    args.floor_queue = f"parked-floor-{uuid.uuid4().hex[:8]}"
    return args


def main() -> None:
    args = parse()

    async def bounded() -> None:
        async with asyncio.timeout(args.limit_minutes * 60):
            await run(args)

    sys.exit(run_benchmark(bounded))


if __name__ == "__main__":
    main()
