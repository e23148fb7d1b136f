"""Triage desk: how long one assignment decision takes, and arrivals per second through GraphQL.

1. The pure rotation decision (`decide`), in process, on a desk of 8 consultants.
2. One arrival as a Temporal update on the clinic's desk workflow (decide + commit + answer);
   then a crowd of arrivals at once on one desk, straight to Temporal: one update each, and in
   rounds (`queue_arrival`: those waiting together share one update). Arrivals per second.
3. `autoAssign` through the real API (desk update, then the journey's ASSIGN_CONSULTANT), for
   journeys waiting at triage, at a given concurrency: latency and arrivals per second.

Run: python -m bench.triage_bench [--decisions 20000] [--updates 300] [--crowd 200]
     [--arrivals 200]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import aiohttp

from bench.operations import REGISTER_CLIENT, START_JOURNEY, GraphQLClient, client_input
from bench.report import facts_block, machine_facts, median_ms, ms, p99_ms, table
from bench.stack import running_stack
from domain.auth import hash_password
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.store.models import StaffAccount
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decide import decide
from domain.triage.decision import Arrival
from domain.triage.desk import DeskState, Seat
from schema.ids import encode_id
from server.seed import DEMO_CLINIC_ID, DEMO_PASSWORD
from tests.support import DESK
from workflows.triage_client import TriageGateway

CONSULTANTS = 8
UPDATE_SEAT = "mutation S($input: SeatInput!) { updateTriageSeat(input: $input) { __typename } }"
AUTO_ASSIGN = """
mutation Auto($input: AutoAssignInput!) {
  autoAssign(input: $input) {
    __typename
    ... on AutoAssignPayload { decision { consultantId counted } }
    ... on UserError { code message }
  }
}"""


def _decide_samples(count: int) -> list[int]:
    seats = {
        f"c{n}": Seat(f"c{n}", scope=["skin"] if n % 3 == 0 else []) for n in range(CONSULTANTS)
    }
    desk = DeskState("bench", "2025-01-01", rotation=list(seats), seats=seats)
    samples = []
    for n in range(count):
        arrival = Arrival(f"j{n}", f"c{n}", VisitCategory.FIRST_VISIT, ("breast", "skin"))
        began = time.perf_counter_ns()
        decide(desk, arrival, desk.policy)
        samples.append(time.perf_counter_ns() - began)
        desk.next_index = (desk.next_index + 1) % CONSULTANTS
    return samples


async def _consultants() -> list[str]:
    ids = []
    for n in range(CONSULTANTS):
        account, _ = await StaffAccount.get_or_create(
            id=f"bench-consultant-{n}",
            defaults={
                "clinic_id": DEMO_CLINIC_ID,
                "username": f"bench-consultant-{n}",
                "display_name": f"Bench Consultant {n}",
                "role": Role.CONSULTANT.value,
                "password_hash": hash_password(DEMO_PASSWORD),
            },
        )
        ids.append(str(account.id))
    return ids


async def _seated_desk(gateway: TriageGateway, consultants: list[str]) -> str:
    clinic = f"bench-desk-{uuid.uuid4().hex[:6]}"
    for consultant in consultants:
        await gateway.change_seat(
            clinic, SeatCommand(DESK, consultant, "note-bench", on_duty=True), str(uuid.uuid4())
        )
    return clinic


async def _update_samples(gateway: TriageGateway, consultants: list[str], count: int) -> list[int]:
    clinic = await _seated_desk(gateway, consultants)
    samples = []
    for n in range(count):
        arrival = Arrival(f"bench-{n}", f"client-{n}", VisitCategory.FIRST_VISIT, ("skin",))
        began = time.perf_counter_ns()
        await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
        samples.append(time.perf_counter_ns() - began)
    return samples


async def _crowd_rate(
    gateway: TriageGateway, consultants: list[str], count: int, in_rounds: bool
) -> float:
    """Arrivals per second when `count` arrive at once on one desk."""
    clinic = await _seated_desk(gateway, consultants)

    async def one(n: int) -> None:
        arrival = Arrival(f"crowd-{n}", f"client-{n}", VisitCategory.FIRST_VISIT, ("skin",))
        command = ArriveCommand(DESK, arrival)
        if in_rounds:
            await gateway.queue_arrival(clinic, command)
        else:
            await gateway.arrive(clinic, command, str(uuid.uuid4()))

    began = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(count)))
    return count / (time.perf_counter() - began)


async def _journeys_at_triage(api: GraphQLClient, token: str, count: int) -> list[str]:
    async def one(n: int) -> str:
        registered = await api.mutate(
            REGISTER_CLIENT, "registerClient", "ClientPayload", client_input(n), token
        )
        client_id = registered["client"]["id"]
        started = await api.mutate(
            START_JOURNEY, "startJourney", "JourneyPayload", {"clientId": client_id}, token
        )
        return str(started["journey"]["id"])

    gate = asyncio.Semaphore(20)

    async def bounded(n: int) -> str:
        async with gate:
            return await one(n)

    return list(await asyncio.gather(*(bounded(n) for n in range(count))))


async def _graphql(
    api: GraphQLClient, token: str, journeys: list[str], concurrency: int
) -> tuple[list[int], float]:
    gate = asyncio.Semaphore(concurrency)
    samples: list[int] = []

    async def assign(journey_id: str) -> None:
        async with gate:
            began = time.perf_counter_ns()
            await api.mutate(
                AUTO_ASSIGN,
                "autoAssign",
                "AutoAssignPayload",
                {"journeyId": journey_id, "items": ["skin"]},
                token,
            )
            samples.append(time.perf_counter_ns() - began)

    began = time.perf_counter()
    await asyncio.gather(*(assign(j) for j in journeys))
    return samples, len(journeys) / (time.perf_counter() - began)


async def main(args: argparse.Namespace) -> None:
    print("Glowpath triage benchmark: assignment decisions and arrivals through GraphQL\n")
    print(facts_block(machine_facts()) + "\n", flush=True)
    rows: list[tuple[str, str, str]] = []
    pure = _decide_samples(args.decisions)
    rows.append(
        (
            f"decide() in process, {CONSULTANTS} consultants",
            f"{median_ms(pure):.3f}",
            f"{p99_ms(pure):.3f}",
        )
    )
    async with running_stack() as stack:
        consultants = await _consultants()
        gateway = TriageGateway(stack.temporal, stack.settings.task_queue)
        updates = await _update_samples(gateway, consultants, args.updates)
        rows.append(
            (
                "desk update (decide + commit), sequential",
                ms(median_ms(updates)),
                ms(p99_ms(updates)),
            )
        )
        crowd = {
            in_rounds: await _crowd_rate(gateway, consultants, args.crowd, in_rounds)
            for in_rounds in (False, True)
        }
        async with aiohttp.ClientSession() as session:
            api = GraphQLClient(session, stack.graphql_url)
            token, _ = await api.login(Role.FRONT_DESK.value)
            for consultant in consultants:
                seat = {
                    "consultantId": encode_id("StaffMember", consultant),
                    "reason": "bench",
                    "onDuty": True,
                }
                await api.call(UPDATE_SEAT, {"input": seat}, token)
            journeys = await _journeys_at_triage(api, token, args.arrivals)
            samples, rate = await _graphql(api, token, journeys, args.concurrency)
    label = f"autoAssign via GraphQL, concurrency {args.concurrency}"
    rows.append((label, ms(median_ms(samples)), ms(p99_ms(samples))))
    print(table(("assignment decision", "median ms", "p99 ms"), rows))
    print(f"\n  arrivals per second through GraphQL ({args.arrivals} arrivals): {rate:.0f}")
    for in_rounds, how in ((False, "one update each"), (True, "in rounds")):
        rate = crowd[in_rounds]
        print(f"  arrivals per second on one desk, {args.crowd} at once, {how}: {rate:.0f}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--crowd", type=int, default=200)
    parser.add_argument("--arrivals", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
