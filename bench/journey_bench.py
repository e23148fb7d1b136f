"""How many short journeys the GraphQL API carries, N in flight.

    python -m bench.journey_bench            # 100 journeys at concurrency 20
    python -m bench.journey_bench --quick    # 20 journeys: a smoke run

One run starts its own stack on loopback (see `bench.stack`), measures, prints one report on
stdout (progress goes to stderr) and stops everything it started, also on Ctrl-C or error.
Complete short journeys through GraphQL: registerClient, startJourney, assignConsultant,
recordConsultation, closeNotConverted. The cost of one step against Temporal's own is
`bench.step_bench`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import aiohttp

from bench import report
from bench.operations import GraphQLClient
from bench.runner import command_line, say
from bench.stack import running_stack
from bench.workload import Staff, journey_throughput

# The same topology as `glowpath dev`: API and worker in one process, on one event loop.
SETUP = [
    ("setup", "in-process: API server (aiohttp), worker and load generator share one event"),
    ("", "loop, as in `glowpath dev`; the Temporal dev server is a child process"),
    ("network", "loopback only; one keep-alive aiohttp client session"),
]


def render(
    args: argparse.Namespace,
    stack_seconds: float,
    throughput: tuple[float, dict[str, list[int]]],
) -> str:
    wall, samples = throughput
    total_calls = sum(len(s) for s in samples.values())
    journey_rows = [
        [name, str(len(s)), report.ms(report.median_ms(s)), report.ms(report.p99_ms(s))]
        for name, s in samples.items()
    ]
    return "\n".join(
        [
            report.heading(
                "Glowpath journey benchmark",
                "bench.journey_bench",
                [
                    *report.machine_facts(args.load_at_start),
                    *SETUP,
                    ("stack up", f"{stack_seconds:.1f} s (dev server, migrations, seed, worker)"),
                ],
            ),
            "",
            f"Complete short journeys through GraphQL: {args.journeys} journeys, "
            f"{args.concurrency} in flight",
            "  registerClient > startJourney > assignConsultant > recordConsultation > "
            "closeNotConverted",
            f"  {args.journeys / wall:.1f} journeys/s, {total_calls / wall:.0f} mutations/s, "
            f"{wall:.1f} s wall",
            report.table(["mutation", "calls", "median ms", "p99 ms"], journey_rows),
        ]
    )


async def run(args: argparse.Namespace) -> str:
    args.load_at_start = report.load_average()
    say("starting the stack: Temporal dev server, read model, demo staff, worker, API ...")
    start = time.perf_counter()
    async with running_stack() as stack:
        stack_seconds = time.perf_counter() - start
        say(f"stack up in {stack_seconds:.1f} s; dev server pid {stack.dev_server_pid}")
        connector = aiohttp.TCPConnector(limit=args.concurrency + 4)
        async with aiohttp.ClientSession(connector=connector) as session:
            staff = Staff(GraphQLClient(session, stack.graphql_url))
            await staff.sign_in()
            say(f"{args.journeys} journeys at concurrency {args.concurrency} ...")
            throughput = await journey_throughput(staff, args.journeys, args.concurrency)
        say("stopping the stack ...")
    return render(args, stack_seconds, throughput)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.journey_bench",
        description="Journeys/s through GraphQL, N in flight.",
    )
    parser.add_argument("--journeys", type=int, help="journeys to run (default 100)")
    parser.add_argument("--concurrency", type=int, default=20, help="default: %(default)s")
    parser.add_argument("--quick", action="store_true", help="20 journeys")
    args = parser.parse_args(argv)
    if args.journeys is None:
        args.journeys = 20 if args.quick else 100
    for name in ("journeys", "concurrency"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


main = command_line(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
