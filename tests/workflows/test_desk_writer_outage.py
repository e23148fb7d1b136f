"""A desk whose read-model writer refuses its records goes on (`desk_records`): the desk's loop
keeps its deadlines and sends the record again after a pause, and once the writer takes it no
entry is lost or doubled.

Before, a record whose activity failed ended the desk's run: the next change opened an empty desk.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.support import DESK
from tests.workflows.test_triage_desk import TEN_MINUTES_AND_A_BIT, clear_of_midnight
from workflows.desk_records import RECORD_DESK_BOARD_CHANGES, RECORD_PAUSE, DeskRecord
from workflows.triage import TriageDeskWorkflow, desk_workflow_id
from workflows.triage_client import TriageGateway

BOUND_SECONDS = 60


class Writer:
    """The read model's writer, failing while told to; keeps the records it took. With `stale`
    set, it answers the next change that its board is not at that change's version."""

    def __init__(self) -> None:
        self.failing: ApplicationError | None = None
        self.stale = False
        self.taken: list[DeskRecord] = []
        self.refused = 0

    @activity.defn(name=RECORD_DESK_BOARD_CHANGES)
    async def record(self, record: DeskRecord) -> bool:
        if self.failing is not None:
            self.refused += 1
            raise self.failing
        self.taken.append(record)
        if self.stale and record.based_on is not None:
            self.stale = False
            self.failing = ApplicationError("refused", non_retryable=True)
            return True
        return False

    def written_seqs(self) -> list[int]:
        return [entry.seq for record in self.taken for entry in record.entries]


@pytest.fixture(scope="module")
async def workers() -> AsyncIterator[contextlib.AsyncExitStack]:
    """The workers of the module's desks, running until its last test is over: a desk left
    without its worker holds the module's clock at its next midnight (the day's opening waits
    for a worker), and a later test's skip past it timed the test server out."""
    async with contextlib.AsyncExitStack() as stack:
        yield stack


@pytest.fixture
async def desk(
    env: WorkflowEnvironment, workers: contextlib.AsyncExitStack
) -> AsyncIterator[tuple[TriageGateway, str, Writer]]:
    """A desk with consultants A and B on duty, on a worker of its own with a `Writer`."""
    writer = Writer()
    queue = f"desk-outage-{uuid.uuid4().hex[:8]}"
    await workers.enter_async_context(
        Worker(
            env.client, task_queue=queue, workflows=[TriageDeskWorkflow], activities=[writer.record]
        )
    )
    gateway = TriageGateway(env.client, queue)
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    for seat in ("A", "B"):
        roster = SeatCommand(DESK, seat, "note-roster", on_duty=True)
        await gateway.change_seat(clinic, roster, str(uuid.uuid4()))
    yield gateway, clinic, writer
    # The desk runs on for the module's later tests; its writer takes its records from now on.
    writer.failing, writer.stale = None, False


async def _arrive(gateway: TriageGateway, clinic: str, journey_id: str) -> str | None:
    arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
    reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
    return reply.consultant_id


async def _written_up_to(env: WorkflowEnvironment, writer: Writer, seq: int) -> None:
    """Skips the desk's clock past its pause until the writer holds entry `seq` (bounded)."""
    async with asyncio.timeout(BOUND_SECONDS):
        while seq not in writer.written_seqs():
            await env.sleep(RECORD_PAUSE)


async def _arrival_no_record_takes(
    env: WorkflowEnvironment, desk: tuple[TriageGateway, str, Writer]
) -> str | None:
    """A client arriving at a desk whose writer refuses every record at once, from then on."""
    gateway, clinic, writer = desk
    await clear_of_midnight(env)
    writer.failing = ApplicationError("refused", non_retryable=True)
    return await _arrive(gateway, clinic, "j1")


async def test_a_refusing_writer_stops_neither_the_ten_minute_rule_nor_an_entry(
    env: WorkflowEnvironment, desk: tuple[TriageGateway, str, Writer]
) -> None:
    gateway, clinic, writer = desk
    # Given a read model that refuses the desk's records, and a client given to A
    assert await _arrival_no_record_takes(env, desk) == "A"

    # When A lets ten minutes go by
    await env.sleep(TEN_MINUTES_AND_A_BIT)

    # Then the desk handed the client to B all the same
    handed = await gateway.desk(clinic)
    assert handed.assignments["j1"].consultant_id == "B"
    assert writer.refused > 1
    # And once the read model takes them again, every entry reaches it once, in order
    writer.failing = None
    await _written_up_to(env, writer, handed.seq)
    assert writer.written_seqs() == list(range(1, handed.seq + 1))


async def test_a_writer_that_refuses_at_once_is_sent_again_after_a_pause(
    env: WorkflowEnvironment, desk: tuple[TriageGateway, str, Writer]
) -> None:
    _, clinic, writer = desk
    # Given a writer that refuses every record at once, without retries
    await _arrival_no_record_takes(env, desk)

    # When a minute goes by on the desk's clock
    await env.sleep(timedelta(minutes=1))

    # Then the record was sent about once per pause, not in a spin
    handle = env.client.get_workflow_handle(desk_workflow_id(clinic))
    history = await handle.fetch_history()
    sent = [e for e in history.events if e.HasField("activity_task_scheduled_event_attributes")]
    pauses_in_a_minute = timedelta(minutes=1) / RECORD_PAUSE
    assert 2 <= writer.refused <= pauses_in_a_minute + 3
    assert len(sent) <= pauses_in_a_minute + 4


async def test_a_whole_desk_owed_after_a_refused_change_is_sent_though_nothing_else_waits(
    env: WorkflowEnvironment, desk: tuple[TriageGateway, str, Writer]
) -> None:
    gateway, clinic, writer = desk
    await clear_of_midnight(env)
    # Given a board that refuses the next change, and then the whole desk that follows it
    await _written_up_to(env, writer, 2)  # the seats' records, before
    writer.stale = True
    await _arrive(gateway, clinic, "j1")
    async with asyncio.timeout(BOUND_SECONDS):
        while not writer.refused:
            await env.sleep(timedelta(seconds=1))
    taken = len(writer.taken)

    # When the writer takes records again, and no change comes
    writer.failing = None
    async with asyncio.timeout(BOUND_SECONDS):
        while len(writer.taken) == taken:
            await env.sleep(RECORD_PAUSE)

    # Then the desk sent itself whole, with no entries
    owed = writer.taken[taken]
    assert (owed.based_on, owed.entries) == (None, [])
