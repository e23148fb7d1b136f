"""A desk late in a busy day: what one change costs as the day's assignments grow.

For each size, a fresh desk of 8 consultants is first given the day so far: `size` clients arrived
(a crowd through the admission) and taken by their consultants. Then timed, alternated: an arrival
(decide + commit + answer), and a consultant taking that client with the board to show after it
(the change, and the board as the API answers with it: from the answer, or asked of the desk when
an answer holds none). Beside the times: the CPU per change of this process (worker included) and
of the dev server, and the bytes the desk's history gained per change, read from the history (the
records sent to the read model, the answers). Each size's medians are also given as a ratio of the
first size's, measured in the same run: a desk whose cost does not grow with the day stays near 1.

Run: python -m bench.busy_desk_bench [--sizes 0,100,500] [--changes 40]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass

from temporalio.client import Client

from bench.desk_calls import arrival_command, consultants, cpu_seconds, seated_desk
from bench.report import facts_block, load_average, machine_facts, median_ms, table
from bench.runner import run_benchmark
from bench.stack import running_stack
from domain.journey.facts import Actor
from domain.roles import Role
from domain.triage.commands import AcceptCommand
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway


@dataclass
class BusyDesk:
    arrive_ns: list[int]
    take_ns: list[int]
    cpu_ms_here: float  # per change (an arrival or a take), this process and its worker
    cpu_ms_server: float  # per change, the dev server
    history_bytes: float  # per change, what the desk's history gained


async def _history_bytes(client: Client, clinic: str, first_run_id: str) -> int:
    """The desk's history so far, every run of it (continue-as-new starts a run)."""
    total, run_id = 0, first_run_id
    while run_id:
        handle = client.get_workflow_handle(desk_workflow_id(clinic), run_id=run_id)
        events = (await handle.fetch_history()).events
        total += sum(event.ByteSize() for event in events)
        last = events[-1]
        carried_on = last.HasField("workflow_execution_continued_as_new_event_attributes")
        attributes = last.workflow_execution_continued_as_new_event_attributes
        run_id = attributes.new_execution_run_id if carried_on else ""
    return total


async def busy_desk(
    gateway: TriageGateway, staff: list[str], size: int, changes: int, server_pid: int | None
) -> BusyDesk:
    clinic = await seated_desk(gateway, staff)
    first_run = await gateway.client.get_workflow_handle(desk_workflow_id(clinic)).describe()
    arrivals = [arrival_command("earlier", n) for n in range(size)]
    answers = await asyncio.gather(*(gateway.queue_arrival(clinic, a) for a in arrivals))
    for arrival, answer in zip(arrivals, answers, strict=True):
        taker = Actor(str(answer.consultant_id), Role.CONSULTANT)
        command = AcceptCommand(taker, arrival.arrival.journey_id)
        await gateway.accept(clinic, command, f"take-{arrival.arrival.journey_id}")
    arrive_ns: list[int] = []
    take_ns: list[int] = []
    history_before = await _history_bytes(gateway.client, clinic, first_run.run_id)
    cpu_here, cpu_server = time.process_time(), cpu_seconds(server_pid)
    for n in range(changes):
        began = time.perf_counter_ns()
        reply = await gateway.arrive(clinic, arrival_command("timed", n), f"arrive-{n}")
        arrive_ns.append(time.perf_counter_ns() - began)
        consultant = Actor(str(reply.consultant_id), Role.CONSULTANT)
        began = time.perf_counter_ns()
        taken = await gateway.accept(clinic, AcceptCommand(consultant, f"timed-{n}"), f"take-{n}")
        # The board the API shows after a change: in the answer, or asked of the desk.
        board = taken.state if taken.state is not None else await gateway.desk(clinic)
        take_ns.append(time.perf_counter_ns() - began)
        assert all(a.journey_id != f"timed-{n}" for a in board.pending())
    count = 2 * changes
    here = (time.process_time() - cpu_here) * 1000 / count
    server = (cpu_seconds(server_pid) - cpu_server) * 1000 / count
    gained = (
        await _history_bytes(gateway.client, clinic, first_run.run_id) - history_before
    ) / count
    return BusyDesk(arrive_ns, take_ns, here, server, gained)


async def main(args: argparse.Namespace) -> None:
    load_at_start = load_average()
    results: dict[int, BusyDesk] = {}
    async with running_stack() as stack:
        staff = await consultants()
        gateway = TriageGateway(stack.temporal, stack.settings.task_queue)
        await busy_desk(gateway, staff, 0, 5, None)  # connections and caches warm
        for size in args.sizes:
            print(f"[busy_desk_bench] {size} taken, {args.changes} changes", file=sys.stderr)
            results[size] = await busy_desk(
                gateway, staff, size, args.changes, stack.dev_server_pid
            )
    load_at_end = load_average()
    print("Glowpath busy desk benchmark: one change as the day's assignments grow\n")
    print(facts_block(machine_facts(load_at_start)) + "\n")
    empty = results[args.sizes[0]]
    rows = []
    for size, run in results.items():
        arrive, take = median_ms(run.arrive_ns), median_ms(run.take_ns)
        rows.append(
            (
                str(size),
                f"{arrive:.1f} ({arrive / median_ms(empty.arrive_ns):.2f}x)",
                f"{take:.1f} ({take / median_ms(empty.take_ns):.2f}x)",
                f"{run.cpu_ms_here:.1f} + {run.cpu_ms_server:.1f}",
                f"{run.history_bytes / 1024:.1f}",
            )
        )
    headers = (
        "clients taken earlier today",
        "arrival median ms (x first size)",
        "take + board median ms (x first size)",
        "CPU ms per change, here + server",
        "history KiB per change",
    )
    print(table(headers, rows))
    print(f"\n  1-minute load: {load_at_start or 0:.2f} at start, {load_at_end or 0:.2f} at end")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[0, 100, 500],
        help="clients arrived and taken before the timed changes; the first is the baseline",
    )
    parser.add_argument("--changes", type=int, default=40, help="timed arrivals (and takes)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(run_benchmark(lambda: main(parse())))
