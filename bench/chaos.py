"""Chaos run: journeys through the real API while its processes are killed on a schedule.

    python -m bench.chaos --journeys 20 --concurrency 5 --fault-every 15
    python -m bench.chaos --postgres postgres://postgres@127.0.0.1:5432/postgres

Starts a Temporal dev server, `glowpath worker` and `glowpath api` as child processes on
loopback, drives `--journeys` journeys from registration to FOLLOW_UP at `--concurrency`, and
every `--fault-every` seconds breaks one part in turn: kill -9 the worker (restarted), kill -9
the API (restarted on the same port), stop and start Temporal (same port, same state file).
Every call is retried with its idempotency key. At the end every journey's history is checked
action by action (each exactly once), `glowpath reconcile` runs, and the figures are printed.
With `--postgres URL` (a server's admin URL) the read model is a fresh database on that server,
dropped at the end; otherwise a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bench.chaos_journeys import CALL_TIMEOUT, EXPECTED_ACTIONS, Caller, Crew, GaveUp, Tally
from bench.chaos_processes import SETUP_TIMEOUT, ChaosProcesses
from bench.chaos_report import Fault, Outcome, Verdict, print_report
from bench.report import load_average
from bench.runner import run_benchmark
from tests.api.outage import TcpRelay

FAULT_ORDER = ("kill -9 worker", "kill -9 API", "kill -9 worker", "restart Temporal")
# The database can be cut only where the processes reach it over TCP (PostgreSQL).
FAULT_ORDER_WITH_CUT = (
    "kill -9 worker",
    "cut database",
    "kill -9 API",
    "kill -9 worker",
    "restart Temporal",
)
MAX_FAULTS = 500  # a bound on the fault loop whatever the options say


async def drive(crew: Crew, run: str, journeys: int, concurrency: int, outcome: Outcome) -> None:
    numbers = itertools.count(1)

    async def lane() -> None:
        while (n := next(numbers)) <= journeys:
            try:
                await crew.journey_to_follow_up(run, n, outcome.started)
            except GaveUp as error:
                outcome.gave_up[n] = str(error)
            outcome.finished += 1
            outcome.progress.set()

    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, journeys)):
            group.create_task(lane())


async def inject_faults(
    processes: ChaosProcesses, args: argparse.Namespace, done: asyncio.Event, outcome: Outcome
) -> None:
    """Faults until `done`, each complete (restarted and ready) before the next is due: one
    every `--fault-every` seconds, or with `--faults N` exactly N, the k-th once k/(N+1) of
    the journeys have finished (so a fast machine cannot finish its journeys before them)."""
    actions: dict[str, Callable[[], Awaitable[None]]] = {
        "kill -9 worker": processes.kill_worker,
        "kill -9 API": processes.kill_api,
        "restart Temporal": processes.restart_temporal,
        "cut database": functools.partial(processes.cut_database, args.cut_seconds),
    }
    order = FAULT_ORDER_WITH_CUT if processes.relay is not None else FAULT_ORDER
    limit = min(args.faults or MAX_FAULTS, MAX_FAULTS)
    for number, kind in enumerate(itertools.islice(itertools.cycle(order), limit), start=1):
        if args.faults:
            await _journeys_finished(outcome, done, number * args.journeys // (args.faults + 1))
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), args.fault_every)
        if done.is_set():
            return
        fault = Fault(kind, time.monotonic())
        outcome.faults.append(fault)
        await actions[kind]()
        fault.ready_after = time.monotonic() - fault.at


async def _journeys_finished(outcome: Outcome, done: asyncio.Event, count: int) -> None:
    """Returns once `count` journeys have finished, or the run is done."""
    while outcome.finished < count and not done.is_set():
        outcome.progress.clear()
        waits = [asyncio.ensure_future(e.wait()) for e in (outcome.progress, done)]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()


async def verify(crew: Crew, outcome: Outcome, journeys: int) -> tuple[list[str], list[str]]:
    """(lost, duplicated): each a line per journey whose history misses or repeats an action."""
    lost, duplicated = [], []
    for n in range(1, journeys + 1):
        jid = outcome.started.get(n)
        if jid is None:
            lost.append(f"journey {n}: never started ({outcome.gave_up.get(n, '?')})")
            continue
        try:
            stage, counts = await crew.history(jid)
        except GaveUp as error:
            lost.append(f"journey {n} ({jid}): history unreadable: {error}")
            continue
        missing = [a for a in EXPECTED_ACTIONS if counts[a] == 0]
        repeated = [f"{a} x{counts[a]}" for a in EXPECTED_ACTIONS if counts[a] > 1]
        if missing or stage != "FOLLOW_UP":
            why = outcome.gave_up.get(n, "")
            line = f"journey {n} ({jid}) at {stage}: missing {', '.join(missing) or '-'}"
            lost.append(line + (f"\n    last answer: {why}" if why else ""))
        if repeated:
            duplicated.append(f"journey {n} ({jid}): {', '.join(repeated)}")
    return lost, duplicated


RECONCILE_PASSES = 3
# Reconcile queries every active journey's workflow (a replay where the worker no longer caches
# it): its time grows with the journeys, so its bound does too.
RECONCILE_SECONDS_PER_JOURNEY = 0.6


async def reconcile(processes: ChaosProcesses, journeys: int) -> tuple[int, str]:
    """`glowpath reconcile`, run again (up to RECONCILE_PASSES) while it reports drift. A
    question Temporal left unanswered in time (a loaded machine replaying hundreds of journeys
    on a worker started minutes ago) counts as drift until asked again; a real difference
    between the read model and a workflow stays, and so fails every pass. Each pass prints."""
    code, output = 1, ""
    for attempt in range(1, RECONCILE_PASSES + 1):
        timeout = max(SETUP_TIMEOUT, journeys * RECONCILE_SECONDS_PER_JOURNEY)
        try:
            code, output = await processes.run_command("reconcile", timeout=timeout)
        except subprocess.TimeoutExpired:
            code, output = 1, f"did not finish within {timeout:.0f} s"
        summary = output.strip().splitlines()[-1:] or ["(no output)"]
        print(f"glowpath reconcile, pass {attempt}: exit {code}, {summary[0]}")
        if code == 0:
            break
        print("  " + "\n  ".join(output.strip().splitlines()[-6:-1]))
    return code, output


@contextlib.asynccontextmanager
async def read_model(
    postgres: str | None, workdir: Path
) -> AsyncIterator[tuple[str, TcpRelay | None]]:
    """A temporary SQLite file, or a fresh database on the PostgreSQL server, dropped after,
    with the relay (started) the processes reach it through."""
    if not postgres:
        yield f"sqlite://{workdir / 'read-model.sqlite3'}", None
        return
    import asyncpg  # only needed for PostgreSQL runs

    name = f"glowpath_chaos_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(postgres)
        relay = TcpRelay(parts.hostname or "127.0.0.1", parts.port or 5432)
        await relay.start()
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@127.0.0.1:{relay.port}" if userinfo else f"127.0.0.1:{relay.port}"
        try:
            yield urlunsplit(parts._replace(netloc=netloc, path=f"/{name}")), relay
        finally:
            await relay.stop()
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def chaos(args: argparse.Namespace) -> int:
    return 0 if (await run_chaos(args)).clean else 1


async def run_chaos(args: argparse.Namespace) -> Verdict:
    """The whole run, its report printed; what it found."""
    load, wall_start = load_average(), time.monotonic()
    outcome, tally = Outcome(), Tally()
    run = f"chaos-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="glowpath-chaos-") as tmp:
        workdir = Path(tmp)
        async with read_model(args.postgres, workdir) as (database_url, relay):
            processes = ChaosProcesses(workdir, database_url, relay)
            try:
                await processes.start()
                async with aiohttp.ClientSession(timeout=CALL_TIMEOUT) as session:
                    crew = Crew(Caller(session, processes.graphql_url, tally))
                    await crew.sign_in()
                    started = outcome.started_at = time.monotonic()
                    done = asyncio.Event()
                    faults = asyncio.create_task(inject_faults(processes, args, done, outcome))
                    try:
                        async with asyncio.timeout(args.time_limit):
                            await drive(crew, run, args.journeys, args.concurrency, outcome)
                    except TimeoutError:
                        print(f"time limit of {args.time_limit:.0f} s reached; checking what ran")
                    finally:
                        done.set()
                        await faults
                    elapsed = time.monotonic() - started
                    errors_during_run = sum(tally.errors.values())
                    lost, duplicated = await verify(crew, outcome, args.journeys)
                code, reconciled = await reconcile(processes, args.journeys)
            finally:
                await processes.stop()
                if args.keep_logs:
                    _keep_logs(workdir, Path(args.keep_logs))
    print_report(args, load, elapsed, outcome, tally, errors_during_run, lost, duplicated)
    print(f"\nglowpath reconcile (exit {code}):\n  " + "\n  ".join(reconciled.splitlines()[-5:]))
    wall = time.monotonic() - wall_start
    print(f"\nwall time {wall:.0f} s (processes started and stopped, journeys checked, reconcile)")
    return Verdict(lost, duplicated, code, [fault.kind for fault in outcome.faults], elapsed)


def _keep_logs(workdir: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for log in [*workdir.glob("*.log"), *workdir.glob("temporal/*.log")]:
        shutil.copy(log, target / log.name)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chaos", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--journeys", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--fault-every", type=float, default=20.0, metavar="SECONDS")
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="PostgreSQL server for the read model"
    )
    parser.add_argument(
        "--cut-seconds", type=float, default=5.0, help="how long a database cut lasts"
    )
    parser.add_argument(
        "--faults",
        type=int,
        default=0,
        metavar="N",
        help="exactly N faults, paced by journeys finished instead of --fault-every",
    )
    parser.add_argument("--keep-logs", metavar="DIR", help="copy the processes' logs here")
    parser.add_argument("--time-limit", type=float, default=3600.0, metavar="SECONDS")
    args = parser.parse_args(argv)
    if args.journeys < 1 or args.concurrency < 1 or args.fault_every <= 0 or args.faults < 0:
        parser.error("--journeys and --concurrency must be positive, --fault-every above 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    return run_benchmark(lambda: chaos(args))


if __name__ == "__main__":
    sys.exit(main())
