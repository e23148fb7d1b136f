"""The production topology, run: two APIs and two workers as separate processes, one of each
killed mid-run.

    python -m bench.topology --journeys 20 --concurrency 6 --kill-after 15

Starts a Temporal dev server, a fresh PostgreSQL database on `--postgres` (dropped at the end),
`glowpath migrate` and `seed`, then two `glowpath api` and two `glowpath worker` processes on one
task queue, each with its operations port. First a subscriber on api-2 watches a journey that
api-1 moves. Then `--journeys` journeys run from registration to COMPLETED (follow-ups due a few
seconds after handover), half sent to each API; after `--kill-after` seconds api-1 and worker-1
are killed (-9, not restarted), and calls that cannot connect go to the other API, as behind a
load balancer. At the end every journey's history is checked (each action once) and `glowpath
reconcile` runs. Too slow for CI (a minute or two); its figures are in the README.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.chaos import read_model
from bench.chaos_journeys import _DOCUMENTS, CALL_TIMEOUT, EXPECTED_ACTIONS, Caller, GaveUp, Tally
from bench.operations import REGISTER_CLIENT, START_JOURNEY, client_input
from bench.report import load_average
from bench.runner import run_benchmark
from bench.topology_clients import FailoverCaller, Subscriber, Team
from bench.topology_processes import Topology
from domain.roles import Role

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
SUBSCRIPTION_SETTLE = 1.0  # the server registers a subscription just after `subscribe` arrives
HEAR_WITHIN = 15.0


@dataclass
class Run:
    started: dict[int, str] = field(default_factory=dict)
    final: dict[int, str] = field(default_factory=dict)
    gave_up: dict[int, str] = field(default_factory=dict)
    callers: list[FailoverCaller] = field(default_factory=list)
    killed_at: float | None = None
    killed: list[str] = field(default_factory=list)


async def cross_api_subscription(
    team: Team, topology: Topology, session: aiohttp.ClientSession
) -> str:
    """A subscriber on api-2 watches a journey while api-1 moves it: what it heard, how fast."""
    via_api1 = team.sharing(Caller(session, topology.member("api-1").graphql_url, Tally()))
    run = f"sub-{uuid.uuid4().hex[:6]}"
    client = await via_api1._step(
        run, 0, "registerClient", REGISTER_CLIENT, Role.FRONT_DESK, client_input(0)
    )
    start = {"clientId": client["client"]["id"], "reason": "watched"}
    journey = await via_api1._step(run, 0, "startJourney", START_JOURNEY, Role.FRONT_DESK, start)
    jid = str(journey["journey"]["id"])
    token = team.tokens[Role.SUPERVISOR]
    subscriber = Subscriber(session, topology.member("api-2").ws_url, token)
    await subscriber.open(jid)
    try:
        await asyncio.sleep(SUBSCRIPTION_SETTLE)
        name, role, input_ = via_api1._path(jid)[0]  # assignConsultant: TRIAGE -> CONSULTATION
        moved = time.monotonic()
        await via_api1._step(run, 0, name, _DOCUMENTS[name], role, input_)
        heard = await subscriber.wait_for("CONSULTATION", HEAR_WITHIN)
    finally:
        await subscriber.close()
    if heard is None:
        return f"NOT heard within {HEAR_WITHIN:.0f} s (heard: {subscriber.heard or 'nothing'})"
    return f"heard CONSULTATION {1000 * (heard - moved):.0f} ms after api-1 answered the move"


async def drive(team: Team, urls: list[str], args: argparse.Namespace, run: Run) -> None:
    numbers, tag = itertools.count(1), f"topo-{uuid.uuid4().hex[:6]}"
    deadline = time.monotonic() + args.time_limit

    async def lane() -> None:
        while (n := next(numbers)) <= args.journeys:
            caller = FailoverCaller(team.caller.session, urls, team.caller.tally, prefer=n)
            run.callers.append(caller)
            crew = team.sharing(caller)
            try:
                await crew.journey_to_follow_up(tag, n, run.started)
                run.final[n] = await crew.finish(tag, n, run.started[n], deadline)
            except GaveUp as error:
                run.gave_up[n] = str(error)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(args.concurrency, args.journeys)):
            group.create_task(lane())


async def kill_one_of_each(topology: Topology, after: float, run: Run) -> None:
    await asyncio.sleep(after)
    run.killed_at = time.monotonic()
    for name in ("api-1", "worker-1"):
        pid = await topology.kill(name)
        run.killed.append(f"{name} (pid {pid})")


async def check_histories(team: Team, run: Run, journeys: int) -> list[str]:
    problems = []
    for n in range(1, journeys + 1):
        jid = run.started.get(n)
        if jid is None:
            problems.append(f"journey {n}: never started ({run.gave_up.get(n, '?')})")
            continue
        stage, counts = await team.history(jid)
        wrong = [f"{a} x{counts[a]}" for a in EXPECTED_ACTIONS if counts[a] != 1]
        if stage != "COMPLETED" or wrong:
            problems.append(f"journey {n} ({jid}) at {stage}: {', '.join(wrong) or 'unfinished'}")
    return problems


async def topology_run(args: argparse.Namespace) -> int:
    load, run, tally = load_average(), Run(), Tally()
    with tempfile.TemporaryDirectory(prefix="glowpath-topology-") as tmp:
        async with read_model(args.postgres, Path(tmp)) as (database_url, _relay):
            topology = Topology(Path(tmp), database_url, args.follow_ups)
            try:
                began = time.monotonic()
                await topology.start()
                up_after = time.monotonic() - began
                urls = [m.graphql_url for m in topology.apis]
                async with aiohttp.ClientSession(timeout=CALL_TIMEOUT) as session:
                    team = Team(FailoverCaller(session, urls, tally, prefer=1))
                    await team.sign_in()
                    heard = await cross_api_subscription(team, topology, session)
                    started = time.monotonic()
                    killer = asyncio.create_task(kill_one_of_each(topology, args.kill_after, run))
                    await drive(team, urls, args, run)
                    elapsed = time.monotonic() - started
                    if not killer.done():
                        killer.cancel()
                    problems = await check_histories(team, run, args.journeys)
                    alive = topology.alive()
                code, reconciled = await topology.run_command("reconcile")
            finally:
                await topology.stop()
    after_kill = tally.first_success_after(run.killed_at) if run.killed_at else None
    completed = sum(stage == "COMPLETED" for stage in run.final.values())
    print("Production topology run")
    print(f"  load average at start: {load}")
    print(f"  4 processes + Temporal dev server + PostgreSQL ready in {up_after:.1f} s")
    print(f"  subscriber on api-2, journey moved through api-1: {heard}")
    print(f"  journeys: {args.journeys} ({args.concurrency} at once, follow-ups {args.follow_ups})")
    killed = ", ".join(run.killed) or "nothing (the run ended first)"
    print(f"  killed -9 after {args.kill_after:.0f} s: {killed}")
    if after_kill is not None and run.killed_at is not None:
        print(
            f"  first successful call after the kills: {1000 * (after_kill - run.killed_at):.0f} ms"
        )
    print(f"  still running at the end: {', '.join(alive)}")
    print(f"  COMPLETED: {completed} of {args.journeys} in {elapsed:.1f} s")
    print(f"  calls switched to the other API: {sum(c.failovers for c in run.callers)}")
    errors = sum(tally.errors.values())
    print(f"  failed attempts the clients retried: {errors}")
    for kind, count in tally.errors.most_common(8):
        print(f"    {count:4d}  {kind}")
    print(f"  journeys whose client gave up: {len(run.gave_up)}")
    for n, why in sorted(run.gave_up.items()):
        print(f"    journey {n} ({run.started.get(n, '-')}): {why}")
    print(f"  histories with an action missing or repeated: {len(problems)}")
    for line in problems[:10]:
        print(f"    {line}")
    print(f"  glowpath reconcile (exit {code}): {reconciled.strip().splitlines()[-1]}")
    ok = not problems and completed == args.journeys and code == 0 and "NOT" not in heard
    return 0 if ok else 1


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.topology", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--kill-after", type=float, default=15.0, metavar="SECONDS")
    parser.add_argument("--follow-ups", default="3s,6s", help="GLOWPATH_FOLLOW_UP_SCHEDULE")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, metavar="ADMIN_URL")
    parser.add_argument("--time-limit", type=float, default=600.0, metavar="SECONDS")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    return run_benchmark(lambda: topology_run(args))


if __name__ == "__main__":
    sys.exit(main())
