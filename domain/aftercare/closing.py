"""Closing a task by hand: the tasks nothing else settles.

A follow-up call closes with its own outcome (`completeFollowUp`, `reportComplication`) and a
photo reminder with the photo (`uploadPhoto`); a low survey score or a complication whose
recheck never ends would otherwise stay open, and overdue, for ever.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.roles import Role

# Kinds settled by another action, and the action that settles them (named in the refusal).
SETTLED_ELSEWHERE: dict[TaskKind, str] = {
    TaskKind.FOLLOW_UP_CALL: "a follow-up call closes with its outcome: completeFollowUp or "
    "reportComplication",
    TaskKind.PHOTO: "a photo reminder closes when its photo is uploaded (uploadPhoto), or when "
    "the client takes back the consent she gave to photos for the clinical record",
}
# Besides the task's own assignee, who may close it.
OVERSEERS = frozenset({Role.SUPERVISOR})


@dataclass(frozen=True)
class TaskHolder:
    """Whose list the task is on: a role (None: one this release does not know, whose tasks
    only an overseer closes), and an account when it names one."""

    role: Role | None
    account_id: str | None


def may_close(holder: TaskHolder, role: Role, account_id: str) -> bool:
    if role in OVERSEERS:
        return True
    return role is holder.role and holder.account_id in (None, account_id)


def state_refusal(kind: TaskKind, status: TaskStatus) -> str | None:
    """Why the task cannot be closed by hand, whoever asks; None when it can."""
    if kind in SETTLED_ELSEWHERE:
        return SETTLED_ELSEWHERE[kind]
    if status is not TaskStatus.OPEN:
        return f"the task is already {status.value.lower()}"
    return None
