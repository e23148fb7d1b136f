"""The journey projection's write on PostgreSQL: every statement its own round trip, against the
writes the plan does not read riding with the next statement (`domain.store.one_trip.Unread`).

    python -m bench.projection_bench                 # 1 and 8 writers, 4 s per way and phase
    python -m bench.projection_bench --writers 4 --seconds 2

Each writer walks journeys of one clinic through the stages (every step a change of stage: its
event, the journey row, the stay it ends, and the clinic's per-stage counters, which every
writer's steps move), the two ways alternated ABBA, on a fresh PostgreSQL database
(127.0.0.1:5432, dropped at the end), with the event loop idle and then busy half the time as a
worker's is. The counters must equal the journey rows at the end, or the run fails.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bench import pg_ways, report
from bench.operations import BenchError
from bench.runner import busy_loop, command_line, say
from domain.journey.facts import Actor, JourneyChange, JourneyEvent, JourneyFacts
from domain.journey.stages import ArrivalChannel, Stage, VisitCategory
from domain.roles import Role
from domain.store.models import Client, Clinic
from domain.store.projection import apply_change
from domain.store.stage_counts import check_counters

CLINIC, CLIENT = "bench-projection", "bench-projection-client"
WALK = (Stage.TRIAGE, Stage.CONSULTATION, Stage.EXPERT_REVIEW, Stage.CONSENT, Stage.PAYMENT)
STEPS_PER_JOURNEY = len(WALK) + 1  # the opening, then a change of stage per stage walked
DESK = Actor("bench-desk", Role.FRONT_DESK)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WAYS = {"each statement alone": False, "unread writes folded": True}


def journey_changes() -> list[JourneyChange]:
    """A fresh journey's opening and its walk through `WALK`, a minute per step."""
    journey_id = f"bench-{uuid.uuid4().hex}"
    facts = JourneyFacts(
        journey_id=journey_id,
        clinic_id=CLINIC,
        client_id=CLIENT,
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=START,
        follow_up_offsets=[],
        stage_entered_at=START,
    )
    changes, came, at = [], None, START
    for seq, stage in enumerate((Stage.RECEPTION, *WALK), start=1):
        facts.stage, facts.event_seq, facts.stage_entered_at = stage, seq, at
        event = JourneyEvent(journey_id, seq, "BENCH_STEP", came, stage, DESK, at, "step")
        changes.append(JourneyChange(event, replace(facts)))
        came, at = stage, at + timedelta(minutes=1)
    return changes


async def phase(result: pg_ways.Timings, fold: bool, writers: int, seconds: float) -> None:
    deadline = time.perf_counter() + seconds

    async def writer() -> None:
        while time.perf_counter() < deadline:
            for change in journey_changes():
                start = time.perf_counter_ns()
                await apply_change(change, fold=fold)
                result.samples_ns.append(time.perf_counter_ns() - start)

    began = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(writers)))
    result.seconds += time.perf_counter() - began


async def compare(args: argparse.Namespace, writers: int, busy: bool) -> list[list[str]]:
    results = {way: pg_ways.Timings() for way in WAYS}
    async with busy_loop(busy):
        for ways in (list(WAYS), list(WAYS)[::-1]):  # ABBA
            for way in ways:
                await phase(results[way], WAYS[way], writers, args.seconds / 2)
    loop = "busy" if busy else "idle"
    return pg_ways.rows(f"{writers} writers, loop {loop}", results, "writes/s")


async def run(args: argparse.Namespace) -> str:
    load_at_start = report.load_average()
    rows: list[list[str]] = []
    async with pg_ways.fresh_read_model():
        await Clinic.create(id=CLINIC, name="bench clinic")
        await Client.create(
            id=CLIENT,
            clinic_id=CLINIC,
            full_name="Client",
            birth_date=START.date().replace(year=1990),
            phone="600000000",
            data_consent_at=START,
            registered_by=DESK.user_id,
        )
        for writers, busy in itertools.product(args.writers, (False, True)):
            say(f"{writers} writers, loop busy: {busy} ...")
            rows += await compare(args, writers, busy)
        drift = await check_counters(CLINIC, repair=False)
        if drift:
            raise BenchError(f"the counters drifted from the journey rows: {drift}")
    return "\n".join(
        [
            report.heading(
                "Glowpath projection benchmark: a journey step's read-model write, PostgreSQL",
                "bench.projection_bench",
                pg_ways.facts(load_at_start),
            ),
            "",
            f"Steps that change stage, one clinic, {args.seconds:g} s per way and phase (ABBA)",
            report.table(["phase and way", "writes/s", "median ms", "p99 ms"], rows),
            "",
            "  afterwards: the clinic's counters equal its journey rows",
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.projection_bench",
        description="The projection's write on PostgreSQL, unread writes folded or not.",
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="per way and phase")
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 8], help="concurrent")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or min(args.writers) < 1:
        parser.error("--seconds must be positive and --writers at least 1")
    return args


main = command_line(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
