"""The calls the triage benchmark times: floor vs desk updates, a crowd, `autoAssign`.

Each rate is checked before it is returned (`bench.desk_turns`): every arrival exactly one turn.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from temporalio.client import Client

from bench.desk_turns import Turn, check_desk, check_log
from bench.floor import FloorWorkflow, floor_worker, start_floor
from bench.operations import REGISTER_CLIENT, START_JOURNEY, BenchError, GraphQLClient, client_input
from domain.auth import hash_password
from domain.journey.stages import Stage, VisitCategory
from domain.roles import Role
from domain.store.billing import PriceListItem
from domain.store.models import StaffAccount
from domain.triage.commands import ArriveCommand, DeskReply, SeatCommand
from domain.triage.decision import Arrival
from schema.ids import decode_id, encode_id
from server.seed import DEMO_CLINIC_ID, DEMO_PASSWORD
from tests.support import DESK
from workflows.desk_admission import DeskAdmission
from workflows.triage_client import TriageGateway

CONSULTANTS = 8
# The item each `autoAssign` asks for, on the demo clinic's price list (`listed_item`).
ASKED_ITEM = "skin"
UPDATE_SEAT = "mutation S($input: SeatInput!) { updateTriageSeat(input: $input) { __typename } }"
AUTO_ASSIGN = """
mutation Auto($input: AutoAssignInput!) {
  autoAssign(input: $input) {
    __typename
    ... on AutoAssignPayload { journey { id stage } decision { consultantId counted } }
    ... on UserError { code message }
  }
}"""


async def listed_item(code: str) -> None:
    """The demo clinic's price list names `code`: the desk is told only codes it names."""
    if await PriceListItem.exists(clinic_id=DEMO_CLINIC_ID, code=code):
        return
    await PriceListItem.create(
        id=f"bench-item-{code}",
        clinic_id=DEMO_CLINIC_ID,
        code=code,
        version=1,
        kind="PROCEDURE",
        name="Skin consultation",
        currency="PLN",
        list_price_minor=0,
        valid_from=date(2020, 1, 1),
        set_by="bench",
        set_at=datetime.now(UTC),
    )


async def consultants() -> list[str]:
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


async def seated_desk(gateway: TriageGateway, staff: list[str]) -> str:
    clinic = f"bench-desk-{uuid.uuid4().hex[:6]}"
    for consultant in staff:
        await gateway.change_seat(
            clinic, SeatCommand(DESK, consultant, "note-bench", on_duty=True), str(uuid.uuid4())
        )
    return clinic


def arrival_command(prefix: str, n: int) -> ArriveCommand:
    return ArriveCommand(
        DESK, Arrival(f"{prefix}-{n}", f"client-{n}", VisitCategory.FIRST_VISIT, ("skin",))
    )


async def update_pairs(
    temporal: Client, gateway: TriageGateway, staff: list[str], pairs: int
) -> tuple[list[int], list[int]]:
    """The floor's `step` and one desk arrival, alternated ABBA, sequential."""
    clinic = await seated_desk(gateway, staff)
    floor_ns: list[int] = []
    desk_ns: list[int] = []
    queue = f"bench-floor-{uuid.uuid4().hex[:8]}"
    async with floor_worker(temporal, queue):
        floor = await start_floor(temporal, queue, f"bench-floor-{uuid.uuid4().hex[:8]}")

        async def step(n: int) -> None:
            await floor.execute_update(FloorWorkflow.step, n)

        async def arrive(n: int) -> None:
            await gateway.arrive(clinic, arrival_command("update", n), str(uuid.uuid4()))

        for n in range(-5, pairs):  # five untimed pairs first: connections and caches warm
            pair = [(floor_ns, step), (desk_ns, arrive)]
            for samples, call in pair if n % 4 in (0, 3) else reversed(pair):
                began = time.perf_counter_ns()
                await call(n)
                if n >= 0:
                    samples.append(time.perf_counter_ns() - began)
        await floor.signal(FloorWorkflow.finish)
    return floor_ns, desk_ns


@dataclass
class CrowdRun:
    """One crowd: arrivals per second, and the CPU it cost per arrival. On a busy machine the
    rate follows the share of the cores this run gets; the CPU per arrival does not."""

    rate: float
    cpu_ms_here: float  # this process: the API's client side, the worker, the read-model writes
    cpu_ms_server: float  # the Temporal dev server


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process so far (Linux /proc; 0 where it cannot be read)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def crowd_rate(
    gateway: TriageGateway, staff: list[str], count: int, server_pid: int | None = None
) -> CrowdRun:
    """`count` arriving at once on one desk, through the admission; checked for one turn each."""
    clinic = await seated_desk(gateway, staff)
    commands = [arrival_command("crowd", n) for n in range(count)]
    cpu_here, cpu_server = time.process_time(), cpu_seconds(server_pid)
    began = time.perf_counter()
    replies: list[DeskReply] = await asyncio.gather(
        *(gateway.queue_arrival(clinic, command) for command in commands)
    )
    rate = count / (time.perf_counter() - began)
    here = (time.process_time() - cpu_here) * 1000 / count
    server = (cpu_seconds(server_pid) - cpu_server) * 1000 / count
    turns = [_turn(c.arrival.journey_id, r) for c, r in zip(commands, replies, strict=True)]
    check_desk(await gateway.desk(clinic), turns)
    await check_log(clinic, turns)
    return CrowdRun(rate, here, server)


async def crowd_by_round_size(
    temporal: Client,
    task_queue: str,
    staff: list[str],
    count: int,
    sizes: list[int],
    server_pid: int | None = None,
) -> dict[int, list[CrowdRun]]:
    """The crowd once per round size and again in reverse order (ABBA), each on a fresh desk
    and a fresh admission, so a size is never measured only while the machine is busier."""
    runs: dict[int, list[CrowdRun]] = {size: [] for size in sizes}
    for size in [*sizes, *reversed(sizes)]:
        admission = DeskAdmission(max_round=size)
        gateway = TriageGateway(temporal, task_queue, admission=admission)
        runs[size].append(await crowd_rate(gateway, staff, count, server_pid))
    return runs


def _turn(journey_id: str, reply: DeskReply) -> Turn:
    decision = reply.decision
    if decision is None or decision.consultant_id is None:
        raise BenchError(f"{journey_id} got no consultant: {reply}")
    return Turn(journey_id, decision.consultant_id, decision.counted)


async def seat_through_api(api: GraphQLClient, token: str, staff: list[str]) -> None:
    for consultant in staff:
        seat = {
            "consultantId": encode_id("StaffMember", consultant),
            "reason": "bench",
            "onDuty": True,
        }
        await api.call(UPDATE_SEAT, {"input": seat}, token)


async def journeys_at_triage(api: GraphQLClient, token: str, count: int) -> list[str]:
    gate = asyncio.Semaphore(20)

    async def one(n: int) -> str:
        async with gate:
            registered = await api.mutate(
                REGISTER_CLIENT, "registerClient", "ClientPayload", client_input(n), token
            )
            started = await api.mutate(
                START_JOURNEY,
                "startJourney",
                "JourneyPayload",
                {"clientId": registered["client"]["id"]},
                token,
            )
            return str(started["journey"]["id"])

    return list(await asyncio.gather(*(one(n) for n in range(count))))


def _raw(kind: str, global_id: str) -> str:
    raw = decode_id(global_id, kind)
    if raw is None:
        raise BenchError(f"unexpected {kind} id {global_id!r}")
    return raw


async def autoassign_rate(
    api: GraphQLClient,
    token: str,
    gateway: TriageGateway,
    clinic_id: str,
    journeys: list[str],
    concurrency: int,
) -> tuple[list[int], float]:
    """`autoAssign` for every journey, `concurrency` at a time; each must reach CONSULTATION."""
    await listed_item(ASKED_ITEM)
    gate = asyncio.Semaphore(concurrency)
    samples: list[int] = []
    turns: list[Turn] = []

    async def assign(journey_id: str) -> None:
        async with gate:
            began = time.perf_counter_ns()
            result: dict[str, Any] = await api.mutate(
                AUTO_ASSIGN,
                "autoAssign",
                "AutoAssignPayload",
                {"journeyId": journey_id, "items": [ASKED_ITEM]},
                token,
            )
            samples.append(time.perf_counter_ns() - began)
        if result["journey"]["stage"] != Stage.CONSULTATION.value:
            raise BenchError(f"autoAssign left {journey_id} at {result['journey']['stage']}")
        decision = result["decision"]
        consultant = _raw("StaffMember", decision["consultantId"])
        turns.append(Turn(_raw("Journey", journey_id), consultant, decision["counted"]))

    began = time.perf_counter()
    await asyncio.gather(*(assign(j) for j in journeys))
    rate = len(journeys) / (time.perf_counter() - began)
    check_desk(await gateway.desk(clinic_id), turns)
    await check_log(clinic_id, turns)
    return samples, rate
