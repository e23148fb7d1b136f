"""Triage desk: one decision against the floor, and arrivals per second on one desk.

1. The pure rotation decision (`decide`), in process, on a desk of 8 consultants.
2. The floor (`bench.floor`: a bare update awaiting one local activity) and one arrival as a desk
   update (decide + commit + answer), alternated ABBA on the same dev server: medians and ratio.
3. A crowd arriving at once on one desk, straight to the desk workflow through the API's admission
   path (`queue_arrival`: rounds of arrivals share one update): arrivals per second, for each
   round size compared (each twice, ABBA, on fresh desks).
4. `autoAssign` through the real API for journeys waiting at triage (the desk decides, then each
   journey's ASSIGN_CONSULTANT): arrivals per second, latency.

After 3 and 4 every arrival must have exactly one turn, on the desk and in its log (none lost,
none doubled): the run fails otherwise (`bench.desk_turns`).

Run: python -m bench.triage_bench [--quick] [--updates 200] [--crowd 500] [--rounds 32,64]
     [--arrivals 200] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import sys
import time

import aiohttp

from bench.desk_calls import (
    CONSULTANTS,
    autoassign_rate,
    consultants,
    crowd_by_round_size,
    journeys_at_triage,
    seat_through_api,
    update_pairs,
)
from bench.operations import GraphQLClient
from bench.report import facts_block, load_average, machine_facts, median_ms, p99_ms, table
from bench.runner import run_benchmark
from bench.stack import running_stack
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.decide import decide
from domain.triage.decision import Arrival
from domain.triage.desk import DeskState, Seat
from server.seed import DEMO_CLINIC_ID
from workflows.arrival_rounds import MAX_ROUND
from workflows.triage_client import TriageGateway


def _decide_samples(count: int) -> list[int]:
    seats = {
        f"c{n}": Seat(f"c{n}", scope=["skin"] if n % 3 == 0 else []) for n in range(CONSULTANTS)
    }
    desk = DeskState("bench", "2025-01-01", rotation=list(seats), seats=seats)
    samples = []
    for n in range(count):
        arrival = Arrival(f"j{n}", f"c{n}", VisitCategory.FIRST_VISIT, ("breast", "skin"))
        began = time.perf_counter_ns()
        decide(desk, arrival, desk.policy)
        samples.append(time.perf_counter_ns() - began)
        desk.next_index = (desk.next_index + 1) % CONSULTANTS
    return samples


def _progress(message: str) -> None:
    print(f"[triage_bench] {message}", file=sys.stderr, flush=True)


async def main(args: argparse.Namespace) -> None:
    load_at_start = load_average()
    pure = _decide_samples(args.decisions)
    async with running_stack() as stack:
        staff = await consultants()
        gateway = TriageGateway(stack.temporal, stack.settings.task_queue)
        _progress(f"floor vs desk update, {args.updates} pairs")
        floor, desk = await update_pairs(stack.temporal, gateway, staff, args.updates)
        _progress(f"{args.crowd} arrivals at once on one desk, rounds of {args.rounds}")
        crowd = await crowd_by_round_size(
            stack.temporal,
            stack.settings.task_queue,
            staff,
            args.crowd,
            args.rounds,
            stack.dev_server_pid,
        )
        async with aiohttp.ClientSession() as session:
            api = GraphQLClient(session, stack.graphql_url)
            token, _ = await api.login(Role.FRONT_DESK.value)
            await seat_through_api(api, token, staff)
            _progress(f"{args.arrivals} journeys to triage")
            journeys = await journeys_at_triage(api, token, args.arrivals)
            _progress(f"autoAssign, {args.arrivals} at concurrency {args.concurrency}")
            samples, rate = await autoassign_rate(
                api, token, gateway, DEMO_CLINIC_ID, journeys, args.concurrency
            )
        load_at_end = load_average()
    print("Glowpath triage benchmark: the desk against the floor, arrivals per second\n")
    print(facts_block(machine_facts(load_at_start)) + "\n")
    ratio = median_ms(desk) / median_ms(floor)
    rows = [
        (f"decide() in process, {CONSULTANTS} consultants", pure, 3, ""),
        ("floor: bare update awaiting one local activity", floor, 1, "1.00"),
        ("one desk arrival update (decide + commit), sequential", desk, 1, f"{ratio:.2f}"),
        (f"autoAssign via GraphQL, concurrency {args.concurrency}", samples, 1, ""),
    ]
    cells = [(label, f"{median_ms(s):.{d}f}", f"{p99_ms(s):.{d}f}", vs) for label, s, d, vs in rows]
    print(table(("measurement", "median ms", "p99 ms", "x floor"), cells))
    print(f"\n  desk update / floor, medians ({args.updates} pairs, ABBA): {ratio:.2f}")
    for size, runs in crowd.items():
        each = " and ".join(f"{run.rate:.0f}" for run in runs)
        cpu = " and ".join(f"{run.cpu_ms_here:.1f} + {run.cpu_ms_server:.1f}" for run in runs)
        print(f"  arrivals/s on one desk, {args.crowd} at once, rounds of up to {size}: {each}")
        print(f"    CPU ms per arrival, this process + Temporal dev server: {cpu}")
    print(f"  arrivals/s through GraphQL autoAssign ({args.arrivals} arrivals): {rate:.0f}")
    print("  every arrival had exactly one turn (desk state and desk log checked)")
    print(f"  1-minute load: {load_at_start or 0:.2f} at start, {load_at_end or 0:.2f} at end")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--crowd", type=int, default=500)
    parser.add_argument(
        "--rounds",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[MAX_ROUND // 2, MAX_ROUND],
        help="round sizes to compare, e.g. 32,64 (each crowd twice, ABBA)",
    )
    parser.add_argument("--arrivals", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    if args.quick:
        args.decisions, args.updates, args.crowd, args.arrivals = 2_000, 20, 64, 40
    return args


if __name__ == "__main__":
    sys.exit(run_benchmark(lambda: main(parse())))
