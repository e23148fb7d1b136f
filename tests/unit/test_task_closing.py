"""Closing a task by hand: who may, and which kinds."""

from __future__ import annotations

from domain.aftercare.closing import TaskHolder, may_close, state_refusal
from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.roles import Role, known_role


def test_the_holder_or_a_supervisor_closes_a_task_and_no_one_else() -> None:
    supervisors = TaskHolder(Role.SUPERVISOR, None)
    doctor = TaskHolder(Role.EXPERT, "expert-1")
    assert may_close(supervisors, Role.SUPERVISOR, "supervisor-2")
    assert may_close(doctor, Role.EXPERT, "expert-1")
    assert may_close(doctor, Role.SUPERVISOR, "supervisor-1")
    assert not may_close(doctor, Role.EXPERT, "expert-2")  # another doctor's task
    assert not may_close(doctor, Role.NURSE, "expert-1")
    assert not may_close(supervisors, Role.FOLLOW_UP_STAFF, "caller-1")


def test_a_task_of_a_role_this_release_does_not_know_is_a_supervisors_to_close() -> None:
    unknown = TaskHolder(known_role("SCRIBE"), None)
    assert unknown.role is None
    assert may_close(unknown, Role.SUPERVISOR, "supervisor-1")
    others = [role for role in Role if role is not Role.SUPERVISOR]
    assert not any(may_close(unknown, role, "anyone") for role in others)
    assert known_role("NURSE") is Role.NURSE


def test_calls_and_photos_close_by_their_own_actions_and_a_task_closes_once() -> None:
    call = state_refusal(TaskKind.FOLLOW_UP_CALL, TaskStatus.OPEN)
    photo = state_refusal(TaskKind.PHOTO, TaskStatus.OPEN)
    assert call is not None and "completeFollowUp" in call
    assert photo is not None and "uploadPhoto" in photo
    assert state_refusal(TaskKind.LOW_SURVEY_SCORE, TaskStatus.OPEN) is None
    assert state_refusal(TaskKind.COMPLICATION, TaskStatus.OPEN) is None
    assert state_refusal(TaskKind.COMPLICATION, TaskStatus.DONE) == "the task is already done"
