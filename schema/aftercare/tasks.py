"""`myTasks` and `tasksChanged`: the viewer's own task list, live.

A task is yours when it names you, or names no one and is for your role (follow-up staff share
the clinic's calls; supervisors share the escalations). Tasks are written with the journey's
events, so the shared change feed (schema.feed) says when a journey's tasks may have moved; a
task changed with no event (closed by hand, settled by an upload) comes as a `TaskTouched`. A
task that turns overdue with time alone changes no row: each subscription's alarm
(`schema.aftercare.overdue_alarm`) says when.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.auth import TokenClaims
from domain.errors import ErrorCode
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.aftercare import FollowUpTask as TaskRow
from domain.store.overdue_tasks import not_overdue_filter, overdue_filter
from domain.store.task_projection import lateness_of
from schema.aftercare.overdue_alarm import Due, OverdueAlarm
from schema.aftercare.task_reads import note_task_reads
from schema.aftercare.types import (
    FollowUpTask,
    FollowUpTaskConnection,
    FollowUpTaskEdge,
    TaskChange,
    TaskUpdate,
)
from schema.context import Context
from schema.errors import NotAuthorized, ValidationFailed, from_domain, not_authorized
from schema.feed import ClinicNews, ComplaintTouched, TaskTouched
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
        str | None,
        strawberry.argument(
            description="The `endCursor` of the page before: the next page starts after its "
            "task's due time as it was read (a task moved since is placed by its new one)."
        ),
    ] = None,
) -> MyTasksResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    now = info.context.config.clock.now()
    lateness = await lateness_of(claims.clinic_id)
    query = tasks_of(claims).filter(status=TaskStatus.OPEN.value)
    if due is not None:
        query = query.filter(due_at__lte=now) if due else query.filter(due_at__gt=now)
    if overdue is not None:
        late = overdue_filter if overdue else not_overdue_filter
        query = query.filter(late(lateness, now))
    rows, page_info = await keyset_page(query, "due_at", first, after, newest_first=False)
    await note_task_reads(info, rows)
    edges = [
        FollowUpTaskEdge(
            cursor=cursor_for(row, "due_at"),
            node=FollowUpTask.from_row(
                row, lateness.is_overdue(TaskKind(row.kind), row.due_at, now, row.label)
            ),
        )
        for row in rows
    ]
    return FollowUpTaskConnection(edges=edges, page_info=page_info)


async def tasks_changed(
    info: Info[Context, None], announce_start: bool = False
) -> AsyncGenerator[TaskUpdate, None]:
    """Each task of yours that changed (a journey event wrote it, it was closed by hand, an
    upload settled it, a survey raised it) or turned overdue with time, as it is now; and each
    that stopped being yours. With `announce_start`, STARTED first, once the subscriber's
    starting point is fixed."""
    claims = info.context.claims
    if claims is None:  # the permission guard refuses it first; kept for direct callers
        raise SubscriptionRefused("sign in first", ErrorCode.NOT_AUTHORIZED)
    clock = info.context.config.clock
    alarm = OverdueAlarm(clock)
    async with info.context.feed.clinic(claims.clinic_id) as changes:
        try:
            # The list a task is said to leave, read once subscribed and before the first read
            # of the mailbox, the subscriber's starting point: a move after it, the mailbox
            # brings.
            yours = await _your_list(claims, alarm)
            if announce_start:
                # The mailbox holds every change since it subscribed, and the list is read: a
                # move from now on is pushed, so the client reads `myTasks` once it has this.
                changes.start()
                yield TaskUpdate(change=TaskChange.STARTED, task=None)
            while True:
                change = await alarm.next_of(changes)
                if isinstance(change, Resync):
                    # Read before RESYNC goes out: the client reads its list again once it has
                    # it, and a move between the two would be in neither list.
                    yours = await _your_list(claims, alarm)
                    yield TaskUpdate(change=TaskChange.RESYNC, task=None)
                    continue
                if change is None:
                    rows = await _turned_overdue(claims, alarm)
                else:
                    rows = await _written_rows(claims, change)
                if not rows:
                    continue
                now = clock.now()
                lateness = await lateness_of(claims.clinic_id)
                alarm.follow(lateness)
                info.context.loaders = Loaders()  # a subscription outlives its answers: reload
                for row in rows:
                    told = yours.change_of(row)
                    if told is None:
                        continue
                    # Overdue means still open (a task pushed DONE is not late any more).
                    still_open = row.status == TaskStatus.OPEN.value
                    late = still_open and lateness.is_overdue(
                        TaskKind(row.kind), row.due_at, now, row.label
                    )
                    yours_ahead = still_open and told is TaskChange.CHANGED and not late
                    _follow_with(alarm, row, yours_ahead)
                    if not yours.news(told, row, late):
                        continue
                    await note_task_reads(info, [row])  # recorded with this push, before it leaves
                    yield TaskUpdate(change=told, task=FollowUpTask.from_row(row, late))
        finally:
            alarm.close()


async def _your_list(claims: TokenClaims, alarm: OverdueAlarm) -> _YourList:
    """The subscriber's open tasks as they are now; the alarm watches those not overdue."""
    now = alarm.clock.now()
    lateness = await lateness_of(claims.clinic_id)
    alarm.follow(lateness)
    alarm.forget_all()
    tasks = await _open_tasks(claims)
    for task_id, kind, due_at, label in tasks:
        due = Due(TaskKind(kind), due_at, label)
        if not lateness.is_overdue(due.kind, due_at, now, label):
            alarm.watch(task_id, due)
    return _YourList(claims, [task_id for task_id, *_ in tasks])


async def _turned_overdue(claims: TokenClaims, alarm: OverdueAlarm) -> list[TaskRow]:
    """The alarm rang: its tasks whose moment came, as they are now, to push as any change is
    (one moved since its last push, with its new due time, and watched by it). One done or
    handed on since is left to the feed, which brings that change. The clinic's allowance is read
    first: a task whose moment a lengthened allowance moved on is no longer due, and is left
    watched, not pushed as late and found on time."""
    alarm.follow(await lateness_of(claims.clinic_id))
    came = alarm.rung(alarm.clock.now())
    if not came:
        return []
    rows = TaskRow.filter(clinic_id=claims.clinic_id, id__in=came)
    return [
        row
        for row in await rows.order_by("due_at", "id")
        if row.status == TaskStatus.OPEN.value and _is_yours(claims, row)
    ]


def _follow_with(alarm: OverdueAlarm, row: TaskRow, watched: bool) -> None:
    if watched:
        alarm.watch(row.id, Due(TaskKind(row.kind), row.due_at, row.label))
    else:
        alarm.forget(row.id)


# The open tasks a subscriber starts out knowing as its own, at most (a list is read a page at a
# time; past this many, a task handed away from beyond them is not said to have left).
KNOWN_AT_MOST = 2_000
_TASK_COLUMNS = tuple(sorted(TaskRow._meta.db_fields))


class _YourList:
    """The tasks a subscriber knows as its own: those open when it subscribed (or resynced)
    and those pushed to it since; one of them written as someone else's has LEFT its list."""

    def __init__(self, claims: TokenClaims, known: list[str]) -> None:
        self.claims = claims
        self.known = set(known)
        # What each task was last pushed as: a task is read as it is now, so an event read
        # after a later change to its task (closed by hand) found it as that change's log row
        # did, and the same task was pushed twice.
        self._said: OrderedDict[str, tuple[object, ...]] = OrderedDict()

    def news(self, told: TaskChange, row: TaskRow, late: bool) -> bool:
        """Whether the push is news: not the task as it was last pushed (its overdue state
        included: a task that turned overdue is news once)."""
        state = (told, late, *(getattr(row, name) for name in _TASK_COLUMNS))
        if self._said.get(row.id) == state:
            return False
        self._said[row.id] = state
        self._said.move_to_end(row.id)
        if len(self._said) > KNOWN_AT_MOST:
            self._said.popitem(last=False)
        return True

    def change_of(self, row: TaskRow) -> TaskChange | None:
        """What the row's change is to this subscriber; None when it is none of its business."""
        if _is_yours(self.claims, row):
            if len(self.known) < KNOWN_AT_MOST * 2:
                self.known.add(row.id)
            return TaskChange.CHANGED
        if row.id in self.known:
            self.known.discard(row.id)
            return TaskChange.LEFT
        return None


def _is_yours(claims: TokenClaims, row: TaskRow) -> bool:
    """`tasks_of`'s rule, for a row in hand."""
    if row.clinic_id != claims.clinic_id:
        return False
    return row.assignee_id == claims.account_id or (
        row.assignee_id is None and row.assignee_role == claims.role.value
    )


async def _open_tasks(claims: TokenClaims) -> list[tuple[str, str, datetime, str | None]]:
    """Each open task's id, and what its moment of turning overdue is read from."""
    mine = tasks_of(claims).filter(status=TaskStatus.OPEN.value).limit(KNOWN_AT_MOST)
    rows = await mine.values_list("id", "kind", "due_at", "label")
    return [(str(i), str(kind), due_at, label) for i, kind, due_at, label in rows]


async def _written_rows(claims: TokenClaims, change: ClinicNews) -> list[TaskRow]:
    """The clinic's tasks the change wrote, whoever's they are now."""
    clinic_tasks = TaskRow.filter(clinic_id=claims.clinic_id)
    if isinstance(change, ComplaintTouched):  # (never sent here: it asks for none)
        return []
    if isinstance(change, TaskTouched):
        return await clinic_tasks.filter(id=change.task_id)
    written = clinic_tasks.filter(journey_id=change.journey_id, journey_seq=change.seq)
    return await written.order_by("due_at", "id")
