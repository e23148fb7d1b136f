"""The accounts a journey event's after-care tasks may name, held (`staff_locks.accounts_named`)
before any task is written or touched in the event's transaction, so that none of them is
deactivated or given another role between the check that they are still there and the write."""

from __future__ import annotations

from collections.abc import Sequence

from domain.aftercare.tasks import TaskKind, task_id
from domain.journey.facts import FollowUp, JourneyChange
from domain.journey.stages import FollowUpOutcome
from domain.journey.table import Action
from domain.store.aftercare import FollowUpTask
from domain.store.recheck_tasks import books_a_recheck
from domain.store.staff_locks import accounts_named
from domain.store.treating_doctor import performer_of


def operated(change: JourneyChange) -> bool:
    """The treatment of a journey with a procedure type completed: a surgery's round may follow."""
    done = change.event.action == Action.COMPLETE_TREATMENT.value
    return done and bool(change.facts.procedure_type_version_id)


async def hold_staff_named(change: JourneyChange, touched: Sequence[FollowUp]) -> None:
    """The journey's consultant when its calls, its recheck reminder or its invitation back
    are written (whatever the clinic's setting: tasks naming them may be rewritten, and the
    lock keeps their hand-on from waiting on them row by row); the doctors a complication
    not written yet may go to (`treating_doctor`), and those the ward's round after an operation
    may go to. Nothing read for other events."""
    facts = change.facts
    named: list[str | None] = []
    closed = change.event.action == Action.CLOSE_NOT_CONVERTED.value
    if touched or closed or books_a_recheck(change):
        named.append(facts.consultant_id)
    reported = {
        task_id(facts.journey_id, f.follow_up_id, TaskKind.COMPLICATION)
        for f in touched
        if f.outcome is FollowUpOutcome.COMPLICATION
    }
    if (
        reported and await FollowUpTask.filter(id__in=list(reported)).count() < len(reported)
    ) or operated(change):
        named += [facts.expert_id, await performer_of(facts.journey_id)]
    await accounts_named(named)
