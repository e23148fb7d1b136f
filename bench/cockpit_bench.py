"""The supervisor's question, "which journeys are stuck, longest over first?", asked two ways.

1. The read model (what `stuckJourneys` runs): 100,000 journeys in SQLite, and in PostgreSQL
   when one answers on 127.0.0.1:5432.
2. Temporal visibility (`list_workflows` on the journeys' search attributes) on a smaller set of
   real journey workflows in a dev server, next to the read model answering for the same set.

Run: python -m bench.cockpit_bench [--rows 100000] [--workflows 200] [--repeats 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg

from bench.readmodel_fill import fill
from bench.report import facts_block, machine_facts, median_ms, ms, p99_ms, table
from bench.stack import running_stack
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


async def _read_model(url: str, label: str, rows: int, repeats: int) -> list[Sample]:
    await apply_migrations(url)
    await init_db(url)
    try:
        began = time.monotonic()
        stuck = await fill("bench-clinic", rows)
        print(
            f"  {label}: {rows:,} journeys ({stuck:,} stuck) written in "
            f"{time.monotonic() - began:.0f} s",
            flush=True,
        )
        page = await _time(repeats, lambda: _stuck_page("bench-clinic"))
        counts = await _time(repeats, lambda: stage_counts("bench-clinic", _midnight()))
        return [(label, "stuckJourneys first page", page), (label, "journeyStats counts", counts)]
    finally:
        await close_db()


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


def _read_model_in_child(url: str, label: str, args: argparse.Namespace) -> list[Sample]:
    """One backend per process: Tortoise binds its SQL dialect to the models at init."""
    command = [
        sys.executable,
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
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=True)
    *progress, result = done.stdout.strip().splitlines()
    print("\n".join(progress), flush=True)
    return [(label, what, samples) for label, what, samples in json.loads(result)]


async def main(args: argparse.Namespace) -> None:
    if args.read_model:
        found = await _read_model(args.read_model, args.label, args.rows, args.repeats)
        print(json.dumps(found))
        return
    print("Glowpath cockpit benchmark: stuck journeys, read model vs Temporal visibility\n")
    print(facts_block(machine_facts()) + "\n", flush=True)
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="glowpath-cockpit-") as tmp:
        sqlite_url = f"sqlite://{Path(tmp) / 'cockpit.sqlite3'}"
        samples += _read_model_in_child(sqlite_url, f"SQLite, {args.rows:,}", args)
    try:
        async with _postgres_database() as pg_url:
            samples += _read_model_in_child(pg_url, f"PostgreSQL, {args.rows:,}", args)
    except (OSError, asyncpg.PostgresError) as error:
        print(f"  PostgreSQL not reachable ({error}): skipped")
    samples += await _visibility(args.workflows, args.repeats)
    rows = [(f"{label}: {what}", ms(median_ms(s)), ms(p99_ms(s))) for label, what, s in samples]
    print("\n" + table(("question (first page of 20)", "median ms", "p99 ms"), rows))
    visibility, read_model = samples[-2][2], samples[-1][2]
    ratio = median_ms(visibility) / median_ms(read_model)
    print(f"\n  visibility / read model (median, same {args.workflows} journeys): {ratio:.1f}x")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workflows", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--read-model", help=argparse.SUPPRESS)  # child mode: one database URL
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
