"""A journey outlives the updates one Temporal run accepts: advised to, it continues as new
(`workflows.journey_runs`), and the journey goes on as if nothing happened.

Temporal refuses every update past a run's total (2,000 by default; its advice comes at 90 %).
Before this, a journey that many staff actions old could not move again, not even be closed.
These tests run a dev server whose runs take 40 updates, advised from the 20th, so a journey of a
few dozen steps crosses several runs.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowContinuedAsNewError, WorkflowHistory
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from domain.journey.facts import ActionRequest, DraftQuestion, JourneyFacts
from domain.journey.stages import FollowUpStatus, Stage
from domain.journey.table import Action
from tests.support import (
    CONSULTANT,
    assign,
    journey_start,
    registered_client,
    replayer,
    request,
    start_dev_server,
    steps_to,
)
from tests.workflows.drive import OPENING, Handle, act, begin, finished, journey_log
from workflows import search_attributes
from workflows.activities import record_journey_change
from workflows.client import JourneyGateway
from workflows.journey import JourneyWorkflow
from workflows.journey_changes import CONTINUE_AS_NEW_WHEN_ADVISED, CURRENT_CHANGES
from workflows.search_attributes import register_search_attributes

UPDATES_PER_RUN = 40
LIMITS = [
    f"history.maxTotalUpdates={UPDATES_PER_RUN}",
    "history.maxTotalUpdates.suggestContinueAsNewThreshold=0.5",
]
BOUND_SECONDS = 30
# Long enough for twenty updates on a busy machine, short enough for the suite.
FOLLOW_UP_AFTER_SECONDS = 8
PATCH_MARKER = "core_patch"  # the SDK's name for a patch's marker


@pytest.fixture(scope="module")
async def capped(database: str) -> AsyncIterator[tuple[Client, str]]:
    """A dev server whose runs take few updates, and a worker for journeys on a queue of its own."""
    extra = [arg for limit in LIMITS for arg in ("--dynamic-config-value", limit)]
    env = await start_dev_server(
        ip="127.0.0.1", dev_server_log_level="error", dev_server_extra_args=extra
    )
    try:
        await registered_client()
        await register_search_attributes(env.client, env.client.namespace)
        queue = f"journey-runs-{uuid.uuid4().hex[:8]}"
        async with Worker(
            env.client,
            task_queue=queue,
            workflows=[JourneyWorkflow],
            activities=[record_journey_change],
        ):
            yield env.client, queue
    finally:
        await env.shutdown()


async def runs_of(client: Client, handle: Handle) -> list[WorkflowHistory]:
    """The history of every run of the journey, first to latest, followed along the chain each
    run's last event names (not visibility, which is only eventually consistent)."""
    histories = []
    run_id: str | None = handle.first_execution_run_id
    while run_id:
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        histories.append(history)
        last = history.events[-1]
        continued = last.workflow_execution_continued_as_new_event_attributes
        is_continued = last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
        run_id = continued.new_execution_run_id if is_continued else None
    return histories


def recording() -> ActionRequest:
    return request(Action.RECORD_CONSULTATION, CONSULTANT)


async def test_a_journey_takes_more_steps_than_one_run_accepts(
    capped: tuple[Client, str],
) -> None:
    client, queue = capped
    # Given a journey in consultation
    handle = await begin(client, journey_start(), queue)
    await act(handle, assign())

    # When its consultant records three runs' worth of consultations, and then closes it
    recordings = 3 * UPDATES_PER_RUN
    for _ in range(recordings):
        assert (await act(handle, recording())).stage is Stage.CONSULTATION
    described = await handle.describe()
    await act(handle, request(Action.CLOSE_NOT_CONVERTED, CONSULTANT))

    # Then every step was taken, in order, across runs that each continued as new
    with pytest.raises(WorkflowContinuedAsNewError):
        await handle.result(follow_runs=False)
    result = await finished(handle)
    assert result.stage is Stage.NOT_CONVERTED
    steps = [
        ("assign_consultant", "TRIAGE", "CONSULTATION", "FRONT_DESK"),
        *[("record_consultation", "CONSULTATION", "CONSULTATION", "CONSULTANT")] * recordings,
        ("close_not_converted", "CONSULTATION", "NOT_CONVERTED", "CONSULTANT"),
    ]
    assert await journey_log(handle.id) == OPENING + steps
    runs = await runs_of(client, handle)
    assert len(runs) >= 4
    # and a run continued as new told visibility where the journey was, upserting nothing
    assert described.typed_search_attributes.get(search_attributes.STAGE) == "CONSULTATION"
    assert described.typed_search_attributes.get(search_attributes.CLINIC) == "clinic-1"
    later_run_upserts = [
        event
        for history in runs[1:-1]
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
    ]
    assert later_run_upserts == []
    # and every run replays with today's code
    replaying = replayer(JourneyWorkflow)
    for history in runs:
        await replaying.replay_workflow(history)


async def test_a_retry_across_runs_gets_its_first_answer_and_changes_nothing(
    capped: tuple[Client, str],
) -> None:
    client, queue = capped
    # Given a journey assigned by an update of a known id, then recorded to by callers eight at
    # a time, each update with its own id, across at least one new run
    handle = await begin(client, journey_start(), queue)
    first_assign = await act(handle, assign(), id="assign-once")
    ids = [f"record-{n}" for n in range(UPDATES_PER_RUN)]
    first_answers = {}
    for batch in range(0, len(ids), 8):
        chunk = ids[batch : batch + 8]
        answers = await asyncio.gather(*(act(handle, recording(), id=i) for i in chunk))
        first_answers.update(zip(chunk, answers, strict=True))
    seq_before = (await handle.query(JourneyWorkflow.facts)).event_seq
    assert len(await runs_of(client, handle)) >= 2

    # When every one of those updates is sent again with its id, the assignment too (which the
    # journey, now in consultation, would refuse as a new action)
    again = {i: await act(handle, recording(), id=i) for i in ids}
    assign_again = await act(handle, assign(), id="assign-once")

    # Then each is answered as it was the first time, and nothing more happened to the journey
    assert again == first_answers
    assert assign_again == first_assign
    facts = await handle.query(JourneyWorkflow.facts)
    assert facts.event_seq == seq_before == 3 + len(ids)
    assert sorted(answer.event_seq for answer in first_answers.values()) == list(
        range(4, 4 + len(ids))
    )


async def test_the_gateway_tells_an_update_an_earlier_run_took_from_one_never_taken(
    capped: tuple[Client, str],
) -> None:
    client, queue = capped
    # Given a journey assigned by an update of a known id, then recorded to until it has
    # continued as new (a retry of the assignment whose answer was lost must be answered)
    handle = await begin(client, journey_start(), queue)
    await act(handle, assign(), id="assign-once")
    for n in range(UPDATES_PER_RUN // 2 + 2):
        await act(handle, recording(), id=f"record-{n}")
    assert len(await runs_of(client, handle)) >= 2
    gateway = JourneyGateway(client, queue)
    # When the API asks whether the journey took those updates, and one it never took
    # Then the assignment, taken by the run before, counts as taken, as does the latest step
    assert await gateway.update_ran(handle.id, "assign-once")
    assert await gateway.update_ran(handle.id, f"record-{UPDATES_PER_RUN // 2 + 1}")
    # while an id no run took does not
    assert not await gateway.update_ran(handle.id, "never-sent")


async def test_a_follow_up_waiting_when_the_run_hands_over_falls_due_in_the_next(
    capped: tuple[Client, str],
) -> None:
    client, queue = capped
    # Given a journey handed over with a follow-up due a few seconds later
    handle = await begin(client, journey_start(offsets=[FOLLOW_UP_AFTER_SECONDS]), queue)
    for step in steps_to(Stage.FOLLOW_UP):
        await act(handle, step)

    # When reconciliation's questions (updates that change nothing) pass the advice before then
    for _ in range(UPDATES_PER_RUN // 2):
        await handle.execute_update(JourneyWorkflow.settle_drafts, DraftQuestion([]))
    assert len(await runs_of(client, handle)) >= 2
    waiting = await handle.query(JourneyWorkflow.facts)
    assert [f.status for f in waiting.follow_ups] == [FollowUpStatus.SCHEDULED]

    # Then the follow-up falls due in the run that holds the journey now
    facts = await until_due(handle)
    assert [f.status for f in facts.follow_ups] == [FollowUpStatus.DUE]
    assert facts.stage is Stage.FOLLOW_UP


async def until_due(handle: Handle) -> JourneyFacts:
    """The journey's facts once a follow-up is due: a real timer on the dev server, waited for
    within a bound (it is the only way to wait for time itself to pass)."""
    give_up_at = time.monotonic() + BOUND_SECONDS
    while time.monotonic() < give_up_at:
        facts = await handle.query(JourneyWorkflow.facts)
        if any(f.status is FollowUpStatus.DUE for f in facts.follow_ups):
            return facts
        await asyncio.sleep(0.1)
    raise AssertionError(f"no follow-up fell due within {BOUND_SECONDS} s")


async def test_a_run_started_before_the_change_continues_as_new_once_advised(
    capped: tuple[Client, str],
) -> None:
    client, queue = capped
    # Given a journey started as runs were before (no code change listed: it asks `patched`)
    handle = await begin(client, journey_start(), queue, as_given=True)
    await act(handle, assign())

    # When it is recorded to past the advice
    for _ in range(UPDATES_PER_RUN):
        await act(handle, recording())

    # Then its first run marked the change and continued as new, and the next lists today's
    # changes at its start (asking nothing); both replay
    first, second, *_ = await runs_of(client, handle)
    markers = [
        event.marker_recorded_event_attributes.details["patch-data"]
        for event in first.events
        if event.marker_recorded_event_attributes.marker_name == PATCH_MARKER
    ]
    assert any(CONTINUE_AS_NEW_WHEN_ADVISED.encode() in m.payloads[0].data for m in markers)
    started = second.events[0].workflow_execution_started_event_attributes
    assert all(change.encode() in started.input.payloads[0].data for change in CURRENT_CHANGES)
    replaying = replayer(JourneyWorkflow)
    for history in (first, second):
        await replaying.replay_workflow(history)
    assert (await handle.query(JourneyWorkflow.facts)).event_seq == 3 + UPDATES_PER_RUN


async def test_a_run_advised_before_the_deploy_takes_the_advice_at_its_next_step(
    capped: tuple[Client, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = capped
    queue = f"journey-before-{uuid.uuid4().hex[:8]}"
    # Given a journey run by the code before, past the advice (it was advised and did nothing)
    monkeypatch.setattr(JourneyWorkflow, "_advised_to_continue_as_new", lambda self: False)
    async with Worker(
        client,
        task_queue=queue,
        workflows=[JourneyWorkflow],
        activities=[record_journey_change],
        workflow_runner=UnsandboxedWorkflowRunner(),  # so that the patched method is the one run
    ):
        handle = await begin(client, journey_start(), queue, as_given=True)
        await act(handle, assign())
        for _ in range(UPDATES_PER_RUN // 2 + 4):
            await act(handle, recording())
    assert len(await runs_of(client, handle)) == 1
    monkeypatch.undo()

    # When today's worker takes it (replaying the advised tasks first) and staff go on
    async with Worker(
        client, task_queue=queue, workflows=[JourneyWorkflow], activities=[record_journey_change]
    ):
        for _ in range(UPDATES_PER_RUN):
            await act(handle, recording())
        facts = await handle.query(JourneyWorkflow.facts)

    # Then it continued as new at its next step, took more updates than one run could, and
    # every run replays with today's code
    assert facts.event_seq == 3 + UPDATES_PER_RUN // 2 + 4 + UPDATES_PER_RUN
    runs = await runs_of(client, handle)
    assert len(runs) >= 2
    replaying = replayer(JourneyWorkflow)
    for history in runs:
        await replaying.replay_workflow(history)
