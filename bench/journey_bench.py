"""What the GraphQL API costs on top of Temporal, and how many short journeys it carries.

    python -m bench.journey_bench            # 300 calls each, 100 journeys at concurrency 20
    python -m bench.journey_bench --quick    # 30 calls each, 20 journeys: a smoke run

One run starts its own stack on loopback (see `bench.stack`), measures, prints one report on
stdout (progress goes to stderr) and stops everything it started, also on Ctrl-C or error.

1. One journey step, side by side: a bare Temporal `execute_update` of `act` with
   RECORD_CONSULTATION vs the `recordConsultation` mutation over HTTP, alternated on the same
   journey at stage CONSULTATION (an internal transition: every call appends an event).
2. Complete short journeys through GraphQL, N in flight: registerClient, startJourney,
   assignConsultant, recordConsultation, closeNotConverted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from collections.abc import Sequence

import aiohttp

from bench import report
from bench.operations import BenchError, GraphQLClient
from bench.stack import running_stack
from bench.workload import PAIRS_PER_JOURNEY, Staff, journey_throughput, step_latency

# The same topology as `glowpath dev`: API and worker in one process, on one event loop.
SETUP = [
    ("setup", "in-process: API server (aiohttp), worker and load generator share one event"),
    ("", "loop, as in `glowpath dev`; the Temporal dev server is a child process"),
    ("network", "loopback only; one keep-alive aiohttp client session"),
]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def render(
    args: argparse.Namespace,
    stack_seconds: float,
    latency: tuple[list[int], list[int]],
    throughput: tuple[float, dict[str, list[int]]],
) -> str:
    bare_ns, graphql_ns = latency
    b_med, g_med = report.median_ms(bare_ns), report.median_ms(graphql_ns)
    b_p99, g_p99 = report.p99_ms(bare_ns), report.p99_ms(graphql_ns)
    step_rows = [
        ["bare Temporal execute_update (act)", report.ms(b_med), report.ms(b_p99)],
        ["GraphQL recordConsultation over HTTP", report.ms(g_med), report.ms(g_p99)],
        ["ratio GraphQL / bare", f"{g_med / b_med:.2f}x", f"{g_p99 / b_p99:.2f}x"],
    ]
    wall, samples = throughput
    chunked = args.calls > PAIRS_PER_JOURNEY
    fresh = f" (a new one every {PAIRS_PER_JOURNEY} pairs)" if chunked else ""
    total_calls = sum(len(s) for s in samples.values())
    journey_rows = [
        [name, str(len(s)), report.ms(report.median_ms(s)), report.ms(report.p99_ms(s))]
        for name, s in samples.items()
    ]
    return "\n".join(
        [
            "Glowpath journey benchmark",
            report.facts_block(
                [
                    *report.machine_facts(args.load_at_start),
                    *SETUP,
                    ("stack up", f"{stack_seconds:.1f} s (dev server, migrations, seed, worker)"),
                    ("command", " ".join(["python -m bench.journey_bench", *sys.argv[1:]])),
                ]
            ),
            "",
            f"1. One journey step, recordConsultation at CONSULTATION: {args.calls} calls each,",
            f"   alternated ABBA on the same journey{fresh}, after {args.warmup} warm-up pairs",
            report.table(["path", "median ms", "p99 ms"], step_rows),
            "  Both run the same workflow update: RECORD_CONSULTATION by the journey's consultant.",
            "  The mutation also parses and validates its input, checks the token, loads the",
            "  journey row, writes the consultation as a draft record (the bare call sends",
            "  record_id None) and reloads the row; its answer selects journey { id stage }.",
            "",
            f"2. Complete short journeys through GraphQL: {args.journeys} journeys, "
            f"{args.concurrency} in flight",
            "  registerClient > startJourney > assignConsultant > recordConsultation > "
            "closeNotConverted",
            f"  {args.journeys / wall:.1f} journeys/s, {total_calls / wall:.0f} mutations/s, "
            f"{wall:.1f} s wall",
            report.table(["mutation", "calls", "median ms", "p99 ms"], journey_rows),
        ]
    )


class Stop:
    """The signal that ended the run early, if any (the SDK may turn the cancellation into its
    own exception, so the exception type alone does not tell)."""

    signum: int | None = None


def _on_signal(signum: int, task: asyncio.Task[str]) -> None:
    if Stop.signum is None:  # a second signal must not cut the clean-up short
        Stop.signum = signum
        task.cancel()


async def run(args: argparse.Namespace) -> str:
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    assert main_task is not None
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _on_signal, signum, main_task)
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
            say(f"1. {args.calls} bare + {args.calls} GraphQL recordConsultation calls ...")
            latency = await step_latency(stack, staff, args.calls, args.warmup)
            say(f"2. {args.journeys} journeys at concurrency {args.concurrency} ...")
            throughput = await journey_throughput(staff, args.journeys, args.concurrency)
        say("stopping the stack ...")
    return render(args, stack_seconds, latency, throughput)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.journey_bench",
        description="Bare Temporal update vs GraphQL mutation, and journeys/s through GraphQL.",
    )
    parser.add_argument("--calls", type=int, help="calls of each kind in part 1 (default 300)")
    parser.add_argument("--journeys", type=int, help="journeys in part 2 (default 100)")
    parser.add_argument("--concurrency", type=int, default=20, help="default: %(default)s")
    parser.add_argument("--warmup", type=int, help="unmeasured pairs before part 1 (default 10)")
    parser.add_argument("--quick", action="store_true", help="30 calls, 20 journeys, 3 warm-up")
    args = parser.parse_args(argv)
    quick = {"calls": 30, "journeys": 20, "warmup": 3}
    full = {"calls": 300, "journeys": 100, "warmup": 10}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("calls", "journeys", "concurrency"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup cannot be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    text = ""
    try:
        text = asyncio.run(run(args))
    except KeyboardInterrupt:  # before the loop's own handlers were in place
        Stop.signum = Stop.signum or signal.SIGINT
    except BaseException as error:
        if Stop.signum is None:
            if isinstance(error, BenchError):
                say(f"benchmark failed: {error}")
                return 1
            raise
    if Stop.signum is not None:
        say(f"stopped by {signal.Signals(Stop.signum).name}; everything it started is stopped")
        return 128 + Stop.signum
    print(text, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
