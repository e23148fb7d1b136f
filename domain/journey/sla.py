"""Stage SLAs: how long a journey may wait in a stage before a supervisor must look at it.

Defaults come from the sources: a client waits at most 10 minutes for a consultant (seed 004);
consent may take a second or third talk, so it gets days, not hours; three unanswered calls need
a person to decide what next. Clinics override any of them, per stage or per stage and visit
category.

A due follow-up call makes its journey stuck at the moment the task lists count it overdue: by
its handbook window (`domain.aftercare.call_windows`: a call of the first day once 24 hours after
the treatment are over), any other once the clinic's allowance past its due time has passed
(`aftercarePolicy.overdueAfterHours`, a stricter one for a first-day call too). The journey
keeps the allowance as it stood at the handover (`JourneyFacts.follow_up_allowance_seconds`); a
journey handed over before it was kept has a day. A journey whose run was started before the
windows (`JourneyFacts.follow_up_call_windows` unset) keeps a day past every call's due time.

Each rule says why in words and in a code (`domain.journey.stuck_reasons.StuckReason`), and the
breach carries both: the journey keeps them as it is marked stuck (`domain.journey.effects`), so
the words may be reworded without changing what the journeys marked before read as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.aftercare.call_windows import call_grace, window_grace, window_of
from domain.journey.facts import FollowUp, JourneyFacts
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage, VisitCategory
from domain.journey.stuck_reasons import StuckReason

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

DEFAULT_STAGE_SLAS: dict[Stage, int] = {
    Stage.RECEPTION: 1 * DAY,  # a booking whose client never arrived and was not marked no-show
    Stage.TRIAGE: 10 * MINUTE,
    Stage.CONSULTATION: 2 * HOUR,
    Stage.EXPERT_REVIEW: 1 * HOUR,
    Stage.CONSENT: 3 * DAY,
    Stage.PAYMENT: 2 * DAY,
    Stage.TREATMENT: 1 * DAY,  # not started on the booked day
    Stage.HANDOVER: 2 * HOUR,  # treatment ended, the consultant not yet told
}
FOLLOW_UP_GRACE = 1 * DAY
UNANSWERED_CALLS_LIMIT = 3
UNANSWERED = StuckReason.FOLLOW_UP_CALLS_UNANSWERED


def sla_key(stage: Stage, category: VisitCategory | None = None) -> str:
    """Keys of a clinic's overrides: "CONSENT", or "CONSENT:RECHECK" for one visit category."""
    return f"{stage.value}:{category.value}" if category else stage.value


def resolve_slas(category: VisitCategory, overrides: dict[str, int]) -> dict[str, int]:
    """The SLA seconds per stage for one journey: category override, stage override, default."""
    resolved = {}
    for stage, default in DEFAULT_STAGE_SLAS.items():
        specific = overrides.get(sla_key(stage, category))
        resolved[stage.value] = (
            specific if specific is not None else overrides.get(sla_key(stage), default)
        )
    return resolved


@dataclass(frozen=True)
class Breach:
    deadline: datetime
    reason: str
    code: StuckReason


def next_breach(facts: JourneyFacts) -> Breach | None:
    """When, and why, the journey will count as stuck if nothing happens; None if it cannot."""
    if facts.stage.is_terminal:
        return None
    if facts.stage is Stage.FOLLOW_UP:
        return _follow_up_breach(facts)
    seconds = facts.stage_slas.get(facts.stage.value)
    if seconds is None or facts.stage_entered_at is None:
        return None
    waited = _human(seconds)
    return Breach(
        facts.stage_entered_at + timedelta(seconds=seconds),
        f"{facts.stage.value} for more than {waited}",
        StuckReason.STAGE_OVERDUE,
    )


def _follow_up_breach(facts: JourneyFacts) -> Breach | None:
    due = [f for f in facts.follow_ups if f.status is FollowUpStatus.DUE]
    for follow_up in due:
        unanswered = follow_up.outcome is FollowUpOutcome.NOT_REACHED
        if unanswered and follow_up.attempts >= UNANSWERED_CALLS_LIMIT:
            return Breach(follow_up.due_at, _unanswered(follow_up), UNANSWERED)
    if not due:
        return None
    if not facts.follow_up_call_windows:  # a run started before the windows: as it ran then
        oldest = min(due, key=lambda f: f.due_at)
        late = oldest.due_at + timedelta(seconds=FOLLOW_UP_GRACE)
        return Breach(late, _a_day_late(oldest), StuckReason.FOLLOW_UP_CALL_OVERDUE)
    allowance = allowance_of(facts)
    return min((_call_breach(f, allowance) for f in due), key=lambda b: b.deadline)


def allowance_of(facts: JourneyFacts) -> timedelta:
    """How long the journey's clinic lets a call stay open past its due time, as it stood at the
    handover; a day for a journey handed over before it was kept."""
    seconds = facts.follow_up_allowance_seconds
    return timedelta(seconds=FOLLOW_UP_GRACE if seconds is None else seconds)


def call_deadline(
    follow_up: FollowUp, allowance: timedelta = timedelta(seconds=FOLLOW_UP_GRACE)
) -> datetime:
    """When a due call makes its journey stuck: when the task lists count it overdue with the
    clinic's allowance (`domain.aftercare.tasks.Lateness.late_at`)."""
    return follow_up.due_at + call_grace(follow_up.label, allowance)


def _call_breach(follow_up: FollowUp, allowance: timedelta) -> Breach:
    deadline = call_deadline(follow_up, allowance)
    outside = _outside_window(follow_up)
    grace = window_grace(follow_up.label)
    if outside is None or grace is None or allowance < grace:  # the clinic's allowance ends first
        return Breach(deadline, _late(follow_up, allowance), StuckReason.FOLLOW_UP_CALL_OVERDUE)
    return Breach(deadline, outside, StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED)


def _unanswered(follow_up: FollowUp) -> str:
    return f"follow-up {follow_up.label}: three unanswered calls"


def _outside_window(follow_up: FollowUp) -> str | None:
    window = window_of(follow_up.label)
    if window is None:
        return None
    hours = int(window.closes.total_seconds()) // HOUR
    return f"follow-up {follow_up.label} not made within {hours} hours of the treatment"


def _a_day_late(follow_up: FollowUp) -> str:
    return f"follow-up {follow_up.label} overdue by more than a day"


def _late(follow_up: FollowUp, allowance: timedelta) -> str:
    """The words of a call past the clinic's allowance: a day's as they always read."""
    seconds = int(allowance.total_seconds())
    if seconds == FOLLOW_UP_GRACE:
        return _a_day_late(follow_up)
    if seconds == 0:
        return f"follow-up {follow_up.label} overdue"
    return f"follow-up {follow_up.label} overdue by more than {_human(seconds)}"


def breached(facts: JourneyFacts, now: datetime) -> Breach | None:
    breach = next_breach(facts)
    return breach if breach is not None and breach.deadline <= now else None


def _human(seconds: int) -> str:
    if seconds % DAY == 0:
        return f"{seconds // DAY} day(s)"
    if seconds % HOUR == 0:
        return f"{seconds // HOUR} hour(s)"
    return f"{seconds // MINUTE} minute(s)" if seconds >= MINUTE else f"{seconds} second(s)"
