"""The supervisor's board: per-stage counts (`journeyStats`), and "which journeys are stuck,
longest over first?", asked two ways.

0. `journeyStats` on 100,000 journeys, SQLite and PostgreSQL: the counters and today's stays
   (now) next to the GROUP BY and the logs of today's journeys (before issue 13), measured
   alternately in one run, with the plan of every query either path runs.
1. The read model (what `stuckJourneys` runs): 100,000 journeys in SQLite, and in PostgreSQL
   when one answers on 127.0.0.1:5432.
2. Temporal visibility (`list_workflows` on the journeys' search attributes) on a smaller set of
   real journey workflows in a dev server, next to the read model answering for the same set.

Run: python -m bench.cockpit_bench [--quick] [--no-visibility] [--rows 100000] [--workflows 200]
     [--repeats 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import connections

from bench.operations import BenchError
from bench.readmodel_fill import fill
from bench.report import facts_block, machine_facts, median_ms, ms, p99_ms, table
from bench.runner import run_benchmark
from bench.stack import running_stack
from bench.stats_paths import journey_stats, query_plans, stage_counts_before
from bench.throughput_processes import stop_process
from domain.journey.facts import JourneyStart
from domain.journey.stages import ArrivalChannel, VisitCategory
from domain.store.db import apply_migrations, close_db, init_db
from domain.store.models import Client, Journey
from domain.store.stats import stage_counts
from schema.pagination import keyset_page
from server.seed import DEMO_CLINIC_ID
from tests.support import DESK
from workflows.client import JourneyGateway
from workflows.search_attributes import STAGE_ENTERED_AT

PAGE = 20
POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
Sample = tuple[str, str, list[int]]
# (what, the path before issue 13, the path now): measured alternately, reported as a ratio.
STATS_PAIRS = (
    (
        "journeyStats counts",
        "journeyStats counts, before (GROUP BY + logs)",
        "journeyStats counts, now (counters + stays)",
    ),
    (
        "journeyStats, every read",
        "journeyStats, every read, before",
        "journeyStats, every read, now",
    ),
)


async def _time(repeats: int, call: Callable[[], Awaitable[Any]]) -> list[int]:
    samples = []
    for _ in range(repeats):
        began = time.perf_counter_ns()
        await call()
        samples.append(time.perf_counter_ns() - began)
    return samples


async def _stuck_page(clinic_id: str) -> list[Any]:
    query = Journey.filter(clinic_id=clinic_id, stuck=True)
    rows, _ = await keyset_page(query, "sla_deadline", PAGE, None, newest_first=False)
    return rows


async def _read_model(url: str, label: str, rows: int, repeats: int) -> dict[str, Any]:
    await apply_migrations(url)
    await init_db(url)
    try:
        began = time.monotonic()
        stuck = await fill("bench-clinic", rows)
        db = connections.get("default")
        if db.capabilities.dialect == "postgres":
            # What autovacuum does to a table this size soon enough: statistics for the
            # planner, and the visibility map that index-only scans need.
            await db.execute_script("VACUUM ANALYZE")
        progress(
            f"  {label}: {rows:,} journeys ({stuck:,} stuck) written in "
            f"{time.monotonic() - began:.0f} s"
        )
        midnight = _midnight()
        now = await stage_counts("bench-clinic", midnight)
        if now != await stage_counts_before("bench-clinic", midnight):
            raise RuntimeError("the counters and the GROUP BY disagree")
        stays = sum(1 for s in now if s.median_seconds_today is not None)
        progress(f"  {label}: both paths give the same board (stays today in {stays} stage(s))")
        page = await _time(repeats, lambda: _stuck_page("bench-clinic"))
        (_, counts_before, counts_now), (_, every_before, every_now) = STATS_PAIRS
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            counts_before: lambda: stage_counts_before("bench-clinic", midnight),
            counts_now: lambda: stage_counts("bench-clinic", midnight),
            every_before: lambda: journey_stats("bench-clinic", midnight, before=True),
            every_now: lambda: journey_stats("bench-clinic", midnight, before=False),
        }
        timed: dict[str, list[int]] = {what: [] for what in calls}
        for _ in range(repeats):  # alternating: a change in load falls on both paths alike
            for what, call in calls.items():
                timed[what] += await _time(1, call)
        samples = [(label, "stuckJourneys first page", page)]
        samples += [(label, what, found) for what, found in timed.items()]
        return {"samples": samples, "plans": await query_plans("bench-clinic", midnight)}
    finally:
        await close_db()


def progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _midnight() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@contextlib.asynccontextmanager
async def _postgres_database() -> Any:
    name = f"glowpath_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _visibility(workflows: int, repeats: int) -> list[Sample]:
    async with running_stack() as stack:
        gateway = JourneyGateway(stack.temporal, stack.settings.task_queue)
        client = await Client.create(
            id="bench-client",
            clinic_id=DEMO_CLINIC_ID,
            full_name="Bench",
            birth_date="1990-01-01",
            phone="600000000",
            data_consent_at=_midnight(),
            registered_by="bench",
        )
        stuck_wanted = workflows // 3
        for n in range(workflows):
            # A third wait at triage with a one-second SLA, so they turn stuck during the run.
            overrides = {"TRIAGE": 1} if n < stuck_wanted else {}
            await gateway.start(
                JourneyStart(
                    journey_id=f"bench-{uuid.uuid4()}",
                    clinic_id=DEMO_CLINIC_ID,
                    client_id=str(client.id),
                    visit_category=VisitCategory.FIRST_VISIT,
                    channel=ArrivalChannel.WALK_IN,
                    client_is_minor=False,
                    started_by=DESK,
                    checked_in=True,
                    follow_up_offsets=[86400],
                    sla_overrides=overrides,
                )
            )
        query = f'GlowpathClinic = "{DEMO_CLINIC_ID}" AND GlowpathStuck = true'

        async def ask_visibility() -> list[Any]:
            found = [w async for w in stack.temporal.list_workflows(query)]
            # Visibility cannot order by a custom attribute here: the caller sorts.
            found.sort(key=lambda w: w.typed_search_attributes.get(STAGE_ENTERED_AT) or _midnight())
            return found[:PAGE]

        deadline = time.monotonic() + 60
        while len([w async for w in stack.temporal.list_workflows(query)]) < stuck_wanted:
            if time.monotonic() > deadline:
                raise RuntimeError("journeys did not turn stuck in time")
            await asyncio.sleep(0.5)
        label = f"{workflows} workflows"
        return [
            (label, "Temporal visibility list_workflows", await _time(repeats, ask_visibility)),
            (
                label,
                "read model, same journeys",
                await _time(repeats, lambda: _stuck_page(DEMO_CLINIC_ID)),
            ),
        ]


# How long a child stopped by a cancellation has to clean up before it is killed.
CHILD_STOP_SECONDS = 30.0
CHILD_LIMIT_SECONDS = 1800.0


async def _read_model_in_child(
    url: str, label: str, args: argparse.Namespace
) -> tuple[list[Sample], str]:
    """One backend per process: Tortoise binds its SQL dialect to the models at init. Awaited,
    not blocking, so a signal to this run is acted on at once: the child is stopped first."""
    command = [
        "-m",
        "bench.cockpit_bench",
        "--read-model",
        url,
        "--label",
        label,
        "--rows",
        str(args.rows),
        "--repeats",
        str(args.repeats),
    ]
    # The child's progress goes straight to stderr; its result is its last line on stdout.
    child = await asyncio.create_subprocess_exec(
        sys.executable, *command, stdout=asyncio.subprocess.PIPE
    )
    try:
        async with asyncio.timeout(CHILD_LIMIT_SECONDS):
            out, _ = await child.communicate()
    except BaseException:
        # SIGTERM first: the child's own run then stops what it started.
        await stop_process(child, CHILD_STOP_SECONDS)
        raise
    if child.returncode != 0:
        raise BenchError(f"the {label} read-model child exited {child.returncode}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    samples = [(label, what, found) for label, what, found in result["samples"]]
    return samples, f"{label}:\n{result['plans']}"


def _before_and_now(samples: list[Sample]) -> list[str]:
    """`before / now` (medians) of each journeyStats pair measured on one database."""
    found = {(label, what): s for label, what, s in samples}
    return [
        f"  {label}: {name}: before / now {median_ms(found[(label, before)]) / median_ms(now):.1f}x"
        for (label, what), now in found.items()
        for name, before, now_name in STATS_PAIRS
        if what == now_name
    ]


async def main(args: argparse.Namespace) -> None:
    if args.read_model:
        result = await _read_model(args.read_model, args.label, args.rows, args.repeats)
        print(json.dumps(result))
        return
    print("Glowpath cockpit benchmark: the board's counts and stuck journeys, read model vs")
    print("Temporal visibility\n")
    print(facts_block(machine_facts()) + "\n", flush=True)
    samples: list[Sample] = []
    plans: list[str] = []
    with tempfile.TemporaryDirectory(prefix="glowpath-cockpit-") as tmp:
        sqlite_url = f"sqlite://{Path(tmp) / 'cockpit.sqlite3'}"
        found, plan = await _read_model_in_child(sqlite_url, f"SQLite, {args.rows:,}", args)
        samples += found
        plans.append(plan)
    try:
        async with _postgres_database() as pg_url:
            found, plan = await _read_model_in_child(pg_url, f"PostgreSQL, {args.rows:,}", args)
            samples += found
            plans.append(plan)
    except (OSError, asyncpg.PostgresError) as error:
        progress(f"  PostgreSQL not reachable ({error}): skipped")
    if not args.no_visibility:
        samples += await _visibility(args.workflows, args.repeats)
    rows = [(f"{label}: {what}", ms(median_ms(s)), ms(p99_ms(s))) for label, what, s in samples]
    print(table(("question (lists: first page of 20)", "median ms", "p99 ms"), rows))
    print("\n" + "\n".join(_before_and_now(samples)))
    if not args.no_visibility:
        visibility, read_model = samples[-2][2], samples[-1][2]
        ratio = median_ms(visibility) / median_ms(read_model)
        print(f"  visibility / read model (median, same {args.workflows} journeys): {ratio:.1f}x")
    print("\nQuery plans of journeyStats, before and now\n" + "\n".join(plans))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workflows", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="10,000 rows, 30 workflows, 10 runs")
    parser.add_argument(
        "--no-visibility", action="store_true", help="the read model only (no Temporal server)"
    )
    parser.add_argument("--read-model", help=argparse.SUPPRESS)  # child mode: one database URL
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.workflows, args.repeats = 10_000, 30, 10
    return args


if __name__ == "__main__":
    sys.exit(run_benchmark(lambda: main(parse())))
