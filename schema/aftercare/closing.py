"""`completeTask`: the assignee (or a supervisor) closes a task nothing else settles, a low
survey score or a complication whose recheck never ends, with an outcome note.

The closing is a record (append-only, one per task); the task's row turns DONE with it, in one
transaction, so `myTasks` and the cockpit's overdue count drop it together. The same transaction
logs the change in `task_change`, which `tasksChanged` pushes (no journey event carries it).
The closing names the request that made it (`TaskClosing.request_id`): an attempt of that
request is answered the task done, any other closing is refused as already done.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.aftercare import closing as rules
from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.errors import DomainError
from domain.errors import TransitionNotAllowed as DomainTransitionNotAllowed
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.roles import Role, known_role
from domain.store import records
from domain.store.aftercare import FollowUpTask as TaskRow
from domain.store.aftercare import TaskChangeLog, TaskClosing, request_of_its_own
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim
from domain.store.task_projection import lateness_of
from schema import idempotency
from schema.aftercare.types import FollowUpTask
from schema.audit.collector import note_write
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.text import check_text

TASK_ID_LIMIT = 64
CLOSING_KIND = "task_closing"  # the kind of id (`idempotency.derived_id`) a closing carries


@strawberry.input(description="Close a task from your list with what came of it.")
class CompleteTaskInput:
    task_id: strawberry.ID = strawberry.field(
        description="The task's id (`FollowUpTask.id`): a low survey score, a complication, "
        "an invitation, a recheck reminder, or a ward reading or round that was missed."
    )
    note: str = strawberry.field(
        description="The outcome: what was done or agreed with the client, and why it can close."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The task is done: off your list and out of the overdue count.")
class TaskCompleted:
    task: FollowUpTask = strawberry.field(description="The task, now DONE.")
    closed_at: datetime = strawberry.field(description="When it was closed.")


CompleteTaskResult = Annotated[
    TaskCompleted | TransitionNotAllowed | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("CompleteTaskResult"),
]


async def complete_task(info: Info[Context, None], input: CompleteTaskInput) -> CompleteTaskResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    problems = check_text("note", input.note, required=True)
    if not input.task_id or len(input.task_id) > TASK_ID_LIMIT:
        problems.extend(check_text("taskId", None, required=True))
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        problems.append(bad_key)
    if problems:
        return from_domain(DomainValidationFailed(problems))
    task = await TaskRow.get_or_none(id=str(input.task_id), clinic_id=claims.clinic_id)
    if task is None:
        return await idempotency.refusal_or_conflict(info, actor.user_id, input, not_found("task"))
    holder = rules.TaskHolder(known_role(task.assignee_role), task.assignee_id)
    if not rules.may_close(holder, actor.role, actor.user_id):
        return not_authorized("only the task's assignee or a supervisor may close it")
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    note = input.note.strip()
    request = _closing_request(ledger)
    closed = await TaskClosing.get_or_none(task_id=task.id)
    if closed is not None and _closed_by(closed, request, actor.user_id, note):
        # A retry (even of an attempt cut off before its key was settled): the first answer,
        # with the task read afresh (read before the claim, it may be the task before the
        # closing of an attempt of this request racing this one).
        await idempotency.settle(actor.user_id, input, task.id)
        return await _completed(await TaskRow.get(id=task.id), closed)
    refusal = rules.state_refusal(TaskKind(task.kind), TaskStatus(task.status))
    if refusal is not None:
        return _refused(DomainTransitionNotAllowed(refusal))
    try:
        closed = await _close(task, actor.user_id, actor.role, note, request)
    except _AlreadyClosed:
        closed = await TaskClosing.get_or_none(task_id=task.id)
        if closed is None or not _closed_by(closed, request, actor.user_id, note):
            return _refused(DomainTransitionNotAllowed("the task is already done"))
        # An attempt of this very request racing with this one closed it first: its answer.
    journey = await JourneyRow.get_or_none(id=task.journey_id)
    if journey is not None:
        note_write(info, journey.client_id)
    await idempotency.settle(actor.user_id, input, task.id)
    return await _completed(await TaskRow.get(id=task.id), closed)


class _AlreadyClosed(Exception):
    """Someone closed it between our read and our write."""


def _closing_request(ledger: KeyClaim | None) -> str:
    """The `request_id` this request's closing carries: the one every attempt of it derives
    from its key's claim; without a key, one of its own (no later call is a retry of it)."""
    return idempotency.derived_id(ledger, CLOSING_KIND) or request_of_its_own()


def _closed_by(closed: TaskClosing, request: str, by: str, note: str) -> bool:
    """Whether an attempt of this very request (`request`, `_closing_request`) wrote `closed`.
    Matching the closer and the note alone took the closer's own new request with the same
    note for a retry, answered done where any other second closing is refused."""
    if closed.request_id is not None:
        return closed.request_id == request
    # Written before closings kept their request (0052), or by a process of that release in a
    # rolling deploy (an attempt of this very request among them): matched as then, by closer
    # and note, so a retry of a request of that release answers as it did.
    return (closed.closed_by, closed.note) == (by, note)


async def _close(task: TaskRow, by: str, role: Role, note: str, request: str) -> TaskClosing:
    now = datetime.now(UTC)
    try:
        async with in_transaction():
            closed = await TaskClosing.create(
                task_id=task.id,
                clinic_id=task.clinic_id,
                journey_id=task.journey_id,
                kind=task.kind,
                closed_by=by,
                closed_by_role=role.value,
                closed_at=now,
                note=note,
                request_id=request,
            )
            still_open = TaskRow.filter(id=task.id, status=TaskStatus.OPEN.value)
            if not await still_open.update(status=TaskStatus.DONE.value, updated_at=now):
                raise _AlreadyClosed
            await TaskChangeLog.create(clinic_id=task.clinic_id, task_id=task.id, at=now)
    except IntegrityError:
        raise _AlreadyClosed from None
    return closed


def _refused(error: DomainError) -> CompleteTaskResult:
    return from_domain(error)


async def _completed(task: TaskRow, closed: TaskClosing) -> TaskCompleted:
    lateness = await lateness_of(task.clinic_id)
    overdue = task.status == TaskStatus.OPEN.value and lateness.is_overdue(
        TaskKind(task.kind), task.due_at, datetime.now(UTC), task.label
    )
    return TaskCompleted(task=FollowUpTask.from_row(task, overdue), closed_at=closed.closed_at)
