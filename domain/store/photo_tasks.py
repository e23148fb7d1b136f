"""Photo reminders in the read model: written with the treatment's event (same transaction),
settled when a photo of their stage is uploaded for the journey, closed when the client
withdraws the clinical record's consent she gave, which every photo needs
(`close_without_consent`), and written closed while that withdrawal stands.

The task's `label` holds the stage the upload must name, so settling needs no other lookup.
A reminder settled is logged in `task_change` (same transaction): no journey event says so, and
the live task feed must hear of it.

The treatment checks her consent and writes the reminders holding the client's row (SELECT ...
FOR UPDATE on PostgreSQL; SQLite's transactions begin IMMEDIATE, one writer at a time), the lock
`setPhotoConsent` writes its change under (`photos.change_unless_standing`); a signed consent's
withdrawal writes its changes without it, but each one's reference to the client waits for that
lock too (a key-share lock on her row). So a withdrawal's change commits before the treatment
checks, and the treatment writes the reminders closed, or after the reminders are committed, and
the withdrawal finds them open and closes them. Checked apart, a treatment found the consent
standing, the withdrawal found no reminder yet, and the treatment then wrote them open, listed
for photos no one may upload. The treatment takes the client's row after the journey's own locks
(`staff_locks`) and before any task row.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from domain.aftercare.photo_reminders import OpenReminder, reminders_for, settled_by
from domain.aftercare.tasks import TaskKind, TaskStatus, task_id
from domain.journey.facts import JourneyChange
from domain.journey.stages import Stage
from domain.photos.purposes import PhotoPurpose, PhotoStage
from domain.procedures.template import ProcedureContent
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, TaskChangeLog, TaskClosing, request_of_its_own
from domain.store.client_lock import hold_client
from domain.store.models import Journey
from domain.store.photos import Photo, purposes_given, taken_back

# Photos are the care team's: the nurses take them (DOMAIN.md roles).
PHOTO_TAKER = Role.NURSE


def photo_task_id(journey_id: str, code: str) -> str:
    return task_id(journey_id, f"photo:{code}", TaskKind.PHOTO)


async def write_photo_tasks(change: JourneyChange, content: ProcedureContent) -> None:
    """At the treatment: one task per point of the schedule (a rewrite leaves them as they are).

    While the client has withdrawn the clinical record's consent she once gave, no photo of
    hers can be uploaded: each is written closed as NO_PHOTO_CONSENT, with its closing record
    naming who recorded that withdrawal. A client who never gave it has them open: the list
    reminds the care team to ask her."""
    facts, event = change.facts, change.event
    await hold_client(facts.client_id)  # the caller's transaction: the event's
    withdrawal = await taken_back(facts.client_id, PhotoPurpose.CLINICAL_RECORD)
    status = TaskStatus.NO_PHOTO_CONSENT if withdrawal else TaskStatus.OPEN
    for reminder in reminders_for(content.photo_schedule, event.at):
        task, written = await FollowUpTask.get_or_create(
            id=photo_task_id(facts.journey_id, reminder.code),
            defaults={
                "clinic_id": facts.clinic_id,
                "journey_id": facts.journey_id,
                "kind": TaskKind.PHOTO.value,
                "label": reminder.stage.value,
                "status": status.value,
                "due_at": reminder.due_at,
                "assignee_role": PHOTO_TAKER.value,
                "journey_seq": event.seq,
                "updated_at": event.at,
            },
        )
        if written and withdrawal is not None:
            by = (withdrawal.recorded_by, withdrawal.recorded_by_role)
            await _closing(task, by, event.at)
    await settle_photo_tasks(facts.journey_id)


async def settle_photo_tasks(journey_id: str) -> int:
    """Marks done the reminders the journey's photos answer (a photo taken before the task was
    written counts too); the number settled now."""
    tasks = await FollowUpTask.filter(journey_id=journey_id, kind=TaskKind.PHOTO.value)
    if not tasks:
        return 0
    stages = await Photo.filter(journey_id=journey_id).values_list("stage", flat=True)
    photos = Counter(PhotoStage(str(stage)) for stage in stages)
    reminders = [
        OpenReminder(t.id, PhotoStage(t.label), t.due_at, t.status != TaskStatus.OPEN.value)
        for t in tasks
        if t.label
    ]
    done = settled_by(reminders, photos)
    if done:
        await _settle(tasks[0].clinic_id, done)
    return len(done)


async def _settle(clinic_id: str, task_ids: list[str]) -> None:
    now = datetime.now(UTC)
    async with in_transaction():
        for task_id in task_ids:
            # Only the reminder that turns DONE here is logged: a concurrent upload that
            # settled it first logged it already.
            still_open = FollowUpTask.filter(id=task_id, status=TaskStatus.OPEN.value)
            if await still_open.update(status=TaskStatus.DONE.value):
                await TaskChangeLog.create(clinic_id=clinic_id, task_id=task_id, at=now)


async def close_photo_tasks(change: JourneyChange) -> None:
    """A journey ended before its course did (cancelled, refused): its reminders go with it.
    A completed journey keeps them: the one-year photo outlives the last call."""
    facts = change.facts
    if not facts.stage.is_terminal or facts.stage is Stage.COMPLETED:
        return
    waiting = FollowUpTask.filter(
        journey_id=facts.journey_id, kind=TaskKind.PHOTO.value, status=TaskStatus.OPEN.value
    )
    await waiting.update(status=TaskStatus.CLOSED.value, journey_seq=change.event.seq)


# The closing note of a reminder closed for the withdrawal (`task_closing.note`).
CONSENT_WITHDRAWN = "the client withdrew her photos' consent for the clinical record"


async def close_without_consent(client_id: str, by: tuple[str, str]) -> int:
    """A withdrawal that took back the client's consent to photos for the clinical record (an
    upload is then refused; the caller asks `photos.withdrew_given` of its own change) closes
    her open photo reminders, on every journey of hers, as NO_PHOTO_CONSENT by `by` (user,
    role): each with its closing record and its change logged, in one transaction, so the list
    and the overdue count drop it. Only an open one closes, and none while she consents: a
    retry of the withdrawal finishes a closing its first attempt left half-way, and one made
    after she gave the purpose again closes nothing. The number closed now.

    Giving the consent again opens none: a reminder keeps one closing (`task_closing`), and
    a photo of a point still ahead is taken and uploaded as any other, without a reminder."""
    if PhotoPurpose.CLINICAL_RECORD in await purposes_given(client_id):
        return 0
    journeys = Journey.filter(client_id=client_id).values_list("id", flat=True)
    waiting = await FollowUpTask.filter(
        journey_id__in=[str(journey) for journey in await journeys],
        kind=TaskKind.PHOTO.value,
        status=TaskStatus.OPEN.value,
    )
    now, closed = datetime.now(UTC), 0
    for task in waiting:
        async with in_transaction():
            still_open = FollowUpTask.filter(id=task.id, status=TaskStatus.OPEN.value)
            unconsented = TaskStatus.NO_PHOTO_CONSENT.value
            if not await still_open.update(status=unconsented, updated_at=now):
                continue  # settled or closed since it was read
            await _closing(task, by, now)
            await TaskChangeLog.create(clinic_id=task.clinic_id, task_id=task.id, at=now)
            closed += 1
    return closed


async def _closing(task: FollowUpTask, by: tuple[str, str], at: datetime) -> None:
    """The closing record of a reminder closed for the withdrawal."""
    await TaskClosing.create(
        task_id=task.id,
        clinic_id=task.clinic_id,
        journey_id=task.journey_id,
        kind=task.kind,
        closed_by=by[0],
        closed_by_role=by[1],
        closed_at=at,
        note=CONSENT_WITHDRAWN,
        request_id=request_of_its_own(),
    )
