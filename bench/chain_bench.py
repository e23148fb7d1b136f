"""One clinic's audit chain on PostgreSQL, appended to by concurrent requests: the head locked
for the whole transaction against locked for one statement (`domain.store.audit_append_pg`).

    python -m bench.chain_bench                     # 2 processes x 1, 4 and 16 appenders
    python -m bench.chain_bench --seconds 2 --appenders 8 --processes 1

Every audited request of a clinic appends to the same chain, so its head is the clinic's queue.
Each phase runs, in each of two processes (as two API processes), N tasks appending three
entries at a time (a journey read's entries) to one clinic's chain for a few seconds, the two
ways alternated ABBA, on a fresh PostgreSQL database (127.0.0.1:5432, dropped at the end), with
the event loops idle and then kept busy half the time as an API process serving other requests
is. The chain must verify at the end, or the run fails.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bench import pg_ways, report
from bench.operations import BenchError
from bench.runner import busy_loop, command_line, say
from domain.audit import Access, AuditRecord, Viewer
from domain.store import audit_append_pg
from domain.store.audit_chain import append_accesses, append_locked, verify_chain
from domain.store.db import close_db, init_db
from domain.store.one_trip import Plan

CLINIC = "bench-chain"
ACCESSES = [Access("client", what) for what in ("journey.read", "client.read", "journey.history")]
Append = Callable[[Viewer, Sequence[Access]], Awaitable[list[tuple[AuditRecord, str]]]]


WAYS: dict[str, Append] = {"locked transaction": append_locked, "one statement": append_accesses}


@dataclass
class Result(pg_ways.Timings):
    gave_up: int = 0  # one-statement appends that took the lock after losing every try

    def add(self, other: Result) -> None:
        self.samples_ns += other.samples_ns
        self.seconds = max(self.seconds, other.seconds)  # processes append side by side
        self.gave_up += other.gave_up


class GiveUps:
    """Counts the one-statement plans that give up, by wrapping the plan `append_in_turn`
    runs."""

    def __init__(self) -> None:
        self.count = 0
        self._plan = audit_append_pg.append_unlocked

        def counted(*args: Any, **kwargs: Any) -> Plan[Any]:
            appended = yield from self._plan(*args, **kwargs)
            self.count += appended is None
            return appended

        audit_append_pg.append_unlocked = counted

    def restore(self) -> None:
        audit_append_pg.append_unlocked = self._plan


async def appending(way: str, appenders: int, seconds: float, give_ups: GiveUps) -> Result:
    """`appenders` tasks of this process appending `way` for `seconds`."""
    result, before = Result(), give_ups.count
    deadline = time.perf_counter() + seconds

    async def appender(n: int) -> None:
        viewer = Viewer(f"bench-{os.getpid()}-{n}", "SUPERVISOR", CLINIC, None)
        while time.perf_counter() < deadline:
            start = time.perf_counter_ns()
            await WAYS[way](viewer, ACCESSES)
            result.samples_ns.append(time.perf_counter_ns() - start)

    began = time.perf_counter()
    await asyncio.gather(*(appender(n) for n in range(appenders)))
    result.seconds, result.gave_up = time.perf_counter() - began, give_ups.count - before
    return result


@dataclass(frozen=True)
class Phase:
    way: str
    appenders: int  # per process
    busy: bool
    seconds: float


def _other_process(url: str, phase: Phase, ready: Any, answers: Any) -> None:
    """A second API process's share of a phase: its own pool, loop and turns."""

    async def share() -> Result:
        await init_db(url)
        give_ups = GiveUps()
        try:
            ready.wait()  # every process starts appending together
            async with busy_loop(phase.busy):
                return await appending(phase.way, phase.appenders, phase.seconds, give_ups)
        finally:
            await close_db()

    answers.put(asyncio.run(share()))


async def run_phase(url: str, phase: Phase, processes: int, give_ups: GiveUps) -> Result:
    context = multiprocessing.get_context("spawn")
    ready, answers = context.Barrier(processes), context.Queue()
    others = [
        context.Process(target=_other_process, args=(url, phase, ready, answers))
        for _ in range(processes - 1)
    ]
    for process in others:
        process.start()
    try:
        await asyncio.to_thread(ready.wait, 120)
        async with busy_loop(phase.busy):
            result = await appending(phase.way, phase.appenders, phase.seconds, give_ups)
        for _ in others:
            result.add(await asyncio.to_thread(answers.get, True, 120))
        return result
    finally:
        for process in others:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


async def compare(
    url: str, args: argparse.Namespace, appenders: int, busy: bool, give_ups: GiveUps
) -> list[list[str]]:
    results = {way: Result() for way in WAYS}
    order = list(WAYS)
    for ways in (order, order[::-1]):  # ABBA
        for way in ways:
            phase = Phase(way, appenders, busy, args.seconds / 2)
            done = await run_phase(url, phase, args.processes, give_ups)
            results[way].samples_ns += done.samples_ns
            results[way].seconds += done.seconds
            results[way].gave_up += done.gave_up
    loop = "busy" if busy else "idle"
    rows = pg_ways.rows(f"{args.processes} x {appenders}, loop {loop}", results, "appends/s")
    for row, result in zip(rows, [*results.values(), None], strict=True):
        row.append("" if result is None else str(result.gave_up))
    rows[0][-1] = "-"  # the locked way never gives up
    return rows


async def run(args: argparse.Namespace) -> str:
    load_at_start = report.load_average()
    rows: list[list[str]] = []
    async with pg_ways.fresh_read_model() as url:
        give_ups = GiveUps()
        try:
            for appenders in args.appenders:
                for busy in (False, True):
                    say(f"{args.processes} x {appenders} appenders, loop busy: {busy} ...")
                    rows += await compare(url, args, appenders, busy, give_ups)
            entries, broken = await verify_chain(CLINIC)
            if broken is not None:
                raise BenchError(f"the chain does not verify: {broken}")
        finally:
            give_ups.restore()
    return "\n".join(
        [
            report.heading(
                "Glowpath audit chain benchmark: one clinic's head, PostgreSQL",
                "bench.chain_bench",
                pg_ways.facts(load_at_start),
            ),
            "",
            f"Appends of 3 entries to one chain by processes x appenders each, "
            f"{args.seconds:g} s per way and appenders (two halves, ABBA)",
            report.table(["phase and way", "appends/s", "median ms", "p99 ms", "gave up"], rows),
            "",
            f"  afterwards: {entries} entries, the chain verified intact",
            "  gave up: one-statement appends that lost every try and then took the lock",
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chain_bench",
        description="One clinic's audit chain head on PostgreSQL, locked two ways.",
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="per way and phase")
    parser.add_argument(
        "--appenders", type=int, nargs="+", default=[1, 4, 16], help="per process, each phase"
    )
    parser.add_argument(
        "--processes", type=int, default=2, help="appending processes, as API processes"
    )
    args = parser.parse_args(argv)
    if args.seconds <= 0 or min(args.appenders) < 1 or args.processes < 1:
        parser.error("--seconds must be positive, --appenders and --processes at least 1")
    return args


main = command_line(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
