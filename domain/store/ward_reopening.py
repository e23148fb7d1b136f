"""A ward's record that no longer stands gives back the tasks it settled (`ward_tasks`).

An observation or a round marked entered in error is void: the reading or round it settled was
not done by it; one corrected stands no more either, its correction does (an observation moved
to another hour answers that hour). Each task the record settled is open again, unless another
record of the journey still in force settles it too (the correction, an observation of the same
hour, another round); a task closed by hand (`completeTask`, a `task_closing` row) stays closed,
and so do the tasks of a journey that ended otherwise than completed. A task opened again is
logged in `task_change` in the same transaction, so `tasksChanged` pushes it OPEN (overdue when
its time has passed): no later record stands in for it, as for a reading never taken.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.aftercare import ward
from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.client_file.kinds import EntryKind
from domain.journey.stages import Stage
from domain.store.aftercare import FollowUpTask, TaskChangeLog, TaskClosing
from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.models import Journey
from domain.store.ward_tasks import record_moment

TASK_OF: dict[EntryKind, TaskKind] = {
    EntryKind.POST_OP_OBSERVATION: TaskKind.WARD_READING,
    EntryKind.WARD_ROUND: TaskKind.WARD_ROUND,
}
# A journey that ended otherwise (cancelled, refunded) took its ward's tasks with it.
_STILL_OWED = frozenset(stage for stage in Stage if not stage.is_terminal) | {Stage.COMPLETED}


def _answers(kind: EntryKind, body: Any, due_at: datetime) -> bool:
    """Whether a record of `kind` with this body settles the ward's task due at `due_at`
    (`settle_ward_tasks`' rule: an observation within half an hour of the reading's hour)."""
    if kind is EntryKind.WARD_ROUND:
        return True
    observed = record_moment(body, "observed_at")
    if observed is None:
        return False
    after, upto = ward.answered_between(observed)
    return after < due_at <= upto


async def _standing(void: ClientEntry, journey_id: str) -> list[Any]:
    """The bodies of the journey's other records of the void one's kind still in force: not
    corrected, not marked in error (a journey holds at most 100 observations, 4 rounds, and
    their corrections)."""
    rows = await ClientEntry.filter(client_id=void.client_id, kind=void.kind).values(
        "id", "body", "amends_id"
    )
    mine = [row for row in rows if (row["body"] or {}).get("journey_id") == journey_id]
    corrected = {row["amends_id"] for row in mine if row["amends_id"]}
    ids = [row["id"] for row in mine]
    marks = ClientEntryError.filter(entry_id__in=ids)
    marked = {str(entry_id) for entry_id in await marks.values_list("entry_id", flat=True)}
    out_of_force = corrected | marked | {void.id}
    return [row["body"] for row in mine if row["id"] not in out_of_force]


async def reopen_ward_tasks(void: ClientEntry) -> int:
    """Opens again the ward's tasks the record `void` settled and nothing in force settles now,
    in the caller's transaction (the mark's; the correction's settling), the journey's row
    locked as a new record locks it: one written at once is found, or finds the task open. The
    number opened."""
    kind = EntryKind(void.kind)
    task_kind = TASK_OF.get(kind)
    journey_id = (void.body or {}).get("journey_id") if isinstance(void.body, dict) else None
    if task_kind is None or not isinstance(journey_id, str):
        return 0
    journey = await Journey.filter(id=journey_id).select_for_update().first()
    if journey is None or Stage(journey.stage) not in _STILL_OWED:
        return 0
    done = await FollowUpTask.filter(
        journey_id=journey_id, kind=task_kind.value, status=TaskStatus.DONE.value
    )
    settled = [task for task in done if _answers(kind, void.body, task.due_at)]
    if not settled:
        return 0
    closings = TaskClosing.filter(task_id__in=[task.id for task in settled])
    by_hand = {str(task_id) for task_id in await closings.values_list("task_id", flat=True)}
    standing = await _standing(void, journey_id)
    now = datetime.now(UTC)
    opened = 0
    for task in settled:
        if task.id in by_hand or any(_answers(kind, body, task.due_at) for body in standing):
            continue
        again = FollowUpTask.filter(id=task.id, status=TaskStatus.DONE.value)
        if await again.update(status=TaskStatus.OPEN.value, updated_at=now):
            await TaskChangeLog.create(clinic_id=task.clinic_id, task_id=task.id, at=now)
            opened += 1
    return opened
