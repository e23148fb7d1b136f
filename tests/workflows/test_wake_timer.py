"""A journey keeps one timer running across its steps while it fires no later than the next
moment (`workflows.wake_timer`), and still marks itself stuck exactly when its SLA says."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.models import Journey
from tests.support import CONSULTANT, DESK, assign, journey_start, replayer, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin
from workflows.journey import JourneyWorkflow

STARTED = EventType.EVENT_TYPE_TIMER_STARTED
FIRED = EventType.EVENT_TYPE_TIMER_FIRED
CANCELED = EventType.EVENT_TYPE_TIMER_CANCELED


async def timer_events(handle: Handle) -> Counter[str]:
    history = await handle.fetch_history()
    kinds = {STARTED: "started", FIRED: "fired", CANCELED: "canceled"}
    return Counter(kinds[e.event_type] for e in history.events if e.event_type in kinds)


async def stuck_reason(handle: Handle) -> str | None:
    """The journey's own answer (a query is answered after the workflow task the clock's skip
    caused), then the read model's, which must agree."""
    facts = await handle.query(JourneyWorkflow.facts)
    row = await Journey.get(id=facts.journey_id)
    assert row.stuck is (facts.stuck_since is not None)
    return row.stuck_reason


async def test_steps_that_push_the_next_moment_back_keep_the_running_timer(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey checked in (triage: stuck after 10 minutes): one timer, for that moment
    handle = await begin(client, journey_start(), TASK_QUEUE)
    assert await timer_events(handle) == {"started": 1}

    # When it moves to consultation (2 hours from now) and three consultations are recorded
    await act(handle, assign())
    for _ in range(3):
        result = await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
        assert result.stage is Stage.CONSULTATION

    # Then no timer was cancelled or started again: the triage timer still runs
    assert await timer_events(handle) == {"started": 1}

    # When triage's moment passes, the early timer finds nothing due and arms the next one
    await env.sleep(timedelta(minutes=11))
    assert await stuck_reason(handle) is None
    assert await timer_events(handle) == {"started": 2, "fired": 1}

    # And when consultation's two hours are over, the journey is stuck for that reason
    await env.sleep(timedelta(hours=2))
    assert await stuck_reason(handle) == "CONSULTATION for more than 2 hour(s)"
    assert await timer_events(handle) == {"started": 2, "fired": 2}

    # And today's code replays the history it wrote, the early firing included
    await replayer(JourneyWorkflow).replay_workflow(await handle.fetch_history())


async def test_an_earlier_next_moment_replaces_the_running_timer(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey booked but not arrived (reception: stuck after a day)
    handle = await begin(client, journey_start(checked_in=False), TASK_QUEUE)
    assert await timer_events(handle) == {"started": 1}

    # When the client checks in (triage: stuck after 10 minutes, much sooner)
    await act(handle, request(Action.CHECK_IN, DESK))

    # Then the day-long timer gave way to one for the sooner moment
    assert await timer_events(handle) == {"started": 2, "canceled": 1}
    await env.sleep(timedelta(minutes=11))
    assert await stuck_reason(handle) == "TRIAGE for more than 10 minute(s)"
    await replayer(JourneyWorkflow).replay_workflow(await handle.fetch_history())


async def test_a_journey_that_ends_leaves_no_timer_running(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey checked in, its triage timer running
    handle = await begin(client, journey_start(), TASK_QUEUE)
    # When the front desk cancels it
    result = await act(handle, request(Action.CANCEL, DESK))
    assert result.stage is Stage.CANCELLED
    # Then the run is over (waited for without skipping the clock) and its last task
    # cancelled the timer
    with env.auto_time_skipping_disabled():
        facts = await handle.result()
    assert facts.stage is Stage.CANCELLED
    assert await timer_events(handle) == {"started": 1, "canceled": 1}
