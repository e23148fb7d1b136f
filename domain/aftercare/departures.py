"""Who takes a task over when the member of staff it names may no longer do it: the account
was deactivated, or given a role other than the one the task was written for.

Each kind goes where the task projection sends it when the person it would name is not there,
so a later write of the same task (a call rewritten with its journey's next event) leaves it
where it was moved to: calls and recheck reminders to the follow-up staff
(`store.callers.calling_consultant`), an invitation back to the supervisors (`_invite_back`
with no consultant), a complication and the ward round after an operation to the journey's
approving expert while they are still a doctor of the clinic, else to any doctor
(`_write_complication`, `ward_tasks`); the kinds written for a whole role stay with that role's
pool.
"""

from __future__ import annotations

from domain.aftercare.tasks import TaskKind
from domain.roles import Role

TAKERS: dict[TaskKind, Role] = {
    TaskKind.FOLLOW_UP_CALL: Role.FOLLOW_UP_STAFF,
    TaskKind.RECHECK: Role.FOLLOW_UP_STAFF,
    TaskKind.INVITATION: Role.SUPERVISOR,
    TaskKind.COMPLICATION: Role.EXPERT,
    TaskKind.LOW_SURVEY_SCORE: Role.SUPERVISOR,
    TaskKind.PHOTO: Role.NURSE,
    TaskKind.WARD_READING: Role.NURSE,
    TaskKind.WARD_ROUND: Role.EXPERT,
}
# A kind written for one person that names the journey's expert when it has to move.
GOES_TO_THE_JOURNEY_S_EXPERT = frozenset({TaskKind.COMPLICATION, TaskKind.WARD_ROUND})
