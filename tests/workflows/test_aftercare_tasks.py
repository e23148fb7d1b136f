"""Follow-up tasks written by the journey's own activity, on the time-skipping server, for a
surgical journey that follows a procedure type: missed calls retried and escalated, a
complication for the doctor, the type's warranty card, and a full year of the type's calls and
photo reminders."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.aftercare.plan import plan_of, plan_step_for
from domain.aftercare.tasks import TaskKind
from domain.aftercare.warranty import last_day
from domain.journey.followups import DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import FollowUpOutcome, Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, WarrantyCard
from domain.store.models import Clinic, JourneyEvent, StaffAccount
from domain.store.photo_tasks import settle_photo_tasks
from domain.store.task_projection import task_id
from tests.staff_rows import staff_account
from tests.support import EXPERT, SUPERVISOR, call, journey_start, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import act, begin, walk
from tests.workflows.typed_journey import SURGERY, photo_taken, surgery_version, typed_path

# The tasks a treatment writes on its own schedule, not the calls'.
WARD = ("WARD_READING", "WARD_ROUND")
NOT_CALLS = ("PHOTO", *WARD)


async def _call_task(journey_id: str, follow_up_id: str) -> FollowUpTask:
    return await FollowUpTask.get(id=task_id(journey_id, follow_up_id, TaskKind.FOLLOW_UP_CALL))


async def _last_event_at(journey_id: str) -> object:
    return (await JourneyEvent.filter(journey_id=journey_id).order_by("-seq").first()).at  # type: ignore[union-attr]


async def test_missed_calls_escalate_and_a_complication_goes_to_the_doctor(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a surgical journey handed over, its plan naming the eyelid surgery type: no call is
    # a task yet (the photo schedule's reminders are, see below; so are the ward's six readings
    # and its round after the operation)
    version = await surgery_version()
    start = journey_start(offsets=list(DEFAULT_FOLLOW_UP_OFFSETS))
    jid = start.journey_id
    handle = await begin(client, start, TASK_QUEUE)
    await walk(handle, typed_path(version.id))
    aftercare = FollowUpTask.filter(journey_id=jid).exclude(kind__in=NOT_CALLS)
    assert await aftercare.count() == 0
    ward = await FollowUpTask.filter(journey_id=jid, kind__in=WARD).values_list("kind", flat=True)
    assert sorted(ward) == ["WARD_READING"] * 6 + ["WARD_ROUND"]
    # And the treatment issued the type's warranty card (its period and terms)
    card = await WarrantyCard.get(journey_id=jid)
    treated = await JourneyEvent.get(journey_id=jid, action="complete_treatment")
    assert card.issued_at == treated.at
    zone = ZoneInfo((await Clinic.get(id=card.clinic_id)).timezone)
    treated_on = card.issued_at.astimezone(zone).date()
    assert last_day(card.ends_at, zone) == treated_on + timedelta(days=SURGERY.warranty_days)
    assert card.terms == SURGERY.warranty_terms["en"]

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

    # When the type's second call (the suture visit at 1 week) brings a complication, the call
    # is done and the doctor who approved the plan, still a doctor of the clinic, has a task
    if not await StaffAccount.exists(id=EXPERT.user_id):
        await staff_account(start.clinic_id, EXPERT.user_id, Role.EXPERT)
    await env.sleep(timedelta(days=6))
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
    tasks = await FollowUpTask.filter(journey_id=jid).exclude(kind__in=NOT_CALLS)
    assert sorted((t.follow_up_id, t.kind, t.status) for t in tasks) == [
        ("fu-1", "FOLLOW_UP_CALL", "CLOSED"),
        ("fu-2", "COMPLICATION", "OPEN"),  # the doctor's task stays until the recheck ends
        ("fu-2", "FOLLOW_UP_CALL", "DONE"),
    ]
    # And the photo reminders outlive the calls: the year's photos are still to take
    photos = await FollowUpTask.filter(journey_id=jid, kind="PHOTO")
    assert sorted(t.status for t in photos) == ["OPEN"] * len(SURGERY.photo_schedule)


async def test_a_year_of_the_procedure_types_calls_and_photo_reminders(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a surgical journey treated and handed over under the eyelid surgery type
    version = await surgery_version()
    start = journey_start(offsets=list(DEFAULT_FOLLOW_UP_OFFSETS))
    jid = start.journey_id
    handle = await begin(client, start, TASK_QUEUE)
    await walk(handle, typed_path(version.id))
    treated = (await JourneyEvent.get(journey_id=jid, action="complete_treatment")).at
    handed = (await JourneyEvent.get(journey_id=jid, action="hand_over")).at
    # Then each point of its photo schedule is a task for the nurses, due from the treatment
    photos = await FollowUpTask.filter(journey_id=jid, kind="PHOTO").order_by("due_at")
    assert [(t.label, t.due_at - treated, t.status, t.assignee_role) for t in photos] == [
        ("BEFORE", timedelta(0), "OPEN", "NURSE"),
        ("SUTURE_REMOVAL", timedelta(days=7), "OPEN", "NURSE"),
        ("THREE_MONTHS", timedelta(days=91), "OPEN", "NURSE"),
        ("ONE_YEAR", timedelta(days=365), "OPEN", "NURSE"),
    ]
    # When the photo before is uploaded, its reminder is settled (and only it)
    await photo_taken(jid, "BEFORE")
    assert await settle_photo_tasks(jid) == 1

    # When a year passes, each of the type's calls falls due at its offset and is made
    offsets, plan = SURGERY.follow_up_offsets(), plan_of(SURGERY)
    calls = []
    for index, offset in enumerate(offsets, start=1):
        due = handed + timedelta(seconds=offset)
        await env.sleep(due + timedelta(minutes=1) - await env.get_current_time())
        task = await _call_task(jid, f"fu-{index}")
        assert (task.status, task.due_at, task.assignee_role) == ("OPEN", due, "FOLLOW_UP_STAFF")
        step = plan_step_for(task.label or "", offsets, plan)
        assert step is not None and step.offset_seconds == offset
        calls.append((task.label, step.channel, step.purpose, step.questions))
        if task.label == "1w":  # the suture visit: its photo comes with it
            await photo_taken(jid, "SUTURE_REMOVAL")
            assert await settle_photo_tasks(jid) == 1
        result = await act(handle, call(f"fu-{index}"))
    # Then the calls asked what the type's plan asks, by its channels, and the journey is done
    assert calls == [
        ("24h", "PHONE", "After the first night", ("Pain, bleeding, swelling?",)),
        ("1w", "VISIT", "Suture removal and dressing", ()),
        ("2w", "PHONE", "Healing", ("How do the scars look?",)),
        ("1m", "PHONE", "One month", ("Any asymmetry or dryness of the eyes?",)),
        ("3m", "VISIT", "Three-month check and photos", ()),
        ("6m", "PHONE", "Six months", ("Are you satisfied with the result?",)),
        ("1y", "VISIT", "One-year check and photos", ()),
    ]
    assert result.stage is Stage.COMPLETED
    calls_done = await FollowUpTask.filter(journey_id=jid, kind="FOLLOW_UP_CALL", status="DONE")
    assert len(calls_done) == len(offsets)
    # And the three-month photo nobody took is still open (overdue on the nurses' list)
    photos = await FollowUpTask.filter(journey_id=jid, kind="PHOTO").order_by("due_at")
    assert [(t.label, t.status) for t in photos] == [
        ("BEFORE", "DONE"),
        ("SUTURE_REMOVAL", "DONE"),
        ("THREE_MONTHS", "OPEN"),
        ("ONE_YEAR", "OPEN"),
    ]
