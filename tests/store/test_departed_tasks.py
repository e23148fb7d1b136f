"""The open tasks of an account that may no longer do them move with the change that says so, on
the real database: all of a deactivated account's, those of another role after a role change,
each logged once for the live lists; in a few statements however many there are."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.aftercare.tasks import TaskKind
from domain.roles import Role
from domain.store import departed_tasks
from domain.store.administration import update_account
from domain.store.aftercare import FollowUpTask, TaskChangeLog
from domain.store.models import Clinic, Journey, StaffAccount
from tests.staff_rows import staff_account
from tests.store.money_rows import journey

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MANY = 1_200  # more than one batch


def _task(
    clinic_id: str,
    kind: TaskKind,
    role: Role,
    holder: str | None,
    status: str = "OPEN",
    journey_id: str = "journey-1",
) -> FollowUpTask:
    return FollowUpTask(
        id=f"task-{uuid.uuid4()}",
        clinic_id=clinic_id,
        journey_id=journey_id,
        kind=kind.value,
        status=status,
        due_at=NOW + timedelta(days=365),
        assignee_role=role.value,
        assignee_id=holder,
        updated_at=NOW,
    )


async def _clinic() -> tuple[str, StaffAccount]:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name="Departures")
    consultant = await staff_account(clinic_id, f"{clinic_id}-consultant", Role.CONSULTANT)
    return clinic_id, consultant


async def _holder_of(task_id: str) -> tuple[str, str | None]:
    task = await FollowUpTask.get(id=task_id)
    return task.assignee_role, task.assignee_id


async def _holding_many(clinic_id: str, me: str) -> list[FollowUpTask]:
    """Many calls, a reminder and an invitation of the consultant's; a call of theirs already
    done, and a call of the follow-up staff's shared list. The open ones of theirs first."""
    calls = [_task(clinic_id, TaskKind.FOLLOW_UP_CALL, Role.CONSULTANT, me) for _ in range(MANY)]
    reminder = _task(clinic_id, TaskKind.RECHECK, Role.CONSULTANT, me)
    invitation = _task(clinic_id, TaskKind.INVITATION, Role.CONSULTANT, me)
    done = _task(clinic_id, TaskKind.FOLLOW_UP_CALL, Role.CONSULTANT, me, status="DONE")
    shared = _task(clinic_id, TaskKind.FOLLOW_UP_CALL, Role.FOLLOW_UP_STAFF, None)
    tasks = [*calls, reminder, invitation, done, shared]
    await FollowUpTask.bulk_create(tasks, batch_size=500)
    return tasks


async def test_a_deactivated_account_hands_on_every_open_task_it_holds() -> None:
    # Given a consultant holding many calls, a reminder and an invitation, one call already
    # done, and a call of the follow-up staff's shared list
    clinic_id, consultant = await _clinic()
    me = str(consultant.id)
    tasks = await _holding_many(clinic_id, me)
    *calls, reminder, invitation, done, shared = tasks
    # When the account is deactivated
    await update_account(consultant, None, False, None)
    # Then its open tasks are the follow-up staff's and the supervisors', none its own
    assert await FollowUpTask.filter(assignee_id=me, status="OPEN").count() == 0
    assert await _holder_of(calls[0].id) == ("FOLLOW_UP_STAFF", None)
    assert await _holder_of(calls[-1].id) == ("FOLLOW_UP_STAFF", None)
    assert await _holder_of(reminder.id) == ("FOLLOW_UP_STAFF", None)
    assert await _holder_of(invitation.id) == ("SUPERVISOR", None)
    # And the done call, and the shared one, are as they were, and only the moved are logged
    assert await _holder_of(done.id) == ("CONSULTANT", me)
    assert (await FollowUpTask.get(id=shared.id)).updated_at == NOW
    logged = await TaskChangeLog.filter(clinic_id=clinic_id).values_list("task_id", flat=True)
    assert sorted(logged) == sorted(t.id for t in [*calls, reminder, invitation])


async def test_handing_on_many_tasks_takes_a_few_statements(sqlite_trips: list[str]) -> None:
    # Given a consultant holding many tasks
    clinic_id, consultant = await _clinic()
    await _holding_many(clinic_id, str(consultant.id))
    sqlite_trips.clear()
    # When the account is deactivated
    await update_account(consultant, None, False, None)
    # Then it took a few statements, not one per task
    assert len(sqlite_trips) < 40, sqlite_trips


async def test_a_new_role_hands_on_only_the_tasks_written_for_another_role() -> None:
    # Given an account holding a consultant's call and a doctor's complication
    clinic_id, consultant = await _clinic()
    me = str(consultant.id)
    call = _task(clinic_id, TaskKind.FOLLOW_UP_CALL, Role.CONSULTANT, me)
    complication = _task(clinic_id, TaskKind.COMPLICATION, Role.EXPERT, me)
    await FollowUpTask.bulk_create([call, complication])
    # When the account is made a doctor's
    await update_account(consultant, Role.EXPERT, None, None)
    # Then the call goes to the follow-up staff, the complication stays
    assert await _holder_of(call.id) == ("FOLLOW_UP_STAFF", None)
    assert await _holder_of(complication.id) == ("EXPERT", me)
    assert await TaskChangeLog.filter(clinic_id=clinic_id).values_list("task_id", flat=True) == [
        call.id
    ]


async def test_a_leaving_doctor_s_complications_go_to_each_journey_s_expert_still_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a doctor holding complications of journeys approved by a doctor still here, by one
    # who has left, by the leaving doctor, and by none (more than a batch of them)
    monkeypatch.setattr(departed_tasks, "BATCH", 2)
    clinic_id, _ = await _clinic()
    leaving = await staff_account(clinic_id, f"{clinic_id}-leaving", Role.EXPERT)
    here = await staff_account(clinic_id, f"{clinic_id}-here", Role.EXPERT)
    gone = await staff_account(clinic_id, f"{clinic_id}-gone", Role.EXPERT)
    await StaffAccount.filter(id=gone.id).update(active=False)
    approvers = [str(here.id), str(gone.id), str(leaving.id), None, str(here.id)]
    tasks = []
    for approver in approvers:
        journey_id = await journey(clinic_id, NOW)
        await Journey.filter(id=journey_id).update(facts={"expert_id": approver})
        tasks.append(
            _task(
                clinic_id,
                TaskKind.COMPLICATION,
                Role.EXPERT,
                str(leaving.id),
                journey_id=journey_id,
            )
        )
    await FollowUpTask.bulk_create(tasks)
    # When the doctor leaves
    await update_account(leaving, None, False, None)
    # Then each goes to its journey's expert while still here, else to any doctor
    assert [await _holder_of(t.id) for t in tasks] == [
        ("EXPERT", str(here.id)),
        ("EXPERT", None),
        ("EXPERT", None),
        ("EXPERT", None),
        ("EXPERT", str(here.id)),
    ]
