"""A crowd of steps on one journey, on the dev server (which enforces Temporal's 10 in-flight
updates per workflow, as production does): every step is answered, made once, and logged in
the order the journey applied it.

Past the limit Temporal refuses updates (RESOURCE_EXHAUSTED), and under that pressure it drops
workflow tasks whose read-model writes (local activities) had already run; the refused callers
send again, the journey applies the steps in another order, and the read model's log no longer
matches the journey's. The journeys' admission (`workflows.update_admission`) keeps one API
process's updates on a journey below the limit.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from domain.roles import Role
from domain.store.models import JourneyEvent
from domain.triage.entries import DeskEntry, EntryKind
from schema.ids import decode_id
from tests.api import documents
from tests.api.conftest import TASK_QUEUE
from tests.api.flow import JourneyDriver, new_key
from tests.store.stage_plan import START
from tests.support import journey_start
from workflows.client import JourneyGateway
from workflows.journey import JourneyWorkflow
from workflows.triage_activities import HAND_OVERS_BUDGET_SECONDS, hand_journey_over

NUDGE = documents.action("nudgeJourney", "SupervisorNoteInput")
CROWD = 30
# The record's budget is 5 s; a loaded machine may take longer to end the attempts.
HAND_OVERS_WAIT_SECONDS = 30
DEADLINE_SLACK_SECONDS = 5  # a loaded machine's scheduling, not Temporal's retries


async def _accepted_updates(temporal_env: WorkflowEnvironment, journey_id: str) -> Counter[str]:
    history = await temporal_env.client.get_workflow_handle(journey_id).fetch_history()
    return Counter(
        event.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    )


async def _logged_as_applied(temporal_env: WorkflowEnvironment, journey_id: str) -> None:
    """The records in the read model's log, by sequence, are those the journey attached, in its
    order (a write from a workflow task Temporal lost, its updates then applied in another
    order, would differ)."""
    facts = await JourneyGateway(temporal_env.client, TASK_QUEUE).facts(journey_id)
    logged = (
        await JourneyEvent.filter(journey_id=journey_id)
        .order_by("seq")
        .values_list("record_id", flat=True)
    )
    assert [record for record in logged if record] == facts.attached_records


def _nudges(journey: dict[str, Any]) -> int:
    return [event["action"] for event in journey["history"]].count("nudge")


async def test_thirty_steps_at_once_on_one_journey_are_each_answered_and_made_once(
    driver: JourneyDriver, temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey, and thirty supervisor notes on it sent at once, each with its own key
    journey = await driver.start()
    notes = [
        driver.act(
            NUDGE,
            Role.SUPERVISOR,
            journeyId=journey["id"],
            note=f"call {n}",
            idempotencyKey=new_key(),
        )
        for n in range(CROWD)
    ]
    # When they are all answered
    answers = await asyncio.gather(*notes)
    # Then every one was made, and made once
    assert [a["__typename"] for a in answers] == ["JourneyPayload"] * CROWD, answers
    assert _nudges(await driver.journey(journey["id"])) == CROWD
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None
    accepted = await _accepted_updates(temporal_env, raw_id)
    assert set(accepted.values()) == {1}
    # And the read model's log holds the notes in the order the journey applied them
    await _logged_as_applied(temporal_env, raw_id)


async def _hand_over(
    environment: ActivityEnvironment, journey_id: str, seq: int, deadline: float
) -> None:
    entry = DeskEntry(
        seq, "2026-12-04", EntryKind.REASSIGNED, START, "desk", "", "", "c-2", journey_id=journey_id
    )
    await environment.run(hand_journey_over, "clinic-1", entry, deadline)


async def test_hand_overs_a_journey_cannot_take_end_in_time_and_are_told(
    temporal_env: WorkflowEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a journey no worker serves, so its updates pile up unanswered
    start = journey_start()
    await temporal_env.client.start_workflow(
        JourneyWorkflow.run, start, id=start.journey_id, task_queue=f"nobody-{uuid.uuid4().hex}"
    )
    environment = ActivityEnvironment(temporal_env.client)
    deadline = asyncio.get_running_loop().time() + HAND_OVERS_BUDGET_SECONDS
    # When one desk record hands the client over more times than the journey takes updates
    with caplog.at_level(logging.WARNING, logger="temporalio.activity"):
        async with asyncio.timeout(HAND_OVERS_WAIT_SECONDS):
            await asyncio.gather(
                *(_hand_over(environment, start.journey_id, seq, deadline) for seq in range(14))
            )
            ended = asyncio.get_running_loop().time()
            # And, in another record, to a journey that does not exist
            again = asyncio.get_running_loop().time() + HAND_OVERS_BUDGET_SECONDS
            await _hand_over(environment, f"gone-{uuid.uuid4().hex}", 14, again)
    # Then every hand-over ended by the record's deadline (the desk's records go on), refused or
    # unanswered, and each is said at ERROR: the journey kept its consultant
    assert ended < deadline + DEADLINE_SLACK_SECONDS
    told = [r for r in caplog.records if r.getMessage().startswith("could not hand journey")]
    errors = [r for r in told if r.levelno == logging.ERROR]
    assert len(errors) == 14 and all(start.journey_id in r.getMessage() for r in errors)
    # And the journey that does not exist is a warning, not a fault
    (gone,) = [r for r in told if r.levelno == logging.WARNING]
    assert "gone-" in gone.getMessage()
