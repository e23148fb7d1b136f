"""Refused and retried actions on a running journey: the caller hears at once, history is kept.

A refused update is rejected by its validator, so it never reaches history; the real dev server
shows that exactly. The time-skipping test server has no speculative workflow tasks and records
the rejected update's workflow task (scheduled/started/completed, nothing else), so there only
the other events are counted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from domain.errors import ErrorCode
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.models import Journey, JourneyEvent
from tests.support import (
    CASHIER,
    CONSULTANT,
    CONSULTANT_2,
    DESK,
    ask_expert,
    assign,
    journey_start,
    pay,
    request,
    start_dev_server,
)
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import OPENING, act, begin, history_size, journey_log
from workflows import search_attributes
from workflows.activities import record_journey_change
from workflows.journey import JourneyWorkflow

REFUSALS = {
    "wrong-role": (
        request(Action.RECORD_CONSULTATION, CASHIER),
        ErrorCode.NOT_AUTHORIZED,
        "RECORD_CONSULTATION needs one of: CONSULTANT",
    ),
    "not-the-owner": (
        request(Action.RECORD_CONSULTATION, CONSULTANT_2),
        ErrorCode.NOT_AUTHORIZED,
        "only the journey's consultant may do this",
    ),
    "system-actor": (
        ActionRequest(Action.FOLLOW_UP_DUE, SYSTEM_ACTOR),
        ErrorCode.NOT_AUTHORIZED,
        "system actions cannot be requested",
    ),
    "wrong-stage": (pay(), ErrorCode.TRANSITION_NOT_ALLOWED, "not possible in stage CONSULTATION"),
    "not-ready": (
        ask_expert(),
        ErrorCode.TRANSITION_NOT_ALLOWED,
        "the consultation has not been recorded yet",
    ),
    "bad-details": (
        request(Action.REQUEST_EXPERT_REVIEW, CONSULTANT),
        ErrorCode.VALIDATION_FAILED,
        "expertId: name the expert to review the plan",
    ),
}


@pytest.fixture(scope="module")
async def dev_client(database: str) -> AsyncIterator[Client]:
    """The real Temporal dev server: it drops a rejected update's workflow task from history,
    which the time-skipping test server does not do."""
    env = await start_dev_server(
        search_attributes=[
            search_attributes.STAGE,
            search_attributes.STAGE_ENTERED_AT,
            search_attributes.STUCK,
            search_attributes.CLINIC,
        ],
    )
    try:
        async with Worker(
            env.client,
            task_queue="journeys-dev",
            workflows=[JourneyWorkflow],
            activities=[record_journey_change],
        ):
            yield env.client
    finally:
        await env.shutdown()


@pytest.fixture(scope="module")
def servers(client: Client, dev_client: Client) -> dict[str, tuple[Client, str]]:
    return {"dev": (dev_client, "journeys-dev"), "time-skipping": (client, TASK_QUEUE)}


@pytest.mark.parametrize("server", ["dev", "time-skipping"])
@pytest.mark.parametrize("refusal", REFUSALS)
async def test_a_refused_action_leaves_history_and_read_model_untouched(
    servers: dict[str, tuple[Client, str]], refusal: str, server: str
) -> None:
    # Given a journey in consultation
    start = journey_start()
    client, task_queue = servers[server]
    handle = await begin(client, start, task_queue)
    await act(handle, assign())
    bare = server != "dev"  # the test server adds the rejected update's workflow task
    events_before = await history_size(handle, skip_workflow_tasks=bare)
    row_before = await Journey.get(id=start.journey_id)
    # When the refused action is sent
    step, code, message = REFUSALS[refusal]
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await act(handle, step)
    # Then the caller hears the domain's code and reason
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError)
    assert (cause.type, cause.message, cause.non_retryable) == (code.value, message, True)
    if code is ErrorCode.VALIDATION_FAILED:
        assert cause.details == (
            {"field": "expertId", "message": "name the expert to review the plan"},
            ["REQUIRED"],
        )
    # Then nothing was written: not to history, not to the read model
    assert await history_size(handle, skip_workflow_tasks=bare) == events_before
    row = await Journey.get(id=start.journey_id)
    assert (row.stage, row.last_event_seq, row.facts) == ("CONSULTATION", 3, row_before.facts)
    assert await JourneyEvent.filter(journey_id=start.journey_id).count() == 3
    # Then the journey goes on as if nothing happened
    assert (await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))).event_seq == 4
    await handle.terminate()


async def test_a_retried_action_is_applied_once(client: Client) -> None:
    # Given an action that was taken with an update id
    start = journey_start()
    handle = await begin(client, start, TASK_QUEUE)
    first = await act(handle, assign(), id="assign-once")
    events = await history_size(handle)
    # When the same update id is sent again, even carrying something else
    again = await act(handle, assign(), id="assign-once")
    other = await act(handle, request(Action.CANCEL, DESK), id="assign-once")
    # Then it answers the first result and nothing more was written
    assert again == other == first
    assert (first.stage, first.event_seq) == (Stage.CONSULTATION, 3)
    assert await history_size(handle) == events
    assert await journey_log(start.journey_id) == [
        *OPENING,
        ("assign_consultant", "TRIAGE", "CONSULTATION", "FRONT_DESK"),
    ]
    assert (await handle.query(JourneyWorkflow.facts)).stage is Stage.CONSULTATION
    await handle.terminate()
