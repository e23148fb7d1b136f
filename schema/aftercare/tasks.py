"""`myTasks` and `tasksChanged`: the viewer's own task list, live.

A task is yours when it names you, or names no one and is for your role (follow-up staff share
the clinic's calls; supervisors share the escalations). Tasks are written with the journey's
events, so the shared change feed (schema.feed) says when a journey's tasks may have moved; a
task changed with no event (closed by hand, settled by an upload) comes as a `TaskTouched`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.aftercare.tasks import TaskStatus, is_overdue
from domain.auth import TokenClaims
from domain.errors import ErrorCode
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.aftercare import FollowUpTask as TaskRow
from domain.store.task_projection import clinic_setting, overdue_after
from schema.aftercare.types import (
    FollowUpTask,
    FollowUpTaskConnection,
    FollowUpTaskEdge,
    TaskChange,
    TaskUpdate,
)
from schema.context import Context
from schema.errors import NotAuthorized, ValidationFailed, from_domain, not_authorized
from schema.feed import ClinicNews, TaskTouched
from schema.live_errors import SubscriptionRefused
from schema.loaders import Loaders
from schema.mailbox import Resync
from schema.pagination import cursor_for, keyset_page, page_problems

MyTasksResult = Annotated[
    FollowUpTaskConnection | ValidationFailed | NotAuthorized,
    strawberry.union("MyTasksResult"),
]


def tasks_of(claims: TokenClaims) -> QuerySet[TaskRow]:
    mine = Q(assignee_id=claims.account_id) | Q(assignee_id=None, assignee_role=claims.role.value)
    return TaskRow.filter(mine, clinic_id=claims.clinic_id)


async def my_tasks(
    info: Info[Context, None],
    due: Annotated[
        bool | None,
        strawberry.argument(
            description="True: only tasks whose time has come; false: only tasks still ahead."
        ),
    ] = None,
    overdue: Annotated[
        bool | None,
        strawberry.argument(
            description="True: only tasks past due by more than the clinic "
            "allows; false: only those that are not."
        ),
    ] = None,
    first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = 20,
    after: Annotated[
        str | None, strawberry.argument(description="The `endCursor` of the page before.")
    ] = None,
) -> MyTasksResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    now = datetime.now(UTC)
    grace = overdue_after(await clinic_setting(claims.clinic_id))
    query = tasks_of(claims).filter(status=TaskStatus.OPEN.value)
    if due is not None:
        query = query.filter(due_at__lte=now) if due else query.filter(due_at__gt=now)
    if overdue is not None:
        limit = now - grace
        query = query.filter(due_at__lte=limit) if overdue else query.filter(due_at__gt=limit)
    rows, page_info = await keyset_page(query, "due_at", first, after, newest_first=False)
    edges = [
        FollowUpTaskEdge(
            cursor=cursor_for(row, "due_at"),
            node=FollowUpTask.from_row(row, is_overdue(row.due_at, now, grace)),
        )
        for row in rows
    ]
    return FollowUpTaskConnection(edges=edges, page_info=page_info)


async def tasks_changed(info: Info[Context, None]) -> AsyncGenerator[TaskUpdate, None]:
    """Each task of yours that changed (a journey event wrote it, it was closed by hand, an
    upload settled it, a survey raised it), as it is now."""
    claims = info.context.claims
    if claims is None:  # the permission guard refuses it first; kept for direct callers
        raise SubscriptionRefused("sign in first", ErrorCode.NOT_AUTHORIZED)
    async with info.context.feed.clinic(claims.clinic_id) as changes:
        while True:
            change = await changes.get()
            if isinstance(change, Resync):
                yield TaskUpdate(change=TaskChange.RESYNC, task=None)
                continue
            rows = await _changed_rows(claims, change)
            if not rows:
                continue
            now = datetime.now(UTC)
            grace = overdue_after(await clinic_setting(claims.clinic_id))
            info.context.loaders = Loaders()  # a subscription outlives its answers: reload
            for row in rows:
                # Overdue means still open (a task pushed DONE is not late any more).
                late = row.status == TaskStatus.OPEN.value and is_overdue(row.due_at, now, grace)
                task = FollowUpTask.from_row(row, late)
                yield TaskUpdate(change=TaskChange.CHANGED, task=task)


async def _changed_rows(claims: TokenClaims, change: ClinicNews) -> list[TaskRow]:
    """The viewer's tasks the change wrote (none when they are someone else's)."""
    if isinstance(change, TaskTouched):
        return await tasks_of(claims).filter(id=change.task_id)
    written = tasks_of(claims).filter(journey_id=change.journey_id, journey_seq=change.seq)
    return await written.order_by("due_at", "id")
