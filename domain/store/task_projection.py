"""Follow-up tasks and warranty cards, written with the journey's own change (same transaction
as the event, so at-least-once writes stay idempotent): a follow-up that falls due becomes a
task; a missed call moves it by the back-off and, the third time, to a supervisor; a reported
complication becomes a task for the treating doctor (`treating_doctor`); a treatment issues its
warranty card (its procedure type's, else the clinic's) and, when the journey has a procedure
type, the reminders of its photo schedule (`photo_tasks`), and for a surgery the ward's
readings and next day's round (`ward_tasks`); a handover that booked the next
recheck, its reminder (`recheck_tasks`), which then follows the calls' assignee; and the
check-in of the visit that keeps such a booking closes that reminder (`recheck_visits`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.aftercare.tasks import (
    INVITE_BACK_AFTER,
    Assignment,
    FollowUpAssignee,
    Lateness,
    TaskKind,
    TaskStatus,
    call_assignment,
    call_due_at,
    call_status,
    is_escalated,
    task_id,
)
from domain.aftercare.warranty import (
    LONG_DIGITS,
    card_number,
    ends_at,
    procedure_warranty,
    terms_for,
)
from domain.journey.facts import FollowUp, JourneyChange, JourneyFacts
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage, VisitCategory
from domain.journey.table import Action
from domain.procedures.template import ProcedureCategory, ProcedureContent
from domain.roles import Role
from domain.store.aftercare import (
    AftercareSetting,
    FollowUpTask,
    TaskChangeLog,
    WarrantyCard,
    clinic_setting,
)
from domain.store.callers import calling_consultant, still_consulting
from domain.store.escalations import open_escalated_task
from domain.store.models import Clinic
from domain.store.named_staff import hold_staff_named
from domain.store.overdue_tasks import overdue_filter
from domain.store.photo_tasks import close_photo_tasks, write_photo_tasks
from domain.store.procedures import ProcedureTypeVersion
from domain.store.recheck_tasks import (
    books_a_recheck,
    reassign_recheck_task,
    write_recheck_task,
)
from domain.store.recheck_visits import keep_booking, may_keep_a_booking
from domain.store.treating_doctor import treating_doctor
from domain.store.ward_tasks import close_ward_tasks, write_ward_tasks


async def procedure_content(facts: JourneyFacts) -> ProcedureContent | None:
    """The journey's procedure type version (pinned at plan approval), if it has one."""
    if not facts.procedure_type_version_id:
        return None
    version = await ProcedureTypeVersion.get_or_none(id=facts.procedure_type_version_id)
    if version is None or version.clinic_id != facts.clinic_id:
        return None
    return ProcedureContent.from_json(version.content)


def aftercare_to_project(change: JourneyChange) -> bool:
    """Whether `project_aftercare` may write anything for `change`: the treatment completed, a
    handover recorded, a visit for a booked recheck checked in, a journey ended, or a follow-up
    past its scheduled state. The read-model
    writer skips it (and its trips to the database) for every other step; anything new
    `project_aftercare` writes needs its case here."""
    facts = change.facts
    return (
        change.event.action == Action.COMPLETE_TREATMENT.value
        or books_a_recheck(change)
        or may_keep_a_booking(change)
        or facts.stage.is_terminal
        or any(f.status is not FollowUpStatus.SCHEDULED for f in facts.follow_ups)
    )


async def project_aftercare(change: JourneyChange) -> None:
    """Called inside the transaction that appends `change.event`, once per event."""
    if not aftercare_to_project(change):
        return
    event, facts = change.event, change.facts
    touched = [f for f in facts.follow_ups if f.status is not FollowUpStatus.SCHEDULED]
    await hold_staff_named(change, touched)  # first: see `staff_locks` for the lock order
    if event.action == Action.COMPLETE_TREATMENT.value:
        content = await procedure_content(facts)
        await _issue_warranty(facts, change, content)
        if content is not None and facts.visit_category is not VisitCategory.RECHECK:
            await write_photo_tasks(change, content)
        if content is not None and content.category is ProcedureCategory.SURGERY:
            await write_ward_tasks(change)
    await close_photo_tasks(change)
    await close_ward_tasks(change)
    await keep_booking(change)
    if event.action == Action.CLOSE_NOT_CONVERTED.value:
        await _invite_back(facts, change)
    if facts.visit_category is VisitCategory.RECHECK and facts.stage.is_terminal:
        await _settle_complications(facts, change)
    if not touched and not books_a_recheck(change):
        return
    setting = await clinic_setting(facts.clinic_id)
    policy = FollowUpAssignee(setting.follow_up_assignee)
    caller = await calling_consultant(facts.clinic_id, facts.consultant_id, policy)
    await write_recheck_task(change, policy, caller)
    await reassign_recheck_task(change, policy, caller)
    for follow_up in touched:
        await _write_call(facts, follow_up, policy, change, caller)
        if follow_up.outcome is FollowUpOutcome.COMPLICATION:
            await _write_complication(facts, follow_up, change)


async def _write_call(
    facts: JourneyFacts,
    follow_up: FollowUp,
    policy: FollowUpAssignee,
    change: JourneyChange,
    caller: str | None,
) -> None:
    """`caller`: the consultant who calls under `policy` (`calling_consultant`)."""
    event = change.event
    task = await FollowUpTask.get_or_none(
        id=task_id(facts.journey_id, follow_up.follow_up_id, TaskKind.FOLLOW_UP_CALL)
    )
    if task is not None and task.journey_seq >= event.seq:
        return
    status = call_status(follow_up)
    if status is TaskStatus.OPEN and facts.stage.is_terminal:
        status = TaskStatus.CLOSED  # the journey was closed with the call still open
    if task is None and status is not TaskStatus.OPEN and follow_up.attempts == 0:
        return  # closed before it was ever a task
    this_call = event.action == Action.COMPLETE_FOLLOW_UP.value and (
        task is None or task.attempts != follow_up.attempts
    )
    missed_at = event.at if this_call else None
    assignment = call_assignment(follow_up, caller, policy)
    values: dict[str, Any] = {
        "clinic_id": facts.clinic_id,
        "journey_id": facts.journey_id,
        "follow_up_id": follow_up.follow_up_id,
        "kind": TaskKind.FOLLOW_UP_CALL.value,
        "label": follow_up.label,
        "status": status.value,
        "assignee_role": assignment.role.value,
        "assignee_id": assignment.account_id,
        "attempts": follow_up.attempts,
        "escalated": is_escalated(follow_up),
        "journey_seq": event.seq,
        "updated_at": event.at,
    }
    if task is None:
        due = call_due_at(follow_up, missed_at)
        await FollowUpTask.create(id=_call_id(facts, follow_up), due_at=due, **values)
        return
    if missed_at is not None:
        values["due_at"] = call_due_at(follow_up, missed_at)
    # A later event of the journey that leaves the call as it was is no news of it: rewritten
    # with the event's seq, it was pushed to every watcher again with each of the journey's
    # steps (`tasksChanged` finds a journey event's tasks by their seq).
    if all(getattr(task, name) == value for name, value in values.items() if name not in _STAMPS):
        return
    await FollowUpTask.filter(id=task.id).update(**values)


# What a task's write stamps on it, not what it says.
_STAMPS = frozenset({"journey_seq", "updated_at"})


async def _invite_back(facts: JourneyFacts, change: JourneyChange) -> None:
    """The consultation did not convert: its consultant invites the client back in a week (to
    any supervisor when the journey had none, or its consultant has left: deactivated, or
    given another role). Written once; a retried write finds it."""
    invitation = task_id(facts.journey_id, None, TaskKind.INVITATION)
    if await FollowUpTask.exists(id=invitation):
        return
    consultant = facts.consultant_id
    if consultant and not await still_consulting(facts.clinic_id, consultant):
        consultant = None
    role = Role.CONSULTANT if consultant else Role.SUPERVISOR
    await FollowUpTask.create(
        id=invitation,
        clinic_id=facts.clinic_id,
        journey_id=facts.journey_id,
        kind=TaskKind.INVITATION.value,
        status=TaskStatus.OPEN.value,
        due_at=change.event.at + INVITE_BACK_AFTER,
        assignee_role=role.value,
        assignee_id=consultant,
        journey_seq=change.event.seq,
        updated_at=change.event.at,
    )


def _call_id(facts: JourneyFacts, follow_up: FollowUp) -> str:
    return task_id(facts.journey_id, follow_up.follow_up_id, TaskKind.FOLLOW_UP_CALL)


async def _write_complication(
    facts: JourneyFacts, follow_up: FollowUp, change: JourneyChange
) -> None:
    """At once, to the doctor who treated (the performer the treatment record names, as last
    corrected; else the expert who approved the plan), else any doctor. Chosen once, with the
    first write: a retried write, or a later event of the journey, finds the task as it was."""
    kind = TaskKind.COMPLICATION
    the_id = task_id(facts.journey_id, follow_up.follow_up_id, kind)
    if await FollowUpTask.exists(id=the_id):
        return
    treated_by = await treating_doctor(
        facts.journey_id, facts.clinic_id, facts.expert_id, still_here=True
    )
    await open_escalated_task(
        the_id,
        clinic_id=facts.clinic_id,
        journey_id=facts.journey_id,
        kind=kind,
        assignee=Assignment(Role.EXPERT, treated_by),
        at=change.event.at,
        journey_seq=change.event.seq,
        follow_up_id=follow_up.follow_up_id,
        label=follow_up.label,
        logged=False,  # the journey's event carries it
    )


async def _settle_complications(facts: JourneyFacts, change: JourneyChange) -> None:
    """The recheck serving a complication has ended: the doctor's task with it. The recheck
    may be one the complication opened, or one the client already had coming, booked at
    reception with no journey of its own to name: its tasks are found by the link they hold.
    The task is the journey's it came from, which this event is not: `tasksChanged` finds it
    by its log row."""
    done = TaskStatus.DONE if facts.stage is Stage.COMPLETED else TaskStatus.CLOSED
    waiting = FollowUpTask.filter(linked_journey_id=facts.journey_id, status=TaskStatus.OPEN.value)
    settled = await waiting.values_list("id", "clinic_id")
    if not settled:
        return
    # Still open: one closed by hand meanwhile (`completeTask`) keeps its closing.
    await FollowUpTask.filter(
        id__in=[task for task, _ in settled], status=TaskStatus.OPEN.value
    ).update(status=done.value, updated_at=change.event.at)
    for task, clinic in settled:
        await TaskChangeLog.create(clinic_id=clinic, task_id=task, at=change.event.at)


async def _issue_warranty(
    facts: JourneyFacts, change: JourneyChange, content: ProcedureContent | None
) -> None:
    """A treatment's warranty; a recheck treats under the warranty it has, it issues none."""
    if facts.visit_category is VisitCategory.RECHECK:
        return
    if await WarrantyCard.exists(journey_id=facts.journey_id):
        return
    setting = await clinic_setting(facts.clinic_id)
    clinic = await Clinic.get(id=facts.clinic_id)
    warranty = terms_for(setting.warranty_days, setting.warranty_terms, procedure_warranty(content))
    issued = change.event.at
    number = card_number(facts.journey_id, issued)
    # Two journeys whose ids begin alike in the same month: the later card takes the long number.
    # Decided again alike on a retried write, and a race of the two retries into this branch.
    if await WarrantyCard.exists(number=number):
        number = card_number(facts.journey_id, issued, digits=LONG_DIGITS)
    await WarrantyCard.create(
        number=number,
        clinic_id=facts.clinic_id,
        journey_id=facts.journey_id,
        client_id=facts.client_id,
        issued_at=issued,
        ends_at=ends_at(issued, warranty.days, ZoneInfo(clinic.timezone)),
        terms=warranty.terms,
    )


def overdue_after(setting: AftercareSetting) -> timedelta:
    return timedelta(seconds=setting.overdue_after_seconds)


async def lateness_of(clinic_id: str) -> Lateness:
    """When the clinic's open tasks are overdue: its allowance, and its calendar for the ward's
    round."""
    clinic = await Clinic.get_or_none(id=clinic_id)
    zone = ZoneInfo(clinic.timezone if clinic else "UTC")
    return Lateness(overdue_after(await clinic_setting(clinic_id)), zone)


async def overdue_task_count(clinic_id: str, kinds: Sequence[TaskKind] = ()) -> int:
    """The cockpit's count: open tasks past due by more than the clinic allows, or by their own
    schedule (the ward's); of `kinds` only, when named."""
    late = overdue_filter(await lateness_of(clinic_id), datetime.now(UTC))
    open_tasks = FollowUpTask.filter(late, clinic_id=clinic_id, status=TaskStatus.OPEN.value)
    if kinds:
        open_tasks = open_tasks.filter(kind__in=[kind.value for kind in kinds])
    return await open_tasks.count()
