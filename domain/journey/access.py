"""Who may take which action now, and why not: the one gate every journey action passes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain.errors import NotAuthorized, TransitionNotAllowed
from domain.journey.facts import ActionRequest, Actor, JourneyFacts
from domain.journey.machine import may, triggers_from
from domain.journey.rules import JourneyRules
from domain.journey.stages import Stage
from domain.journey.table import (
    CONDITION_REASONS,
    EXPERT_OWNS_IN,
    OWNED_BY_CONSULTANT,
    OWNED_BY_EXPERT,
    OWNED_BY_TREATING_EXPERT,
    ROLES,
    TRANSITIONS,
    UNLESS_REASONS,
    Action,
)
from domain.journey.validation import validate_details
from domain.roles import Role

# Actions staff see in `availableActions`; the journey takes the others by itself.
STAFF_ACTIONS: tuple[Action, ...] = tuple(a for a in Action if ROLES[a] - {Role.SYSTEM})
# What the API takes on a journey that missed its desk's day's-end release by sending the
# release first (`autoAssign`, `placeVip`, `assignConsultant`): judged on the journey as the
# release leaves it, back at triage naming nobody.
TAKEN_AFTER_MISSED_RELEASE = frozenset({Action.ASSIGN_CONSULTANT})


@dataclass(frozen=True)
class Availability:
    action: Action
    allowed: bool
    reason: str | None


def authorization_problem(facts: JourneyFacts, action: Action, actor: Actor) -> str | None:
    allowed_roles = ROLES[action]
    if actor.role not in allowed_roles:
        names = ", ".join(sorted(role.value for role in allowed_roles))
        return f"{action.name} needs one of: {names}"
    owned = actor.role is Role.CONSULTANT and action in OWNED_BY_CONSULTANT
    if owned and actor.user_id != facts.consultant_id:
        return "only the journey's consultant may do this"
    reviewing = facts.stage is EXPERT_OWNS_IN and action in OWNED_BY_EXPERT
    if reviewing and actor.user_id != facts.expert_id:
        return "only the expert asked for the review may decide it"
    if action in OWNED_BY_TREATING_EXPERT and actor.user_id != facts.expert_id:
        return "only the journey's expert may override a contraindication"
    return None


def transition_problem(facts: JourneyFacts, request: ActionRequest) -> str | None:
    """None when the machine would take the action; else the first reason it would not."""
    if facts.stage.is_terminal:
        return f"the journey has ended ({facts.stage.value})"
    if request.action not in triggers_from(facts.stage):
        return f"not possible in stage {facts.stage.value}"
    if may(facts, request):
        return None
    rules = JourneyRules(facts, request)
    for row in TRANSITIONS:
        if row["trigger"] != request.action.value or not _leaves(row, facts):
            continue
        for name in row.get("conditions", []):
            if not getattr(rules, name)():
                return CONDITION_REASONS[name]
        for name in row.get("unless", []):
            if getattr(rules, name)():
                return UNLESS_REASONS[name]
    return f"not possible in stage {facts.stage.value}"


def _leaves(row: dict[str, object], facts: JourneyFacts) -> bool:
    source = row["source"]
    return source == facts.stage or (isinstance(source, list) and facts.stage in source)


def check_action(facts: JourneyFacts, request: ActionRequest) -> None:
    """Raises the refusal a staff member should hear; returns when the action may go ahead."""
    problem = authorization_problem(facts, request.action, request.actor)
    if problem:
        raise NotAuthorized(problem)
    if facts.stage.is_terminal or request.action not in triggers_from(facts.stage):
        raise TransitionNotAllowed(transition_problem(facts, request) or "not possible now")
    validate_details(facts, request.action, request.details)
    problem = transition_problem(facts, request)
    if problem:
        raise TransitionNotAllowed(problem)


def available_actions(
    facts: JourneyFacts,
    actor: Actor,
    *,
    missed_release: bool = False,
    outliving_consent: bool = False,
) -> list[Availability]:
    """Every staff action of the machine, with whether `actor` may take it now and why not.

    Conditions that depend on what the action will carry (a guardian's signature, the amount)
    are judged as if the action carried what it needs: they are explained when it is tried.
    `missed_release`: the journey missed its desk's day's-end release, which the API sends
    before the actions `TAKEN_AFTER_MISSED_RELEASE`. `outliving_consent`: the journey has
    ended and a consent of it that outlives it is in force (`domain.consent.after_journey`):
    the API withdraws that one without the journey, so only who asks is judged.
    """
    released = replace(facts, stage=Stage.TRIAGE, consultant_id=None)
    withdrawable = outliving_consent and facts.stage.is_terminal
    result = []
    for action in STAFF_ACTIONS:
        judged = released if missed_release and action in TAKEN_AFTER_MISSED_RELEASE else facts
        reason = authorization_problem(judged, action, actor)
        if reason is None and not (withdrawable and action is Action.WITHDRAW_CONSENT):
            reason = _stage_problem(judged, action)
        result.append(Availability(action, reason is None, reason))
    return result


def _stage_problem(facts: JourneyFacts, action: Action) -> str | None:
    if facts.stage.is_terminal:
        return f"the journey has ended ({facts.stage.value})"
    if action not in triggers_from(facts.stage):
        return f"not possible in stage {facts.stage.value}"
    rules = JourneyRules(facts)
    for row in TRANSITIONS:
        if row["trigger"] != action.value or not _leaves(row, facts):
            continue
        blocked = [n for n in row.get("conditions", []) if n in _STANDING and not _holds(rules, n)]
        blocked += [n for n in row.get("unless", []) if getattr(rules, n)()]
        if not blocked:
            return None
    return _first_reason(facts, action, rules)


# Conditions that depend only on the journey, not on what the action will carry.
_STANDING = frozenset(
    {
        "is_recheck",
        "consultation_recorded",
        "treatment_started",
        "consents_complete",
        "has_signed_consent",
        "cleared_for_treatment",
        "follow_up_is_due",
        "has_payment",
    }
)


def _holds(rules: JourneyRules, name: str) -> bool:
    return bool(getattr(rules, name)())


def _first_reason(facts: JourneyFacts, action: Action, rules: JourneyRules) -> str:
    for row in TRANSITIONS:
        if row["trigger"] != action.value or not _leaves(row, facts):
            continue
        for name in row.get("conditions", []):
            if name in _STANDING and not _holds(rules, name):
                return CONDITION_REASONS[name]
        for name in row.get("unless", []):
            if _holds(rules, name):
                return UNLESS_REASONS[name]
    return f"not possible in stage {facts.stage.value}"
