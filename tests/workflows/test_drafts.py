"""The journey answers reconciliation about drafts: attached, about to be attached, or void.

A draft is void only when the journey says so, and from then on the journey refuses it: the
database may then mark it void without guessing. A draft carried by an action the journey
accepted but has not applied yet (it waits for the journey's lock) is never void.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError, WorkflowUpdateStage
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.errors import ErrorCode
from domain.journey.facts import ActionRequest, DraftAnswer, DraftQuestion, JourneyChange
from domain.journey.table import Action
from domain.store.models import JourneyEvent
from domain.store.projection import apply_change
from domain.store.records import draft_record
from server.settle import QUESTION_SIZE, Outcome, settle_drafts
from tests.support import CONSULTANT, assign, journey_start, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin
from workflows.journey import JourneyWorkflow
from workflows.journey_drafts import VOID_RECORDS_KEPT

# Seconds: short, so the held task is extended (and takes in new updates) often; not so short
# that a busy machine misses an extension (at 1 s, a held-write test hung in a loaded suite run).
HELD_TASK_TIMEOUT = 3
BOUND_SECONDS = 120  # the whole held-write test: a hang fails it, and the write is let go


async def _draft(journey_id: str) -> str:
    return await draft_record(journey_id, "consultation", {"occupation": "architect"}, "c-1")


def _consultation(record_id: str) -> ActionRequest:
    step = request(Action.RECORD_CONSULTATION, CONSULTANT)
    step.record_id = record_id
    return step


async def _attached(journey_id: str) -> list[tuple[int, str]]:
    rows = JourneyEvent.filter(journey_id=journey_id, record_id__not_isnull=True).order_by("seq")
    return [(seq, str(record)) for seq, record in await rows.values_list("seq", "record_id")]


async def test_the_journey_names_its_drafts_attached_or_void_and_refuses_a_void_one(
    client: Client,
) -> None:
    # Given a journey whose consultation attached a record, and a draft it never received
    start = journey_start()
    handle = await begin(client, start, TASK_QUEUE)
    await act(handle, assign())
    attached = await _draft(start.journey_id)
    await act(handle, _consultation(attached))
    unseen = await _draft(start.journey_id)

    # When reconciliation asks about both
    answer = await handle.execute_update(
        JourneyWorkflow.settle_drafts, DraftQuestion(record_ids=[attached, unseen])
    )

    # Then the attached one is named attached, the other void, and the journey remembers both
    assert answer == DraftAnswer(attached=[attached], void=[unseen])
    facts = await handle.query(JourneyWorkflow.facts)
    assert (facts.attached_records, facts.void_records) == ([attached], [unseen])
    # And an action carrying the void draft (a delivery late after all) is refused, as is one
    # carrying a record already attached: each draft takes effect once, or never
    for record_id in (unseen, attached):
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await act(handle, _consultation(record_id))
        cause = refused.value.cause
        assert isinstance(cause, ApplicationError)
        assert (cause.type, cause.message) == (
            ErrorCode.CONFLICT.value,
            "this record was already attached or voided; write it again",
        )
    # And the log points at the attached record only, once
    assert await _attached(start.journey_id) == [(4, attached)]
    await handle.terminate()


async def test_the_journey_remembers_its_latest_void_drafts_only(client: Client) -> None:
    # Given a journey asked about more drafts it never received than it keeps
    start = journey_start()
    handle = await begin(client, start, TASK_QUEUE)
    asked = [str(uuid.uuid4()) for _ in range(VOID_RECORDS_KEPT + 100)]

    # When reconciliation asks about them, in two questions
    for question in (asked[:300], asked[300:]):
        answer = await handle.execute_update(
            JourneyWorkflow.settle_drafts, DraftQuestion(record_ids=question)
        )
        assert answer.void == question

    # Then it keeps the latest ones, which it refuses, and its facts stop growing there
    facts = await handle.query(JourneyWorkflow.facts)
    assert facts.void_records == asked[-VOID_RECORDS_KEPT:]
    await act(handle, assign())
    with pytest.raises(WorkflowUpdateFailedError):
        await act(handle, _consultation(asked[-1]))
    await handle.terminate()


async def test_a_draft_an_accepted_action_is_about_to_attach_is_not_void(
    env: WorkflowEnvironment, client: Client
) -> None:
    # A read-model writer the test can hold: while it waits, the journey's lock stays taken
    released = asyncio.Event()
    released.set()

    @activity.defn(name="record_journey_change")
    async def held_writer(change: JourneyChange) -> None:
        await released.wait()
        await apply_change(change)

    task_queue = f"journeys-held-{uuid.uuid4().hex[:8]}"
    async with (
        Worker(
            env.client, task_queue=task_queue, workflows=[JourneyWorkflow], activities=[held_writer]
        ),
        asyncio.timeout(BOUND_SECONDS),
    ):
        try:
            start = journey_start()
            # A short workflow task timeout: while a write is held, the worker extends the task
            # at 80 % of it and takes in the updates sent meanwhile
            handle = await client.start_workflow(
                JourneyWorkflow.run,
                start,
                id=start.journey_id,
                task_queue=task_queue,
                task_timeout=timedelta(seconds=HELD_TASK_TIMEOUT),
            )
            await handle.execute_update(JourneyWorkflow.opened)
            # Given an assignment whose read-model write is held (it keeps the lock)
            released.clear()
            assigning = await handle.start_update(
                JourneyWorkflow.act, assign(), wait_for_stage=WorkflowUpdateStage.ACCEPTED
            )
            # And a consultation carrying a draft, accepted and waiting for its turn
            draft = await _draft(start.journey_id)
            consulting = await handle.start_update(
                JourneyWorkflow.act,
                _consultation(draft),
                wait_for_stage=WorkflowUpdateStage.ACCEPTED,
            )

            # When reconciliation asks about the draft meanwhile
            answer = await handle.execute_update(
                JourneyWorkflow.settle_drafts, DraftQuestion(record_ids=[draft])
            )

            # Then it is named attached, not void
            assert answer == DraftAnswer(attached=[draft], void=[])
            # And once the write goes through, the consultation attaches it
            released.set()
            await assigning.result()
            assert (await consulting.result()).record_id == draft
            assert await _attached(start.journey_id) == [(4, draft)]
            await handle.terminate()
        finally:
            # A failed or timed-out test still lets the held write go, so the worker stops
            released.set()


async def test_reconciliation_asks_about_many_drafts_in_questions_of_bounded_size(
    client: Client,
) -> None:
    # Given a journey that refused more steps than one question asks about, each leaving a draft
    start = journey_start()
    handle = await begin(client, start, TASK_QUEUE)
    drafts = [await _draft(start.journey_id) for _ in range(2 * QUESTION_SIZE + 1)]

    # When reconciliation settles them
    settled = await settle_drafts(client, [start.journey_id])

    # Then every one is void, and the journey was asked in questions of at most QUESTION_SIZE
    assert sorted(s.subject for s in settled if s.outcome is Outcome.VOID) == sorted(
        f"draft {d}" for d in drafts
    )
    assert await _question_sizes(handle) == [QUESTION_SIZE, QUESTION_SIZE, 1]
    assert sorted((await handle.query(JourneyWorkflow.facts)).void_records) == sorted(drafts)
    await handle.terminate()


async def _question_sizes(handle: Handle) -> list[int]:
    """How many drafts each of reconciliation's questions in the journey's history named."""
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    sizes = []
    async for event in handle.fetch_history_events():
        request = event.workflow_execution_update_accepted_event_attributes.accepted_request
        if event.event_type == accepted and request.input.name == "settle_drafts":
            (question,) = request.input.args.payloads
            sizes.append(len(json.loads(question.data)["record_ids"]))
    return sizes
