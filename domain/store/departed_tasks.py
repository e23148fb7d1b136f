"""The open tasks of a member of staff who may no longer do them, handed on with the change that
says so: the account deactivated, or given a role other than the one a task was written for.

A task that names an account is on that account's list alone (`myTasks`), whatever its role,
and only its role may close it. The projection sends a journey's calls elsewhere once their
consultant has left, but only with the journey's next event: a call with none to come (the
year's last), an invitation back, a doctor's complication stayed for months on a list nobody
reads. They move, in the caller's transaction, to whoever takes such a task over
(`domain.aftercare.departures`), each logged in `task_change` so `tasksChanged` pushes it: it
leaves the old holder's list and joins the new holders'. The task itself keeps no history of
its holders (it is a projection); the account's change is the administrator's audit entry.

A statement per taker and per batch, never one per task: an account may hold thousands.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.aftercare.departures import GOES_TO_THE_JOURNEY_S_EXPERT, TAKERS
from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, TaskChangeLog
from domain.store.models import Journey, StaffAccount
from domain.store.sql import db_values, is_postgres, marks
from domain.store.staff_locks import account_changing

# Tasks (and their journeys) read or moved by one statement of a batch: well under SQLite's
# limit of bound values.
BATCH = 500


async def hand_on_tasks(account_id: str, clinic_id: str, role: Role, active: bool) -> int:
    """Moves the open tasks `account_id` holds and may no longer do, being `active` and of
    `role` (none kept when not active; else those written for another role), to who takes each
    kind over. Run inside the transaction that changes the account; how many moved."""
    # Before any task is read: a writer about to name the account writes first, or finds it
    # gone (`staff_locks`, which gives the lock order).
    await account_changing(account_id)
    held = _Held(account_id, clinic_id, None if not active else role)
    db = FollowUpTask._meta.db  # the caller's transaction
    at = datetime.now(UTC)
    moved = await _to_the_journeys_experts(db, held, at)
    takers: dict[Role, list[TaskKind]] = defaultdict(list)
    for kind, taker in TAKERS.items():
        if kind not in GOES_TO_THE_JOURNEY_S_EXPERT:
            takers[taker].append(kind)
    for taker, kinds in takers.items():
        moved += await _move(db, held, kinds, (taker, None), at)
    for start in range(0, len(moved), BATCH):
        logged = moved[start : start + BATCH]
        await TaskChangeLog.bulk_create(
            [TaskChangeLog(clinic_id=clinic_id, task_id=task, at=at) for task in logged]
        )
    return len(moved)


class _Held:
    """The tasks to move: open, in the clinic, naming the account; with `kept_role`, only those
    written for another role (the account keeps the ones its new role does)."""

    def __init__(self, account_id: str, clinic_id: str, kept_role: Role | None) -> None:
        self.account_id, self.clinic_id, self.kept_role = account_id, clinic_id, kept_role

    def conditions(self, postgres: bool, first_mark: int) -> tuple[str, list[Any]]:
        values: list[Any] = [self.clinic_id, self.account_id, TaskStatus.OPEN.value]
        if self.kept_role is not None:
            values.append(self.kept_role.value)
        places = _marks(postgres, first_mark, len(values))
        sql = f"clinic_id = {places[0]} AND assignee_id = {places[1]} AND status = {places[2]}"
        if self.kept_role is not None:
            sql += f" AND assignee_role <> {places[3]}"
        return sql, values


async def _move(
    db: BaseDBAsyncClient,
    held: _Held,
    kinds: Collection[TaskKind],
    taker: tuple[Role, str | None],
    at: datetime,
    among: Sequence[str] = (),
) -> list[str]:
    """One UPDATE: the held tasks of `kinds` (and, when given, of the ids `among`) to `taker`
    (a role, and an account or None: anyone of the role); the ids it moved."""
    postgres = is_postgres(db)
    (stamp,) = db_values(FollowUpTask, {"updated_at": at}, ["updated_at"])
    values: list[Any] = [taker[0].value, taker[1], stamp]
    sets = _marks(postgres, 1, 3)
    where, held_values = held.conditions(postgres, 4)
    values += held_values
    kind_marks = _marks(postgres, len(values) + 1, len(kinds))
    values += [kind.value for kind in kinds]
    where += f" AND kind IN ({', '.join(kind_marks)})"
    if among:
        id_marks = _marks(postgres, len(values) + 1, len(among))
        values += list(among)
        where += f" AND id IN ({', '.join(id_marks)})"
    # As rows: Tortoise's PostgreSQL client reads none back from `execute_query`'s UPDATE.
    rows = await db.execute_query_dict(
        f"UPDATE follow_up_task SET assignee_role = {sets[0]}, assignee_id = {sets[1]},"
        f" updated_at = {sets[2]} WHERE {where} RETURNING id",
        values,
    )
    return [str(row["id"]) for row in rows]


def _marks(postgres: bool, first: int, count: int) -> list[str]:
    """`count` parameter markers numbered from `first` (SQLite's are numbered by their place)."""
    return marks(postgres, first + count - 1)[first - 1 :]


async def _to_the_journeys_experts(db: BaseDBAsyncClient, held: _Held, at: datetime) -> list[str]:
    """Complications, a batch at a time: to the journey's approving expert while they are still
    an active doctor of the clinic (and not the one leaving), else to any doctor."""
    kinds = [kind.value for kind in GOES_TO_THE_JOURNEY_S_EXPERT]
    query = FollowUpTask.filter(
        clinic_id=held.clinic_id,
        assignee_id=held.account_id,
        status=TaskStatus.OPEN.value,
        kind__in=kinds,
    )
    if held.kept_role is not None:
        query = query.exclude(assignee_role=held.kept_role.value)
    moved: list[str] = []
    after = ""
    while True:
        batch = await (
            query.filter(id__gt=after).order_by("id").limit(BATCH).values_list("id", "journey_id")
        )
        if not batch:
            return moved
        after = str(batch[-1][0])
        experts = await _approving_experts(held, {str(journey) for _, journey in batch})
        by_expert: dict[str | None, list[str]] = defaultdict(list)
        for task, journey in batch:
            by_expert[experts.get(str(journey))].append(str(task))
        for expert, tasks in by_expert.items():
            taker = (Role.EXPERT, expert)
            moved += await _move(db, held, GOES_TO_THE_JOURNEY_S_EXPERT, taker, at, tasks)


async def _approving_experts(held: _Held, journey_ids: Collection[str]) -> dict[str, str]:
    """Each journey's approving expert who is an active doctor of the clinic, other than the
    account whose tasks move."""
    facts = await Journey.filter(id__in=list(journey_ids)).values_list("id", "facts")
    named = {str(journey): _expert_of(body) for journey, body in facts}
    candidates = {expert for expert in named.values() if expert and expert != held.account_id}
    doctors = await StaffAccount.filter(
        id__in=list(candidates), clinic_id=held.clinic_id, role=Role.EXPERT.value, active=True
    ).values_list("id", flat=True)
    here = {str(doctor) for doctor in doctors}
    return {journey: expert for journey, expert in named.items() if expert in here}


def _expert_of(facts: Any) -> str | None:
    body = json.loads(facts) if isinstance(facts, str) else facts
    expert = body.get("expert_id") if isinstance(body, dict) else None
    return expert if isinstance(expert, str) else None
