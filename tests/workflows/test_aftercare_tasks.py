"""Follow-up tasks written by the journey's own activity, on the time-skipping server: a year-long
schedule, missed calls retried and escalated, a complication for the doctor, the warranty card."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.aftercare.tasks import TaskKind
from domain.journey.followups import DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import FollowUpOutcome, Stage
from domain.journey.table import Action
from domain.store.aftercare import FollowUpTask, WarrantyCard
from domain.store.models import JourneyEvent
from domain.store.task_projection import task_id
from tests.support import SUPERVISOR, call, journey_start, path, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import act, begin, walk


async def _call_task(journey_id: str, follow_up_id: str) -> FollowUpTask:
    return await FollowUpTask.get(id=task_id(journey_id, follow_up_id, TaskKind.FOLLOW_UP_CALL))


async def _last_event_at(journey_id: str) -> object:
    return (await JourneyEvent.filter(journey_id=journey_id).order_by("-seq").first()).at  # type: ignore[union-attr]


async def test_missed_calls_escalate_and_a_complication_goes_to_the_doctor(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey handed over with the year-long schedule: nothing is a task yet
    start = journey_start(offsets=list(DEFAULT_FOLLOW_UP_OFFSETS))
    jid = start.journey_id
    handle = await begin(client, start, TASK_QUEUE)
    await walk(handle, path())
    assert await FollowUpTask.filter(journey_id=jid).count() == 0
    # And the treatment issued its warranty card, for the clinic's default year
    card = await WarrantyCard.get(journey_id=jid)
    treated = await JourneyEvent.get(journey_id=jid, action="complete_treatment")
    assert card.issued_at == treated.at
    assert card.ends_at - card.issued_at == timedelta(days=365)

    # When the first call falls due, it is a task for the clinic's follow-up staff
    await env.sleep(timedelta(days=1, minutes=1))
    task = await _call_task(jid, "fu-1")
    assert (task.kind, task.label, task.status, task.assignee_role, task.assignee_id) == (
        "FOLLOW_UP_CALL",
        "24h",
        "OPEN",
        "FOLLOW_UP_STAFF",
        None,
    )
    # When the client is not reached, the call comes back after 2 h, then after a day
    for attempt, wait in ((1, timedelta(hours=2)), (2, timedelta(hours=24))):
        await act(handle, call("fu-1", FollowUpOutcome.NOT_REACHED))
        task = await _call_task(jid, "fu-1")
        assert task.due_at == await _last_event_at(jid) + wait  # type: ignore[operator]
        assert (task.attempts, task.assignee_role, task.escalated) == (
            attempt,
            "FOLLOW_UP_STAFF",
            False,
        )
    # And the third miss hands it to a supervisor
    await act(handle, call("fu-1", FollowUpOutcome.NOT_REACHED))
    task = await _call_task(jid, "fu-1")
    assert (task.attempts, task.assignee_role, task.escalated, task.status) == (
        3,
        "SUPERVISOR",
        True,
        "OPEN",
    )

    # When the second call brings a complication, the call is done and the doctor has a task
    await env.sleep(timedelta(days=2))
    assert (await _call_task(jid, "fu-2")).status == "OPEN"
    reported = await act(handle, call("fu-2", FollowUpOutcome.COMPLICATION, None))
    assert reported.stage is Stage.FOLLOW_UP
    assert (await _call_task(jid, "fu-2")).status == "DONE"
    doctor = await FollowUpTask.get(id=task_id(jid, "fu-2", TaskKind.COMPLICATION))
    assert (doctor.assignee_role, doctor.assignee_id, doctor.status, doctor.escalated) == (
        "EXPERT",
        "expert-1",
        "OPEN",
        True,
    )
    # When a supervisor closes the follow-ups, the open call goes with them
    closed = await act(handle, request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR))
    assert closed.stage is Stage.COMPLETED
    tasks = await FollowUpTask.filter(journey_id=jid)
    assert sorted((t.follow_up_id, t.kind, t.status) for t in tasks) == [
        ("fu-1", "FOLLOW_UP_CALL", "CLOSED"),
        ("fu-2", "COMPLICATION", "OPEN"),  # the doctor's task stays until the recheck ends
        ("fu-2", "FOLLOW_UP_CALL", "DONE"),
    ]
