"""Who takes a task over from a member of staff who may no longer do it."""

from __future__ import annotations

from domain.aftercare.closing import TaskHolder, may_close
from domain.aftercare.departures import GOES_TO_THE_JOURNEY_S_EXPERT, TAKERS
from domain.aftercare.tasks import FollowUpAssignee, TaskKind, caller_assignment
from domain.roles import Role


def test_every_kind_of_task_has_a_taker_who_may_close_it() -> None:
    # A kind added without one would stay with an account nobody reads when its holder left.
    assert set(TAKERS) == set(TaskKind)
    for kind, taker in TAKERS.items():
        assert may_close(TaskHolder(taker, None), taker, "anyone-of-the-role"), kind
    assert set(TAKERS) >= GOES_TO_THE_JOURNEY_S_EXPERT


def test_calls_go_where_the_projection_sends_those_of_a_consultant_who_left() -> None:
    # `callers.calling_consultant` answers None for one who left: the calls' assignee then.
    departed = caller_assignment(None, FollowUpAssignee.OWNING_CONSULTANT)
    assert TAKERS[TaskKind.FOLLOW_UP_CALL] is departed.role is Role.FOLLOW_UP_STAFF
    assert TAKERS[TaskKind.RECHECK] is departed.role
