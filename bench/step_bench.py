"""One journey step against Temporal's own cost: the floor, `act`, and the GraphQL mutation.

    python -m bench.step_bench               # 300 calls of each path
    python -m bench.step_bench --quick       # 40 calls of each: a smoke run
    python -m bench.step_bench --calls 1000
    python -m bench.step_bench --rounds-per-journey 250   # a journey carrying 250 records

One run starts its own stack on loopback (see `bench.stack`) and a worker for the floor workflow
(`bench.floor`, on a task queue of its own) with a minimal GraphQL server of its own for the floor
(`bench.floor_graphql`), alternates the five paths call by call (see
`bench.step_paths`), prints medians, p99 and the ratios on stdout (progress on stderr) and stops
everything it started, also on Ctrl-C or error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import aiohttp

from bench import report
from bench.floor import floor_worker
from bench.floor_graphql import floor_graphql_server
from bench.operations import GraphQLClient
from bench.runner import command_line, say
from bench.stack import Stack, running_stack
from bench.step_paths import MOST_ROUNDS_PER_RUN, FloorTarget, Samples, step_rounds
from bench.workload import Staff
from workflows.heap import freeze_start_up_objects

FLOOR_QUEUE = "bench-floor"
# Every mutation attaches a consultation record, and the journey's facts (written on every step)
# name each one: 25 is a long journey's count; up to MOST_ROUNDS_PER_RUN measures a journey
# carrying hundreds.
ROUNDS_PER_JOURNEY = 25
SETUP = [
    ("setup", "in-process: API server (aiohttp), Glowpath's worker, the floor's worker, the"),
    ("", "floor's GraphQL server and the load generator share one event loop; the Temporal"),
    ("", "dev server is a child process"),
    ("network", "loopback only; one keep-alive aiohttp client session, one Temporal client"),
]
LABELS = {
    "floor plain": "floor: plain update (returns at once)",
    "floor step": "floor: update awaiting one local activity",
    "floor graphql": "floor: that update as a minimal GraphQL mutation",
    "act": "Glowpath act, bare execute_update",
    "graphql": "GraphQL recordConsultation over HTTP",
}
RATIOS = (
    ("act", "floor step"),
    ("graphql", "floor step"),
    ("graphql", "act"),
    ("floor graphql", "floor step"),
    ("graphql", "floor graphql"),
)


def render(args: argparse.Namespace, stack: Stack, stack_seconds: float, samples: Samples) -> str:
    walls = samples.wall_ns
    med = {path: report.median_ms(s) for path, s in walls.items()}
    p99 = {path: report.p99_ms(s) for path, s in walls.items()}
    cpu = {path: samples.cpu_ms_per_call(path) for path in walls}
    server = {path: samples.server_cpu_ms_per_call(path) for path in walls}
    rows = [
        [
            LABELS[p],
            report.ms(med[p]),
            report.ms(p99[p]),
            report.ms(cpu[p]),
            report.ms(server[p]),
            report.ms(samples.gc_ms_per_call(p)),
            report.ms(samples.longest_gc_ns[p] / 1e6),
        ]
        for p in walls
    ]
    headers = ["path", "median ms", "p99 ms", "CPU ms/call", "of it, server", "GC ms/call"]
    freeze = "off (--no-gc-freeze)" if args.no_gc_freeze else "on, as the API and worker run"
    ratio_rows = [
        [f"{a} / {b}", f"{med[a] / med[b]:.2f}x", f"{p99[a] / p99[b]:.2f}x", _ratio(cpu, a, b)]
        for a, b in RATIOS
    ]
    return "\n".join(
        [
            report.heading(
                "Glowpath step benchmark",
                "bench.step_bench",
                [
                    *report.machine_facts(args.load_at_start),
                    ("load at end", f"{report.load_average() or 0:.2f}"),
                    *SETUP,
                    ("stack up", f"{stack_seconds:.1f} s (dev server, migrations, seed, workers)"),
                    ("start-up objects frozen", freeze),
                    (
                        "one full GC pass",
                        "{:.1f} ms before the freeze, {:.1f} ms after".format(*stack.full_gc_ms),
                    ),
                ],
            ),
            "",
            f"One step, {args.calls} calls of each path after {args.warmup} warm-up rounds,",
            "alternated call by call (the order rotates each round)",
            report.table([*headers, "longest GC"], rows),
            "",
            report.table(["ratio", "median", "p99", "CPU"], ratio_rows),
            "",
            "  The floor is a workflow of the benchmark's own (not Glowpath's code) on the same",
            "  dev server; its GraphQL mutation is served by Strawberry on aiohttp with its",
            "  parse and validation caches and nothing of Glowpath's (no other extension, no",
            "  middleware or database): what any mutation costs on this stack. act and the",
            "  mutation run RECORD_CONSULTATION by the journey's",
            "  consultant at CONSULTATION: the update writes the event and the journey row to the",
            "  read model through a local activity. The mutation also checks the token and the",
            "  input, claims its idempotency key, writes the consultation as a draft record, and",
            "  appends the audit entry; its answer selects journey { id stage }.",
            "  CPU ms/call: the CPU time of this process (API, both workers, the SDK's core",
            "  threads) and of the dev server while the call ran, averaged over the path's calls;",
            "  of it, server: the dev server's part (Temporal's own work for the call).",
            "  GC: the garbage collector's pauses while the path's calls ran (this process),",
            "  averaged over its calls, and the longest one.",
        ]
    )


def _ratio(values: dict[str, float], a: str, b: str) -> str:
    return f"{values[a] / values[b]:.2f}x" if values[b] > 0 else "-"


async def run(args: argparse.Namespace) -> str:
    args.load_at_start = report.load_average()
    say("starting the stack: Temporal dev server, read model, demo staff, workers, API ...")
    start = time.perf_counter()
    stack_up = running_stack(freeze_start_up=not args.no_gc_freeze)
    async with (
        stack_up as stack,
        floor_worker(stack.temporal, FLOOR_QUEUE),
        floor_graphql_server(stack.temporal) as floor_url,
    ):
        stack_seconds = time.perf_counter() - start
        if not args.no_gc_freeze:
            freeze_start_up_objects()  # the floor's GraphQL server too, as the API's own is
        say(f"stack up in {stack_seconds:.1f} s; dev server pid {stack.dev_server_pid}")
        async with aiohttp.ClientSession() as session:
            staff = Staff(GraphQLClient(session, stack.graphql_url))
            await staff.sign_in()
            floor = FloorTarget(FLOOR_QUEUE, GraphQLClient(session, floor_url))
            say(f"{args.calls} rounds of 5 calls after {args.warmup} warm-up rounds ...")
            samples = await step_rounds(
                stack, staff, floor, args.calls, args.warmup, args.rounds_per_journey
            )
        say("stopping the stack ...")
    return render(args, stack, stack_seconds, samples)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.step_bench",
        description="One journey step: the floor, the bare update and GraphQL, side by side.",
    )
    parser.add_argument("--calls", type=int, help="timed calls of each path (default 300)")
    parser.add_argument("--warmup", type=int, help="untimed rounds first (default 10)")
    parser.add_argument("--quick", action="store_true", help="40 calls, 3 warm-up rounds")
    parser.add_argument(
        "--rounds-per-journey",
        type=int,
        default=ROUNDS_PER_JOURNEY,
        help=f"rounds on one journey before a fresh one (default {ROUNDS_PER_JOURNEY}, "
        f"at most {MOST_ROUNDS_PER_RUN})",
    )
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave start-up's objects to the garbage collector (the API and the worker freeze "
        "them once started): what the freeze saves shows in the GC column",
    )
    args = parser.parse_args(argv)
    if args.calls is None:
        args.calls = 40 if args.quick else 300
    if args.warmup is None:
        args.warmup = 3 if args.quick else 10
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    if not 1 <= args.rounds_per_journey <= MOST_ROUNDS_PER_RUN:
        parser.error(f"--rounds-per-journey must be 1 to {MOST_ROUNDS_PER_RUN}")
    if args.warmup < 0:
        parser.error("--warmup cannot be negative")
    return args


main = command_line(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
