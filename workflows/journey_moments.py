"""When a journey next needs waking: a follow-up falling due, or its stage's SLA breached.
Workflow code: `now` is the workflow's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.journey.facts import FollowUp, JourneyFacts
    from domain.journey.sla import breached, next_breach
    from domain.journey.stages import FollowUpStatus, Stage


def scheduled_follow_ups(facts: JourneyFacts) -> list[FollowUp]:
    if facts.stage is not Stage.FOLLOW_UP:
        return []
    return [f for f in facts.follow_ups if f.status is FollowUpStatus.SCHEDULED]


def follow_up_fell_due(facts: JourneyFacts, now: datetime) -> bool:
    return any(f.due_at <= now for f in scheduled_follow_ups(facts))


def sla_breached(facts: JourneyFacts, now: datetime) -> bool:
    return facts.stuck_since is None and breached(facts, now) is not None


def next_moment(facts: JourneyFacts) -> datetime | None:
    """When the next follow-up falls due or the stage SLA is breached, whichever is first."""
    moments = [f.due_at for f in scheduled_follow_ups(facts)]
    breach = next_breach(facts) if facts.stuck_since is None else None
    if breach is not None:
        moments.append(breach.deadline)
    return min(moments, default=None)


def time_to_next_timer(facts: JourneyFacts, now: datetime) -> timedelta | None:
    """The wait before KEEP_RUNNING_TIMER: a timer per wait, until the next moment."""
    moment = next_moment(facts)
    if moment is None:
        return None
    # A zero timeout would mean "no timeout": a moment already past fires in a second.
    return max(moment - now, timedelta(seconds=1))
