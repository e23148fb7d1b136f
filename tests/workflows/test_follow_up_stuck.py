"""A journey whose first follow-up call is due is stuck at the moment the call is overdue on the
task lists (seed 002 §5.2: once 24 hours after the treatment are over), on the time-skipping
server with the read model: the journey's deadline (`sla_deadline`, what `stuckJourneys` orders
and counts by), its stuck flag and its call's task agree."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.aftercare.tasks import TaskKind
from domain.journey.followups import DAY, HOUR
from domain.store.aftercare import AftercareSetting, FollowUpTask
from domain.store.models import Journey, JourneyEvent
from domain.store.task_projection import lateness_of, task_id
from tests.support import journey_start, path
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, begin, journey_log, walk


async def _handed_over(client: Client, offsets: list[int]) -> tuple[str, datetime, Handle]:
    """A journey started as the API starts one, handed over with calls at `offsets`."""
    start = journey_start(offsets=offsets)
    handle = await begin(client, start, TASK_QUEUE)
    await walk(handle, path())
    handed = await JourneyEvent.get(journey_id=start.journey_id, action="hand_over")
    return start.journey_id, handed.at, handle


async def _overdue_on_the_lists(journey_id: str, follow_up_id: str) -> datetime:
    """When the task lists count the call's task overdue (`myTasks(overdue:)`, `journeyStats`)."""
    task = await FollowUpTask.get(id=task_id(journey_id, follow_up_id, TaskKind.FOLLOW_UP_CALL))
    lateness = await lateness_of(task.clinic_id)
    return lateness.late_at(TaskKind(task.kind), task.due_at, task.label)


async def test_a_journey_is_stuck_as_its_24_hour_call_falls_due(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey handed over with the default plan's first call at 24 h
    journey_id, handed_over, _handle = await _handed_over(client, [1 * DAY, 7 * DAY])
    # When the call falls due
    await env.sleep(timedelta(days=1, minutes=1))
    # Then the journey is stuck at that moment, the moment its call is overdue on the lists
    row = await Journey.get(id=journey_id)
    assert (row.stage, row.stuck) == ("FOLLOW_UP", True)
    assert row.stuck_reason == "follow-up 24h not made within 24 hours of the treatment"
    assert row.stuck_reason_code == "FOLLOW_UP_CALL_WINDOW_MISSED"
    assert row.sla_deadline == handed_over + timedelta(days=1)
    assert row.sla_deadline == await _overdue_on_the_lists(journey_id, "fu-1")
    due = await JourneyEvent.get(journey_id=journey_id, action="follow_up_due")
    stuck = await JourneyEvent.get(journey_id=journey_id, action="mark_stuck")
    assert (stuck.seq, row.stuck_since) == (due.seq + 1, stuck.at)
    assert timedelta(0) <= stuck.at - due.at < timedelta(seconds=1)  # the same wake-up
    assert [line[0] for line in await journey_log(journey_id)][-2:] == [
        "follow_up_due",
        "mark_stuck",
    ]


async def test_an_evening_call_makes_it_stuck_once_the_first_day_is_over(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey whose first call is due 6 hours after the handover, and has fallen due
    journey_id, handed_over, _handle = await _handed_over(client, [6 * HOUR, 7 * DAY])
    await env.sleep(timedelta(hours=6, minutes=1))
    row = await Journey.get(id=journey_id)
    assert (row.stage, row.stuck) == ("FOLLOW_UP", False)
    # Then its deadline is the end of the first day, when the lists count the call overdue
    assert row.sla_deadline == handed_over + timedelta(days=1)
    assert row.sla_deadline == await _overdue_on_the_lists(journey_id, "fu-1")
    # When the day is nearly over it is not stuck; once it is over, it is
    await env.sleep(timedelta(hours=17, minutes=58))
    assert (await Journey.get(id=journey_id)).stuck is False
    await env.sleep(timedelta(minutes=2))
    row = await Journey.get(id=journey_id)
    assert (row.stuck, row.stuck_reason) == (
        True,
        "follow-up 6h not made within 24 hours of the treatment",
    )
    assert row.stuck_since is not None
    assert handed_over + timedelta(days=1) <= row.stuck_since
    assert row.stuck_since <= handed_over + timedelta(days=1, seconds=1)


async def test_a_call_without_a_window_makes_it_stuck_by_the_clinic_s_allowance(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a clinic that lets a call stay open 6 hours past its due time, and a journey handed
    # over with a call at 3 days (no handbook window), the handover carrying the allowance as
    # the API reads it
    await AftercareSetting.create(clinic_id="clinic-1", overdue_after_seconds=6 * HOUR)
    start = journey_start(offsets=[3 * DAY])
    handle = await begin(client, start, TASK_QUEUE)
    steps = path()
    handing_over, stage = steps[-1]
    handing_over.details.follow_up_allowance_seconds = 6 * HOUR
    await walk(handle, [*steps[:-1], (handing_over, stage)])
    handed_over = (await JourneyEvent.get(journey_id=start.journey_id, action="hand_over")).at
    # When the call has been due for nearly 6 hours it is not stuck, and its deadline is the
    # moment the task lists count the call overdue
    await env.sleep(timedelta(days=3, hours=5, minutes=59))
    row = await Journey.get(id=start.journey_id)
    assert (row.stage, row.stuck) == ("FOLLOW_UP", False)
    assert row.sla_deadline == handed_over + timedelta(days=3, hours=6)
    assert row.sla_deadline == await _overdue_on_the_lists(start.journey_id, "fu-1")
    # When the 6 hours are over, it is stuck, not a day later
    await env.sleep(timedelta(minutes=2))
    row = await Journey.get(id=start.journey_id)
    assert (row.stuck, row.stuck_reason) == (True, "follow-up 3d overdue by more than 6 hour(s)")
    assert row.stuck_reason_code == "FOLLOW_UP_CALL_OVERDUE"
    assert row.stuck_since is not None
    assert handed_over + timedelta(days=3, hours=6) <= row.stuck_since
    assert row.stuck_since <= handed_over + timedelta(days=3, hours=6, seconds=1)
