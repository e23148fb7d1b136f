"""An escalated task: one that cannot wait for the calls' schedule, open and due at once.

A complication reported on a call or called in by the client (to the treating doctor) and a low
survey score (to the supervisors) are written as one: this is what makes a task escalated, in
one place, so the lists that put escalations first (`myTasks`, the cockpit) see them alike.
"""

from __future__ import annotations

from datetime import datetime

from domain.aftercare.tasks import Assignment, TaskKind, TaskStatus
from domain.store.aftercare import FollowUpTask, TaskChangeLog


async def open_escalated_task(
    task_id: str,
    *,
    clinic_id: str,
    journey_id: str,
    kind: TaskKind,
    assignee: Assignment,
    at: datetime,
    journey_seq: int = 0,
    follow_up_id: str | None = None,
    label: str | None = None,
    linked_journey_id: str | None = None,
    logged: bool = True,
) -> FollowUpTask:
    """Writes the task (in the caller's transaction, if any). `logged`: a change row for
    `tasksChanged`, which finds a task by its journey's events otherwise; a task no journey
    event carries (a survey's alert, a called-in complication) must be logged to be heard of.
    """
    task = await FollowUpTask.create(
        id=task_id,
        clinic_id=clinic_id,
        journey_id=journey_id,
        follow_up_id=follow_up_id,
        kind=kind.value,
        label=label,
        status=TaskStatus.OPEN.value,
        due_at=at,
        assignee_role=assignee.role.value,
        assignee_id=assignee.account_id,
        escalated=True,
        journey_seq=journey_seq,
        linked_journey_id=linked_journey_id,
        updated_at=at,
    )
    if logged:
        await TaskChangeLog.create(clinic_id=clinic_id, task_id=task_id, at=at)
    return task
