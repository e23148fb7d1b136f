"""What the trust layer adds to a request: the same calls through two API servers on one stack,
one as served and one built without the audit trail, the permission checks, or both, alternated
call by call (ABBA).

    python -m bench.audit_bench                          # 300 calls, audit trail off vs on
    python -m bench.audit_bench --without permissions    # the permission checks off vs on
    python -m bench.audit_bench --without both           # both off vs both on
    python -m bench.audit_bench --quick                  # 30 of each: a smoke run
    python -m bench.audit_bench --postgres               # the read model on PostgreSQL

Both servers share the worker, the Temporal dev server and the read model; only the schema's
extensions differ. Every audited call must leave exactly its entries (and the other none), and
the chains must verify at the end, or the run fails.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence

import aiohttp
import asyncpg
from aiohttp import web

from bench import report
from bench.audit_calls import (
    PAIRS_PER_JOURNEY,
    Timings,
    alternate,
    append_alone,
    journey_at_consultation,
    journey_with_history,
    read_journey,
    record_consultation,
    register_client,
)
from bench.operations import BenchError, GraphQLClient
from bench.runner import run_benchmark
from bench.stack import HOST, Stack, running_stack
from bench.workload import Staff
from domain.store.audit_chain import verify_chains
from server.app import create_app

POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
OFF = {
    "audit": "the audit trail",
    "permissions": "the permission checks",
    "both": "the audit trail and the permission checks",
}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.asynccontextmanager
async def database(postgres: bool) -> AsyncIterator[str | None]:
    """None (the stack's temporary SQLite file), or a fresh PostgreSQL database."""
    if not postgres:
        yield None
        return
    name = f"glowpath_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@contextlib.asynccontextmanager
async def unaudited_api(stack: Stack, without: str) -> AsyncIterator[str]:
    """A second API server on the same stack, its schema built without the audit trail, the
    permission checks, or both (`without`)."""
    audit_trail = without == "permissions"
    permissions = without == "audit"
    app = create_app(
        stack.settings, stack.temporal, audit_trail=audit_trail, permissions=permissions
    )
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.TCPSite(runner, HOST, 0)
        await site.start()
        port = next(a[1] for a in runner.addresses if isinstance(a, tuple))
        yield f"http://{HOST}:{port}/graphql"
    finally:
        await runner.cleanup()


async def measure(
    args: argparse.Namespace, on_url: str, off_url: str
) -> tuple[list[Timings], list[int]]:
    async with aiohttp.ClientSession() as session:
        on, off = GraphQLClient(session, on_url), GraphQLClient(session, off_url)
        staff = Staff(on)
        await staff.sign_in()
        read = await journey_with_history(staff)
        timings = [
            Timings("journey with client and history (query)", 3),
            Timings("registerClient (mutation, database only)", 2),
            Timings("recordConsultation (mutation, Temporal update)", 2),
        ]
        say(f"{args.warmup} warm-up and {args.calls} measured calls of each kind per server ...")
        total = args.warmup + args.calls
        for done in range(0, total, PAIRS_PER_JOURNEY):
            batch = min(PAIRS_PER_JOURNEY, total - done)
            writes = await journey_at_consultation(
                staff
            )  # a fresh one: updates per run are bounded
            calls = [
                read_journey(read, staff.consultant),  # the clinical details are theirs
                register_client(staff.desk),
                record_consultation(writes, staff.consultant),
            ]
            off_audits = args.without == "permissions"
            for kind, call in zip(timings, calls, strict=True):
                await alternate(kind, on, off, batch, call, off_audits)
        for kind in timings:  # drop the warm-up calls
            kind.on_ns, kind.off_ns = kind.on_ns[args.warmup :], kind.off_ns[args.warmup :]
        alone = await append_alone(args.warmup + args.calls)
        return timings, alone[args.warmup :]


def render(
    args: argparse.Namespace, timings: list[Timings], alone: list[int], checked: str, up: float
) -> str:
    rows = []
    for t in timings:
        off, on = report.median_ms(t.off_ns), report.median_ms(t.on_ns)
        off99, on99 = report.p99_ms(t.off_ns), report.p99_ms(t.on_ns)
        rows.append(
            [t.name, str(t.entries_per_call)]
            + [report.ms(v) for v in (off, on, on - off)]
            + [f"{on / off:.2f}x", report.ms(off99), report.ms(on99), f"{on99 / off99:.2f}x"]
        )
    header = ["call", "entries", "off med", "on med", "+ms", "ratio", "off p99", "on p99", "ratio"]
    backend = "PostgreSQL 127.0.0.1:5432" if args.postgres else "SQLite, a temporary file"
    return "\n".join(
        [
            f"Glowpath trust-layer benchmark: the same calls with {OFF[args.without]} off and on",
            report.facts_block(
                [
                    *report.machine_facts(args.load_at_start),
                    ("read model", f"{backend} (the audit entries go there too)"),
                    ("setup", "two API servers, one worker, one dev server: one event loop"),
                    ("stack up", f"{up:.1f} s"),
                    ("command", " ".join(["python -m bench.audit_bench", *sys.argv[1:]])),
                ]
            ),
            "",
            f"{args.calls} calls of each kind on each server, alternated ABBA, after "
            f"{args.warmup} warm-up pairs; times in ms; entries: audit entries per audited call",
            report.table(header, rows),
            f"  the append alone, in process (3 entries, one transaction): median "
            f"{report.ms(report.median_ms(alone))} ms, p99 {report.ms(report.p99_ms(alone))} ms",
            f"  afterwards: {checked}",
        ]
    )


async def run(args: argparse.Namespace) -> str:
    args.load_at_start = report.load_average()
    say("starting the stack: Temporal dev server, read model, demo staff, worker, two APIs ...")
    start = time.perf_counter()
    async with database(args.postgres) as url, running_stack(url) as stack:
        async with unaudited_api(stack, args.without) as off_url:
            up = time.perf_counter() - start
            timings, alone = await measure(args, stack.graphql_url, off_url)
        chains = await verify_chains()
        if chains.breaks:
            raise BenchError(f"the audit chains do not verify: {chains.breaks}")
        checked = f"{chains.entries} audit entries in {chains.clinics} chain(s) verified intact"
        say("stopping the stack ...")
    return render(args, timings, alone, checked, up)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.audit_bench",
        description="The cost of the audit trail and the permission checks: the same GraphQL "
        "calls with them off and on.",
    )
    parser.add_argument("--calls", type=int, help="measured calls of each kind (default 300)")
    parser.add_argument("--warmup", type=int, help="unmeasured calls first (default 10)")
    parser.add_argument("--quick", action="store_true", help="30 calls, 3 warm-up")
    parser.add_argument("--postgres", action="store_true", help="read model on 127.0.0.1:5432")
    parser.add_argument(
        "--without",
        choices=sorted(OFF),
        default="audit",
        help="what the second server is built without (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    defaults = {"calls": 30, "warmup": 3} if args.quick else {"calls": 300, "warmup": 10}
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.calls < 1 or args.warmup < 0:
        parser.error("--calls must be at least 1 and --warmup not negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_benchmark(lambda: run(args))


if __name__ == "__main__":
    sys.exit(main())
