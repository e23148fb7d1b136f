"""`overdueWardTasks`: the supervisor's list behind the cockpit's `overdueWardTasks` count.

The ward's tasks after an operation (`domain.store.ward_tasks`) that are late by their own
schedule and still open: a reading of the vital signs not taken within half an hour of its hour,
a next day's round missing once its day has ended. The same rows the count counts, a page at a
time, earliest due first, each naming its journey, kind, due time and assignee (`assignee`, the
doctor who operated for a round; null for a reading, which is any nurse's). Reading a task is
audited as on `myTasks` (`follow_up_task.read`, once per client).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.aftercare import FollowUpTask as TaskRow
from domain.store.overdue_tasks import overdue_filter
from domain.store.task_projection import lateness_of
from domain.store.ward_tasks import WARD_KINDS
from schema.aftercare.task_reads import note_task_reads
from schema.aftercare.types import FollowUpTask, FollowUpTaskConnection, FollowUpTaskEdge
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.pagination import cursor_for, keyset_page, page_problems
from schema.supervision.queries import visible_clinic

OverdueWardTasksResult = Annotated[
    FollowUpTaskConnection | ValidationFailed | NotAuthorized | NotFound,
    strawberry.union("OverdueWardTasksResult"),
]


async def overdue_ward_tasks(
    info: Info[Context, None],
    clinic_id: strawberry.ID,
    first: int = 20,
    after: str | None = None,
) -> OverdueWardTasksResult:
    if info.context.claims is None:
        return not_authorized()
    clinic = await visible_clinic(info, clinic_id)
    if clinic is None:
        return not_found("clinic")
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    now = datetime.now(UTC)
    lateness = await lateness_of(str(clinic.id))
    late = TaskRow.filter(
        overdue_filter(lateness, now),
        clinic_id=str(clinic.id),
        status=TaskStatus.OPEN.value,
        kind__in=[kind.value for kind in WARD_KINDS],
    )
    rows, page_info = await keyset_page(late, "due_at", first, after, newest_first=False)
    await note_task_reads(info, rows)
    edges = [
        FollowUpTaskEdge(
            cursor=cursor_for(row, "due_at"),
            node=FollowUpTask.from_row(
                row, lateness.is_overdue(TaskKind(row.kind), row.due_at, now)
            ),
        )
        for row in rows
    ]
    return FollowUpTaskConnection(edges=edges, page_info=page_info)
