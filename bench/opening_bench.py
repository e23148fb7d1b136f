"""A whole journey's Temporal calls, its run started two ways, alternated journey by journey.

    python -m bench.opening_bench               # 60 journeys each way
    python -m bench.opening_bench --journeys 20

"as started today": the workflow client's start (`JourneyGateway.start`), which lists the
workflow's code changes (`workflows.journey_changes`) and tells visibility the stage the opening
ends in. "as started before": the same start without either, as runs were started before them
(and as any run whose start lacks them still behaves): it marks each change it meets with a
patch marker, the SDK upserts `TemporalChangeVersion` with each first marker, and the opening
upserts its two stages. Each journey is a walk-in: the start (update-with-start), then
ASSIGN_CONSULTANT, RECORD_CONSULTATION and CLOSE_NOT_CONVERTED through a bare client, on the
in-process stack of the step benchmark (dev server, worker, SQLite read model). Printed per
way: the wall time and the CPU time per journey (this process and the dev server, and the dev
server alone), and the history's events and upserts.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from temporalio.api.enums.v1 import EventType
from temporalio.client import WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy

from bench import report
from bench.operations import REGISTER_CLIENT, BenchError, GraphQLClient, client_input
from bench.runner import command_line, say
from bench.stack import Stack, running_stack
from bench.step_paths import CpuClock
from domain.journey.facts import ActionDetails, ActionRequest, Actor, JourneyFacts, JourneyStart
from domain.journey.stages import ArrivalChannel, Stage, VisitCategory
from domain.journey.table import Action
from domain.roles import Role
from schema.ids import decode_id
from server.seed import DEMO_CLINIC_ID
from workflows.client import JourneyGateway
from workflows.journey import JourneyWorkflow

WAYS = ("as started today", "as started before")
UPSERTED = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
Start = Callable[[JourneyStart], Awaitable[None]]


@dataclasses.dataclass
class Way:
    wall_ns: list[int] = dataclasses.field(default_factory=list)
    cpu_ns: list[int] = dataclasses.field(default_factory=list)
    server_ns: list[int] = dataclasses.field(default_factory=list)
    events: int = 0
    upserts: int = 0


def _raw(global_id: str, kind: str) -> str:
    raw = decode_id(global_id, kind)
    if raw is None:
        raise BenchError(f"unexpected {kind} id {global_id!r}")
    return raw


async def _signed_in(api: GraphQLClient) -> tuple[str, Actor, Actor]:
    """The desk's token, and the desk and the consultant as journey actors."""
    desk_token, desk_id = await api.login(Role.FRONT_DESK.value)
    _, consultant_id = await api.login(Role.CONSULTANT.value)
    return (
        desk_token,
        Actor(_raw(desk_id, "StaffMember"), Role.FRONT_DESK),
        Actor(_raw(consultant_id, "StaffMember"), Role.CONSULTANT),
    )


def _starts(stack: Stack) -> dict[str, Start]:
    gateway = JourneyGateway(stack.temporal, stack.settings.task_queue)

    async def today(start: JourneyStart) -> None:
        await gateway.start(start)

    async def before(start: JourneyStart) -> None:
        operation = WithStartWorkflowOperation(
            JourneyWorkflow.run,
            start,
            id=start.journey_id,
            task_queue=stack.settings.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        await stack.temporal.execute_update_with_start_workflow(
            JourneyWorkflow.opened, start_workflow_operation=operation
        )

    return dict(zip(WAYS, (today, before), strict=True))


async def _journey(
    stack: Stack, start: Start, journey: JourneyStart, desk: Actor, consultant: Actor
) -> WorkflowHandle[Any, JourneyFacts]:
    await start(journey)
    handle = stack.temporal.get_workflow_handle(journey.journey_id, result_type=JourneyFacts)
    steps = (
        (Action.ASSIGN_CONSULTANT, desk, ActionDetails(consultant_id=consultant.user_id)),
        (Action.RECORD_CONSULTATION, consultant, ActionDetails()),
        (Action.CLOSE_NOT_CONVERTED, consultant, ActionDetails()),
    )
    for action, actor, details in steps:
        await handle.execute_update(
            JourneyWorkflow.act, ActionRequest(action, actor, details), id=str(uuid.uuid4())
        )
    if (await handle.result()).stage is not Stage.NOT_CONVERTED:
        raise BenchError(f"journey {journey.journey_id} did not close")
    return handle


async def run(args: argparse.Namespace) -> str:
    load_at_start = report.load_average()
    ways = {name: Way() for name in WAYS}
    async with running_stack() as stack, aiohttp.ClientSession() as session:
        api = GraphQLClient(session, stack.graphql_url)
        desk_token, desk, consultant = await _signed_in(api)
        starts, clock = _starts(stack), CpuClock(stack.dev_server_pid)
        say(f"{args.journeys} journeys each way, alternated, after 5 unmeasured each ...")
        for n in range(-5, args.journeys):
            for k, name in enumerate(WAYS if n % 2 else reversed(WAYS)):
                registered = await api.mutate(
                    REGISTER_CLIENT,
                    "registerClient",
                    "ClientPayload",
                    client_input(2 * (n + 5) + k),
                    desk_token,
                )
                journey = JourneyStart(
                    journey_id=f"bench-opening-{uuid.uuid4()}",
                    clinic_id=DEMO_CLINIC_ID,
                    client_id=_raw(registered["client"]["id"], "Client"),
                    visit_category=VisitCategory.FIRST_VISIT,
                    channel=ArrivalChannel.WALK_IN,
                    client_is_minor=False,
                    started_by=desk,
                    checked_in=True,
                    follow_up_offsets=[86400, 7 * 86400],
                )
                (cpu, server), wall = clock.now_ns(), time.perf_counter_ns()
                handle = await _journey(stack, starts[name], journey, desk, consultant)
                (cpu_after, server_after), wall_after = clock.now_ns(), time.perf_counter_ns()
                if n < 0:
                    continue
                way = ways[name]
                way.wall_ns.append(wall_after - wall)
                way.cpu_ns.append(cpu_after - cpu)
                way.server_ns.append(server_after - server)
                events = (await handle.fetch_history()).events
                way.events, way.upserts = len(events), sum(e.event_type == UPSERTED for e in events)
    return _report(args, ways, load_at_start)


def _report(args: argparse.Namespace, ways: dict[str, Way], load_at_start: float | None) -> str:
    rows = [
        [
            name,
            report.ms(report.median_ms(way.wall_ns)),
            report.ms(statistics.mean(way.cpu_ns) / 1e6),
            report.ms(statistics.mean(way.server_ns) / 1e6),
            str(way.events),
            str(way.upserts),
        ]
        for name, way in ways.items()
    ]
    today, before = (ways[name] for name in WAYS)
    ratios = [
        "today / before",
        f"{report.median_ms(today.wall_ns) / report.median_ms(before.wall_ns):.2f}x",
        f"{statistics.mean(today.cpu_ns) / statistics.mean(before.cpu_ns):.2f}x",
        f"{statistics.mean(today.server_ns) / statistics.mean(before.server_ns):.2f}x",
        "",
        "",
    ]
    header = ["way", "wall median", "CPU mean", "dev server CPU mean", "events", "upserts"]
    return "\n".join(
        [
            report.heading(
                "Glowpath journey opening benchmark",
                "bench.opening_bench",
                [
                    *report.machine_facts(load_at_start),
                    ("load at end", f"{report.load_average() or 0:.2f}"),
                ],
            ),
            "",
            f"A walk-in's journey (start, assign, consult, close), {args.journeys} each way",
            report.table(header, [*rows, ratios]),
            "",
            "  CPU: this process (API, worker, client) and the dev server, per journey; the dev",
            "  server's CPU is read at the kernel's tick (10 ms), so only its mean is shown.",
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=60, help="measured journeys per way")
    args = parser.parse_args(argv)
    if args.journeys < 1:
        parser.error("--journeys must be at least 1")
    return args


main = command_line(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
