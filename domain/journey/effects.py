"""What each action changes in a journey's facts, and the summary its event carries.

Runs after the gate (`access.check_action`) let the action through; pure, so the workflow and
the tests share it. Summaries hold codes and amounts only: never a name or a note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from domain.journey.facts import (
    ActionDetails,
    ActionRequest,
    Actor,
    JourneyEvent,
    JourneyFacts,
)
from domain.journey.followups import schedule_follow_ups
from domain.journey.machine import fire
from domain.journey.sla import breached
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, PaymentKind, Stage
from domain.journey.stuck_reasons import unruled
from domain.journey.table import Action
from domain.money.hundredths import HUNDREDTHS
from domain.money.money import is_currency, minor_units
from domain.roles import Role

Effect = Callable[[JourneyFacts, ActionDetails, datetime], str]


# Amounts kept in hundredths whatever their currency (`domain.money.hundredths`): the final
# plan's price, a payment without a bill, and a refund on a journey paid so. A bill's payments,
# and refunds once a payment named the bill, are at the currency's own minor units.


def _money(minor: int | None, currency: str | None, *, in_hundredths: bool = False) -> str:
    """The amount at its currency's places (1200.00 EUR, 150000 JPY, 1.250 KWD): ISO 4217's,
    from the data Babel carries (static, so a replay writes the same). A code not on ISO's list
    is written as before, in hundredths; a plan's price with more places than its currency has
    (1000.50 JPY, which the plan's input lets through) is written whole, not rounded."""
    places = minor_units(currency) if currency and is_currency(currency) else HUNDREDTHS
    # Decimal, not float: exact for any amount the validators let through.
    amount = Decimal(minor or 0).scaleb(-(HUNDREDTHS if in_hundredths else places))
    shown = places if amount == round(amount, places) else HUNDREDTHS
    return f"{amount:.{shown}f} {currency or ''}".strip()


def _assign(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.consultant_id = d.consultant_id
    if d.expert_id:  # a linked recheck: its owner stays, the pick examines (recheck_owner)
        facts.expert_id = d.expert_id
        return f"assigned to {d.consultant_id}, examined by {d.expert_id}"
    return f"assigned to {d.consultant_id}"


def _consultation(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.consultation_recorded = True
    return "consultation recorded"


def _expert_review(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.expert_id = d.expert_id
    return f"review requested from {d.expert_id}"


def _approve(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.plan_total_minor = d.plan_total_minor
    facts.currency = d.currency
    facts.requires_anesthesia = d.requires_anesthesia
    if d.procedure_type_version_id:
        facts.procedure_type_version_id = d.procedure_type_version_id
    if d.follow_up_offsets:
        facts.follow_up_offsets = list(d.follow_up_offsets)
    anesthesia = ", with anesthesia" if d.requires_anesthesia else ""
    price = _money(d.plan_total_minor, d.currency, in_hundredths=True)
    return f"plan approved at {price}{anesthesia}"


def _consent(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    assert d.consent_kind is not None
    facts.consents_signed.append(d.consent_kind)
    guardian = " by guardian" if d.guardian_signed else ""
    return f"{d.consent_kind.value} consent signed{guardian}"


def _defer_consent(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    return "consent deferred: a second talk"


def _withdraw_consent(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    assert d.consent_kind is not None
    if d.consent_kind in facts.consents_signed:
        facts.consents_signed.remove(d.consent_kind)
    return f"{d.consent_kind.value} consent withdrawn"


def _payment(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.paid_minor += d.amount_minor or 0
    if d.bill_total_minor is not None:
        facts.bill_total_minor = d.bill_total_minor
    if d.payment_kind is PaymentKind.INSTALLMENT_PLAN:
        facts.installment_plan = True
    kind = d.payment_kind.value if d.payment_kind else "payment"
    # Against a bill (`bill_total_minor` given) at the currency's minor units; without, in
    # hundredths. A journey is paid one way or the other, never both (`createBill`).
    amount = _money(d.amount_minor, d.currency, in_hundredths=d.bill_total_minor is None)
    paid = _money(facts.paid_minor, facts.currency, in_hundredths=facts.bill_total_minor is None)
    return f"{kind} {amount} (paid {paid})"


def _refund(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.paid_minor -= d.amount_minor or 0
    # Counted as what was paid is (`schema.money.refunds`): in hundredths on a journey no
    # payment against a bill named.
    amount = _money(d.amount_minor, d.currency, in_hundredths=facts.bill_total_minor is None)
    return f"refund {amount} before treatment"


def _start_treatment(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.treatment_started = True
    return "identity, plan and contraindications verified; treatment started"


def _complete_treatment(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    return f"treatment completed, {d.product_count or 0} product(s) recorded"


def _hand_over(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.follow_ups = schedule_follow_ups(now, facts.follow_up_offsets)
    facts.follow_up_allowance_seconds = d.follow_up_allowance_seconds
    return f"handed over; {len(facts.follow_ups)} follow-ups scheduled"


def _follow_up_due(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    fallen_due = [f for f in facts.follow_ups if f.status is FollowUpStatus.SCHEDULED]
    fallen_due = [f for f in fallen_due if f.due_at <= now]
    for follow_up in fallen_due:
        follow_up.status = FollowUpStatus.DUE
    return "follow-up due: " + ", ".join(f.label for f in fallen_due)


def _complete_follow_up(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    follow_up = facts.follow_up(d.follow_up_id)
    assert follow_up is not None
    follow_up.attempts += 1
    follow_up.outcome = d.follow_up_outcome
    if d.follow_up_outcome is FollowUpOutcome.REACHED:
        follow_up.status = FollowUpStatus.DONE
        follow_up.satisfaction = d.satisfaction
        if d.satisfaction is None:  # she asked not to be asked (never so in an older history)
            return f"follow-up {follow_up.label} done, not asked about her results"
        return f"follow-up {follow_up.label} done, satisfaction {d.satisfaction}"
    if d.follow_up_outcome is FollowUpOutcome.COMPLICATION:
        follow_up.status = FollowUpStatus.DONE
        return f"follow-up {follow_up.label}: complication reported"
    return f"follow-up {follow_up.label}: not reached (attempt {follow_up.attempts})"


def _close_follow_ups(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    open_ones = [
        f for f in facts.follow_ups if f.status in (FollowUpStatus.SCHEDULED, FollowUpStatus.DUE)
    ]
    for follow_up in open_ones:
        follow_up.status = FollowUpStatus.CLOSED
    return f"{len(open_ones)} open follow-up(s) closed by supervisor"


def _mark_stuck(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    breach = breached(facts, now)
    facts.stuck_since = now
    # The code beside the words, from the rule that fired: read back from the words, a rule
    # reworded later would misread the journeys it marked before.
    if breach is not None:
        facts.stuck_reason, facts.stuck_reason_code = breach.reason, breach.code
    else:
        facts.stuck_reason = "stage SLA breached"
        facts.stuck_reason_code = unruled(facts.stage)
    return f"stuck: {facts.stuck_reason}"


def _reassign(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    previous = facts.consultant_id
    facts.consultant_id = d.consultant_id
    return f"reassigned from {previous} to {d.consultant_id}"


def _reassign_review(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    previous = facts.expert_id
    facts.expert_id = d.expert_id
    return f"expert review reassigned from {previous} to {d.expert_id}"


def _return_to_triage(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
    facts.consultant_id = None
    return f"released by the triage desk at the day's end, not taken by {d.consultant_id}"


EFFECTS: dict[Action, Effect] = {
    Action.ASSIGN_CONSULTANT: _assign,
    Action.RECORD_CONSULTATION: _consultation,
    Action.REQUEST_EXPERT_REVIEW: _expert_review,
    Action.APPROVE_PLAN: _approve,
    Action.SIGN_CONSENT: _consent,
    Action.DEFER_CONSENT: _defer_consent,
    Action.WITHDRAW_CONSENT: _withdraw_consent,
    Action.RECORD_PAYMENT: _payment,
    Action.REFUND: _refund,
    Action.START_TREATMENT: _start_treatment,
    Action.OVERRIDE_CONTRAINDICATION: lambda facts, d, now: (
        "contraindication overridden by the treating expert"
    ),
    Action.COMPLETE_TREATMENT: _complete_treatment,
    Action.HAND_OVER: _hand_over,
    Action.FOLLOW_UP_DUE: _follow_up_due,
    Action.COMPLETE_FOLLOW_UP: _complete_follow_up,
    Action.CLOSE_FOLLOW_UPS: _close_follow_ups,
    Action.MARK_STUCK: _mark_stuck,
    Action.REASSIGN: _reassign,
    Action.REASSIGN_EXPERT_REVIEW: _reassign_review,
    Action.RETURN_TO_TRIAGE: _return_to_triage,
    Action.NUDGE: lambda facts, d, now: "nudged by supervisor",
    Action.ESCALATE: lambda facts, d, now: "escalated by supervisor",
}


def apply_action(
    facts: JourneyFacts,
    request: ActionRequest,
    now: datetime,
    *,
    any_withdrawal_declines: bool = False,
) -> JourneyEvent:
    """Moves the journey (facts are changed in place) and returns the event to append.

    The destination is chosen before the effect runs: the table's conditions judge the journey
    as it was plus what the action carries. `any_withdrawal_declines`: for a run that follows
    the rule before optional consents stopped ending a journey (`machine.fire`).
    """
    from_stage = facts.stage
    named_before = facts.consultant_id
    to_stage = fire(facts, request, any_withdrawal_declines=any_withdrawal_declines)
    effect = EFFECTS.get(request.action)
    summary = effect(facts, request.details, now) if effect else _default_summary(to_stage)
    if to_stage is not from_stage:
        facts.stage = to_stage
        facts.stage_entered_at = now
    if facts.stuck_since is not None and (to_stage is not from_stage or not breached(facts, now)):
        # Leaving the stage, or removing the cause (the overdue call made), clears the flag.
        facts.stuck_since = None
        facts.stuck_reason = None
        facts.stuck_reason_code = None
    facts.event_seq += 1
    _note_consultants_first_act(facts, request.actor, named_before)
    return JourneyEvent(
        journey_id=facts.journey_id,
        seq=facts.event_seq,
        action=request.action.value,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=request.actor,
        at=now,
        summary=summary,
        record_id=request.record_id,
    )


def _note_consultants_first_act(
    facts: JourneyFacts, actor: Actor, named_before: str | None
) -> None:
    """Keeps `consultant_first_acted_seq`: cleared when another consultant (or none) is named,
    set at the named consultant's first action after that (`facts.event_seq` is the event's)."""
    if facts.consultant_id != named_before:
        facts.consultant_first_acted_seq = None
    elif (
        facts.consultant_first_acted_seq is None
        and actor.role is Role.CONSULTANT
        and actor.user_id == facts.consultant_id
    ):
        facts.consultant_first_acted_seq = facts.event_seq


def _default_summary(stage: Stage) -> str:
    return f"moved to {stage.value}"
