"""A journey keeps at most `MAX_RECORDS_PER_JOURNEY` records: its facts name each one and travel
whole in every step and every continue-as-new, and past 2 MB Temporal would take no step of the
journey at all. A step that keeps one more is refused when it is admitted, before it reaches the
journey's history; a step that keeps none, or that ends the journey, still goes on.

A journey that full is made the way a continue-as-new makes a run: carrying the facts of the run
before, here with its records attached already (a thousand real steps would take minutes).
"""

from __future__ import annotations

import dataclasses

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.errors import ErrorCode
from domain.journey.facts import ActionRequest, ActionResult, AnsweredAction, CarriedJourney
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage
from domain.journey.table import Action
from domain.journey.validation import MAX_RECORDS_PER_JOURNEY
from tests.support import CONSULTANT, SUPERVISOR, assign, call, journey_start, path, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin, walk
from tests.workflows.test_drafts import _consultation, _draft
from workflows.journey import JourneyWorkflow


async def _journey_in_consultation_holding(client: Client, records: int) -> Handle:
    """A journey in consultation whose run carries `records` attached records."""
    start = journey_start()
    first = await begin(client, start, TASK_QUEUE)
    await act(first, assign())
    facts = await first.query(JourneyWorkflow.facts)
    await first.terminate("replaced by a run that carries the journey with its records")
    facts.attached_records = [f"record-{n}" for n in range(records)]
    facts.consultation_recorded = records > 0  # records of consultations, as a real run's
    return await begin(
        client, dataclasses.replace(start, carried=CarriedJourney(facts)), TASK_QUEUE
    )


async def _accepted_updates(handle: Handle) -> int:
    history = await handle.fetch_history()
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    return sum(1 for event in history.events if event.event_type == accepted)


async def test_a_full_journey_refuses_one_more_record_and_takes_a_step_without_one(
    client: Client,
) -> None:
    # Given a journey holding the most records one journey keeps
    handle = await _journey_in_consultation_holding(client, MAX_RECORDS_PER_JOURNEY)
    before = await handle.query(JourneyWorkflow.facts)
    accepted_before = await _accepted_updates(handle)

    # When a consultant records one more consultation
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await act(handle, _consultation(await _draft(before.journey_id)))

    # Then it is refused as a step the journey cannot take, before its history holds it
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == ErrorCode.TRANSITION_NOT_ALLOWED.value
    assert f"holds {MAX_RECORDS_PER_JOURNEY} records" in cause.message
    assert await _accepted_updates(handle) == accepted_before
    assert await handle.query(JourneyWorkflow.facts) == before

    # And a step that keeps no record still goes on
    nudged = await act(handle, request(Action.NUDGE, SUPERVISOR))
    assert nudged.stage is Stage.CONSULTATION
    # And so does a step that ends the journey, with the record of its reason: a full journey
    # still ends, and the client's care can go on in a new one
    closing = request(Action.CLOSE_NOT_CONVERTED, CONSULTANT)
    closing.record_id = await _draft(before.journey_id)
    closed = await act(handle, closing)
    assert (closed.stage, closed.record_id) == (Stage.NOT_CONVERTED, closing.record_id)


async def test_a_journey_one_record_short_of_full_takes_one_more(client: Client) -> None:
    handle = await _journey_in_consultation_holding(client, MAX_RECORDS_PER_JOURNEY - 1)
    facts = await handle.query(JourneyWorkflow.facts)

    record_id = await _draft(facts.journey_id)
    result = await act(handle, _consultation(record_id))

    assert result.record_id == record_id
    after = await handle.query(JourneyWorkflow.facts)
    assert after.attached_records[-1] == record_id
    assert len(after.attached_records) == MAX_RECORDS_PER_JOURNEY
    await handle.terminate()


async def _journey_in_follow_up_holding(
    client: Client, records: int, answered: list[AnsweredAction]
) -> Handle:
    """A journey in follow-up, its first call due and its second one too, whose run carries
    `records` attached records and the answers of `answered` (as a run continued as new)."""
    start = journey_start()
    first = await begin(client, start, TASK_QUEUE)
    await walk(first, path())
    facts = await first.query(JourneyWorkflow.facts)
    await first.terminate("replaced by a run that carries the journey with its records")
    facts.attached_records = [f"record-{n}" for n in range(records)]
    for follow_up in facts.follow_ups:
        follow_up.status = FollowUpStatus.DUE
    carried = CarriedJourney(facts, answered)
    return await begin(client, dataclasses.replace(start, carried=carried), TASK_QUEUE)


async def test_a_full_journey_refuses_one_more_unanswered_call_and_still_ends(
    client: Client,
) -> None:
    # Given a journey one record short of full, which answered a call in the run before
    earlier = AnsweredAction("call-before", ActionResult(Stage.FOLLOW_UP, 12, "record-0"))
    handle = await _journey_in_follow_up_holding(client, MAX_RECORDS_PER_JOURNEY - 1, [earlier])
    journey_id = (await handle.query(JourneyWorkflow.facts)).journey_id

    # When follow-up staff record a call that did not reach the client, which fills it
    missed = _with_record(call("fu-1", FollowUpOutcome.NOT_REACHED), await _draft(journey_id))
    taken = await act(handle, missed, id="call-missed")
    assert (taken.stage, taken.record_id) == (Stage.FOLLOW_UP, missed.record_id)

    # Then the next such call is refused: it ends nothing, and before, as a step that may end
    # a journey, it went on past the bound as often as it was sent
    another = _with_record(call("fu-1", FollowUpOutcome.NOT_REACHED), await _draft(journey_id))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await act(handle, another)
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == ErrorCode.TRANSITION_NOT_ALLOWED.value
    # And so is a call that reaches the client while another follow-up is still open
    reached = _with_record(call("fu-1"), await _draft(journey_id))
    with pytest.raises(WorkflowUpdateFailedError):
        await act(handle, reached)
    full = await handle.query(JourneyWorkflow.facts)
    assert len(full.attached_records) == MAX_RECORDS_PER_JOURNEY

    # And retries are answered as the first time: this run's call, and the earlier run's
    assert await act(handle, missed, id="call-missed") == taken
    assert await act(handle, another, id="call-before") == earlier.result
    assert await handle.query(JourneyWorkflow.facts) == full

    # And a step that ends the journey still goes on, with the record of its reason
    closing = _with_record(request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR), await _draft(journey_id))
    closed = await act(handle, closing)
    assert (closed.stage, closed.record_id) == (Stage.COMPLETED, closing.record_id)
    after = await handle.query(JourneyWorkflow.facts)
    assert after.attached_records[-2:] == [missed.record_id, closing.record_id]


def _with_record(step: ActionRequest, record_id: str) -> ActionRequest:
    step.record_id = record_id
    return step
