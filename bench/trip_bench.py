"""One SQLite transaction two ways: statement by statement (Tortoise's transaction) and as one
trip to the connection's thread (`domain.store.one_trip`), with the event loop idle and busy.

    python -m bench.trip_bench              # 2000 transactions of each way per loop state
    python -m bench.trip_bench --calls 300

The transaction is the shape of a journey step's read-model write: an INSERT, a SELECT of the
row it wrote, an UPDATE of it. Both ways run the same plan on the same connection of a fresh
read model (a temporary SQLite file, migrated), alternated call by call. "Busy" adds a task that
keeps the event loop running Python half the time, in 1 ms slices, as a process serving other
requests does: a trip's answer may wait for the loop to come round, and the connection's thread
for the interpreter's lock.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bench import report
from bench.runner import busy_loop, command_line, say
from domain.store.compat import sqlite_pragmas
from domain.store.db import apply_migrations, close_db, init_db
from domain.store.models import Clinic
from domain.store.one_trip import Plan, drive, in_one_trip


def _write(connection: BaseDBAsyncClient, clinic_id: str) -> Plan[int]:
    yield (
        "INSERT INTO clinic (id, name, timezone, stage_slas) VALUES (?, ?, ?, ?)",
        [
            clinic_id,
            "bench",
            "Europe/Warsaw",
            "{}",
        ],
    )
    rows = yield "SELECT name FROM clinic WHERE id = ?", [clinic_id]
    yield "UPDATE clinic SET name = ? WHERE id = ?", [f"{rows[0]['name']} again", clinic_id]
    return len(rows)


async def _statement_by_statement() -> None:
    async with in_transaction() as connection:
        await drive(connection, _write(connection, str(uuid.uuid4())))


async def _one_trip() -> None:
    await in_one_trip(Clinic, lambda connection: _write(connection, str(uuid.uuid4())))


async def run(args: argparse.Namespace) -> str:
    load_at_start = report.load_average()
    ways = {"statement by statement": _statement_by_statement, "one trip": _one_trip}
    rows = []
    with tempfile.TemporaryDirectory(prefix="glowpath-trip-") as folder:
        url = sqlite_pragmas(f"sqlite://{Path(folder) / 'read-model.sqlite3'}")
        await apply_migrations(url)
        await init_db(url)
        try:
            for busy in (False, True):
                say(f"{args.calls} transactions each way, loop {'busy' if busy else 'idle'} ...")
                walls: dict[str, list[int]] = {name: [] for name in ways}
                async with busy_loop(busy):
                    for _ in range(args.calls):
                        for name, way in ways.items():
                            start = time.perf_counter_ns()
                            await way()
                            walls[name].append(time.perf_counter_ns() - start)
                by_statement, one = (walls[name] for name in ways)
                ratio = report.median_ms(one) / report.median_ms(by_statement)
                for name, samples in walls.items():
                    median, p99 = report.median_ms(samples), report.p99_ms(samples)
                    state = "busy" if busy else "idle"
                    rows.append([state, name, report.ms(median), report.ms(p99)])
                rows.append(["", "one trip / statement by statement", f"{ratio:.2f}x", ""])
        finally:
            await close_db()
    return "\n".join(
        [
            report.heading(
                "Glowpath SQLite trip benchmark",
                "bench.trip_bench",
                [
                    *report.machine_facts(load_at_start),
                    ("load at end", f"{report.load_average() or 0:.2f}"),
                ],
            ),
            "",
            f"One INSERT + SELECT + UPDATE transaction, {args.calls} calls each way, alternated",
            report.table(["loop", "way", "median ms", "p99 ms"], rows),
            "",
            "  busy: a task keeps the loop running Python half the time, in 1 ms slices.",
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.trip_bench",
        description="One SQLite transaction statement by statement and in one trip.",
    )
    parser.add_argument("--calls", type=int, default=2000, help="per way and loop state")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    return args


main = command_line(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
