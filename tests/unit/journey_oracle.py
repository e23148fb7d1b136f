"""An independent oracle of a journey's legal moves, written from the domain notes, not the table.

`LEGAL` says, stage by stage, which actions may be taken and where each leads; `WHO` says which
roles take each action; `judge` adds ownership and the details an action must carry, in the
order staff should hear about a refusal: who you are, then whether now is the time, then what
you sent, then whether the journey is ready for it. `Clinic` is the oracle's own memory of a
journey, updated by `advance`; the property test compares it with the machine's facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.errors import ErrorCode
from domain.journey.facts import ActionDetails, ActionRequest, Actor, JourneyFacts
from domain.journey.stages import ConsentKind as K
from domain.journey.stages import ExpertDecision, FollowUpOutcome, PaymentKind, VisitCategory
from domain.journey.stages import FollowUpStatus as F
from domain.journey.stages import Stage as S
from domain.journey.table import Action as A
from domain.roles import Role as R

# No price or payment comes near 100 million in major units; larger figures are typing errors.
MAX_MINOR = 10_000_000_000


def _who(roles: set[R], *actions: A) -> dict[A, frozenset[R]]:
    return {action: frozenset(roles) for action in actions}


WHO: dict[A, frozenset[R]] = {
    # The desk registers arrivals and runs the rotation; a supervisor may stand in.
    **_who({R.FRONT_DESK, R.SUPERVISOR}, A.CHECK_IN, A.ASSIGN_CONSULTANT, A.MARK_NO_SHOW),
    # The consultant consults and hands on; a supervisor may close an unconverted consultation.
    **_who({R.CONSULTANT}, A.RECORD_CONSULTATION, A.REQUEST_EXPERT_REVIEW),
    A.CLOSE_NOT_CONVERTED: frozenset({R.CONSULTANT, R.SUPERVISOR}),
    **_who({R.EXPERT}, A.APPROVE_PLAN, A.REFUSE_MEDICALLY),
    A.OVERRIDE_CONTRAINDICATION: frozenset({R.EXPERT}),  # the expert who approved the plan
    A.SIGN_CONSENT: frozenset({R.CONSULTANT, R.EXPERT, R.NURSE}),  # who witnesses a signature
    A.DEFER_CONSENT: frozenset({R.CONSULTANT, R.EXPERT, R.NURSE}),  # who holds the second talk
    # The client withdraws to whoever is there; supervisors do not act for clients.
    A.WITHDRAW_CONSENT: frozenset({R.FRONT_DESK, R.CONSULTANT, R.EXPERT, R.NURSE}),
    A.RECORD_PAYMENT: frozenset({R.CASHIER}),
    # Money given back before treatment: the cashier (the journey then ends as REFUNDED).
    A.REFUND: frozenset({R.CASHIER, R.SUPERVISOR}),
    **_who({R.EXPERT, R.NURSE}, A.START_TREATMENT, A.COMPLETE_TREATMENT, A.HAND_OVER),
    A.COMPLETE_FOLLOW_UP: frozenset({R.FOLLOW_UP_STAFF, R.SUPERVISOR, R.CONSULTANT}),
    **_who({R.FRONT_DESK, R.CONSULTANT, R.SUPERVISOR}, A.DECLINE, A.CANCEL),
    # Supervisors steer: they close, reassign, nudge and escalate, never consult or treat.
    **_who({R.SUPERVISOR}, A.CLOSE_FOLLOW_UPS, A.NUDGE, A.ESCALATE, A.CLOSE),
    # ... and the triage desk hands a client on (10-minute rule, desk overrides).
    A.REASSIGN: frozenset({R.SUPERVISOR, R.SYSTEM}),
    # ... and hand a waiting review to another expert when the one asked is gone.
    A.REASSIGN_EXPERT_REVIEW: frozenset({R.SUPERVISOR}),
    # The journey's own clock, and the triage desk releasing a client its day left waiting.
    **_who({R.SYSTEM}, A.FOLLOW_UP_DUE, A.MARK_STUCK, A.RETURN_TO_TRIAGE),
}


@dataclass
class Clinic:
    """What the oracle remembers of one journey."""

    category: VisitCategory
    minor: bool
    offsets: list[int]
    stage: S
    consultant: str | None = None
    expert: str | None = None
    consulted: bool = False
    total: int | None = None
    currency: str | None = None
    anesthesia: bool = False
    consents: set[K] = field(default_factory=set)
    paid: int = 0
    installments: bool = False
    started: bool = False
    calls: dict[str, list[Any]] = field(default_factory=dict)  # id -> [due_at, status, attempts]
    # The one thing read from the machine: whether the SLA clock has marked it stuck.
    stuck: bool = False

    @property
    def needed(self) -> set[K]:
        return {K.PROCEDURE, K.ANESTHESIA} if self.anesthesia else {K.PROCEDURE}

    @property
    def settled(self) -> bool:
        return self.installments or self.paid >= (self.total or 0)

    def snapshot(self) -> dict[str, Any]:
        keys = "stage consultant expert consulted total currency anesthesia"
        keys += " consents paid installments started calls"
        return {k: getattr(self, k) for k in keys.split()}


def observed(facts: JourneyFacts) -> dict[str, Any]:
    """The machine's facts in the oracle's terms."""
    return {
        "stage": facts.stage,
        "consultant": facts.consultant_id,
        "expert": facts.expert_id,
        "consulted": facts.consultation_recorded,
        "total": facts.plan_total_minor,
        "currency": facts.currency,
        "anesthesia": facts.requires_anesthesia,
        "consents": set(facts.consents_signed),
        "paid": facts.paid_minor,
        "installments": facts.installment_plan,
        "started": facts.treatment_started,
        "calls": {f.follow_up_id: [f.due_at, f.status, f.attempts] for f in facts.follow_ups},
    }


def from_facts(facts: JourneyFacts) -> Clinic:
    """The oracle's memory of a journey built by other means (plain tests)."""
    seen = observed(facts)
    stuck = facts.stuck_since is not None
    return Clinic(
        facts.visit_category, facts.client_is_minor, facts.follow_up_offsets, **seen, stuck=stuck
    )


Dest = Callable[[Clinic, ActionDetails], S | None]


def go(stage: S) -> Dest:
    return lambda m, d: stage


def stay(m: Clinic, d: ActionDetails) -> S | None:
    return m.stage


def before_start(stage: S) -> Dest:
    return lambda m, d: None if m.started else stage


def when(test: Callable[[Clinic], bool], stage: S) -> Dest:
    return lambda m, d: stage if test(m) else None


def _consent(m: Clinic, d: ActionDetails) -> S | None:
    if m.minor and not d.guardian_signed:
        return None
    if not m.needed <= m.consents | {d.consent_kind}:
        return S.CONSENT
    return S.TREATMENT if m.settled else S.PAYMENT  # a free plan has nothing to pay


def _payment(m: Clinic, d: ActionDetails) -> S | None:
    plan = d.payment_kind is PaymentKind.INSTALLMENT_PLAN
    return S.TREATMENT if plan or m.paid + (d.amount_minor or 0) >= (m.total or 0) else S.PAYMENT


def _late_payment(m: Clinic, d: ActionDetails) -> S | None:
    """The rest of a bill whose deposit moved the journey on: before the treatment starts."""
    return S.TREATMENT if m.needed <= m.consents and not m.started else None


def _refund(m: Clinic, d: ActionDetails) -> S | None:
    return S.REFUNDED if m.paid > 0 and not m.started else None


def _start(m: Clinic, d: ActionDetails) -> S | None:
    cleared = m.category is VisitCategory.RECHECK or (m.needed <= m.consents and m.settled)
    return S.TREATMENT if cleared and not m.started else None


def _withdraw(m: Clinic, d: ActionDetails) -> S | None:
    if not m.consents:
        return None
    if m.started or d.consent_kind not in m.needed:
        return m.stage  # once treated, care goes on; photos or data processing stop nothing
    return S.DECLINED


def _call(m: Clinic, d: ActionDetails) -> S | None:
    others = [c[1] for i, c in m.calls.items() if i != d.follow_up_id]
    last = all(status in (F.DONE, F.CLOSED) for status in others)
    # A complication ends the call too (its care goes on in a linked recheck journey).
    ends_call = d.follow_up_outcome in (FollowUpOutcome.REACHED, FollowUpOutcome.COMPLICATION)
    return S.COMPLETED if ends_call and last else S.FOLLOW_UP


def _triage(m: Clinic, d: ActionDetails) -> S | None:
    return S.TREATMENT if m.category is VisitCategory.RECHECK else S.CONSULTATION


_WATCH: dict[A, Dest] = {
    A.NUDGE: stay,
    A.ESCALATE: stay,
    A.MARK_STUCK: lambda m, d: None if m.stuck else m.stage,
}
_LEAVE: dict[A, Dest] = {A.DECLINE: go(S.DECLINED), A.CANCEL: go(S.CANCELLED)}
_EARLY = {**_WATCH, **_LEAVE, A.CLOSE: go(S.CANCELLED)}
_OWNED = {**_EARLY, A.REASSIGN: stay}

LEGAL: dict[S, dict[A, Dest]] = {
    S.RECEPTION: {A.CHECK_IN: go(S.TRIAGE), A.MARK_NO_SHOW: go(S.NO_SHOW), **_EARLY},
    S.TRIAGE: {A.ASSIGN_CONSULTANT: _triage, **_EARLY},
    S.CONSULTATION: {
        A.RECORD_CONSULTATION: stay,
        A.CLOSE_NOT_CONVERTED: when(lambda m: m.consulted, S.NOT_CONVERTED),
        A.REQUEST_EXPERT_REVIEW: when(lambda m: m.consulted, S.EXPERT_REVIEW),
        A.RETURN_TO_TRIAGE: when(lambda m: not m.consulted, S.TRIAGE),
        **_OWNED,
    },
    S.EXPERT_REVIEW: {
        A.APPROVE_PLAN: go(S.CONSENT),
        A.REFUSE_MEDICALLY: go(S.MEDICALLY_REFUSED),
        A.REASSIGN_EXPERT_REVIEW: stay,
        **_OWNED,
    },
    S.CONSENT: {
        A.SIGN_CONSENT: _consent,
        A.DEFER_CONSENT: stay,
        A.WITHDRAW_CONSENT: _withdraw,
        **_OWNED,
    },
    S.PAYMENT: {
        A.RECORD_PAYMENT: _payment,
        A.REFUND: _refund,
        A.WITHDRAW_CONSENT: _withdraw,
        **_OWNED,
    },
    S.TREATMENT: {
        **_OWNED,
        A.START_TREATMENT: _start,
        A.OVERRIDE_CONTRAINDICATION: before_start(S.TREATMENT),
        A.COMPLETE_TREATMENT: when(lambda m: m.started, S.HANDOVER),
        A.REFUSE_MEDICALLY: before_start(S.MEDICALLY_REFUSED),
        A.DECLINE: before_start(S.DECLINED),
        A.CANCEL: before_start(S.CANCELLED),
        A.MARK_NO_SHOW: before_start(S.NO_SHOW),
        A.CLOSE: before_start(S.CANCELLED),
        A.WITHDRAW_CONSENT: _withdraw,
        A.RECORD_PAYMENT: _late_payment,
        A.REFUND: _refund,
    },
    S.HANDOVER: {
        A.HAND_OVER: go(S.FOLLOW_UP),
        **_WATCH,
        A.REASSIGN: stay,
        A.WITHDRAW_CONSENT: _withdraw,
    },
    S.FOLLOW_UP: {
        A.WITHDRAW_CONSENT: _withdraw,
        A.FOLLOW_UP_DUE: stay,
        A.COMPLETE_FOLLOW_UP: _call,
        A.CLOSE_FOLLOW_UPS: go(S.COMPLETED),
        **_WATCH,
    },
}


def owner_ok(m: Clinic, action: A, actor: Actor) -> bool:
    """First-consultant ownership; the expert asked for the review decides it."""
    consultant_acts = {
        A.RECORD_CONSULTATION,
        A.REQUEST_EXPERT_REVIEW,
        A.CLOSE_NOT_CONVERTED,
        A.COMPLETE_FOLLOW_UP,  # a consultant calls only the clients they own
    }
    if action in consultant_acts and actor.role is R.CONSULTANT:
        return actor.user_id == m.consultant
    if action in (A.APPROVE_PLAN, A.REFUSE_MEDICALLY) and m.stage is S.EXPERT_REVIEW:
        return actor.user_id == m.expert  # at the pre-treatment check any treating expert may
    if action is A.OVERRIDE_CONTRAINDICATION:
        return actor.user_id == m.expert
    return True


def details_ok(m: Clinic, action: A, d: ActionDetails) -> bool:
    if action is A.ASSIGN_CONSULTANT:
        return bool(d.consultant_id)
    if action is A.REASSIGN:
        handed_from = d.from_consultant_id
        from_ok = handed_from is None or handed_from == m.consultant
        return bool(d.consultant_id) and d.consultant_id != m.consultant and from_ok
    if action is A.REQUEST_EXPERT_REVIEW:
        return bool(d.expert_id)
    if action is A.REASSIGN_EXPERT_REVIEW:
        return bool(d.expert_id) and d.expert_id != m.expert
    if action is A.RETURN_TO_TRIAGE:
        return bool(d.consultant_id) and d.consultant_id == m.consultant
    if action is A.APPROVE_PLAN:
        priced = d.plan_total_minor is not None and 0 <= d.plan_total_minor <= MAX_MINOR
        return d.decision is ExpertDecision.APPROVE and priced and bool(d.currency)
    if action is A.SIGN_CONSENT:
        return d.consent_kind is not None and d.consent_kind not in m.consents
    if action is A.WITHDRAW_CONSENT:
        return d.consent_kind is not None and d.consent_kind in m.consents
    if action is A.RECORD_PAYMENT:
        same_currency = m.currency is None or d.currency == m.currency
        amount_ok = 0 < (d.amount_minor or 0) <= MAX_MINOR
        return amount_ok and d.payment_kind is not None and same_currency
    if action is A.REFUND:
        amount = d.amount_minor or 0
        return amount > 0 and (m.paid <= 0 or amount <= m.paid)
    if action is A.COMPLETE_FOLLOW_UP:
        call = m.calls.get(d.follow_up_id or "")
        unrated = (FollowUpOutcome.NOT_REACHED, FollowUpOutcome.COMPLICATION)
        scored = d.satisfaction in range(1, 6)
        unscored = d.satisfaction is None and d.results_not_asked  # she asked not to be asked
        rated = d.follow_up_outcome in unrated or scored or unscored
        return call is not None and call[1] is F.DUE and d.follow_up_outcome is not None and rated
    return True


def judge(m: Clinic, req: ActionRequest) -> S | ErrorCode:
    """Where the action lands, or the refusal staff should hear."""
    if req.actor.role not in WHO[req.action] or not owner_ok(m, req.action, req.actor):
        return ErrorCode.NOT_AUTHORIZED
    rule = LEGAL.get(m.stage, {}).get(req.action)
    if rule is None:
        return ErrorCode.TRANSITION_NOT_ALLOWED
    if not details_ok(m, req.action, req.details):
        return ErrorCode.VALIDATION_FAILED
    dest = rule(m, req.details)
    return ErrorCode.TRANSITION_NOT_ALLOWED if dest is None else dest


def advance(m: Clinic, req: ActionRequest, now: datetime, dest: S) -> None:
    a, d = req.action, req.details
    if a in (A.ASSIGN_CONSULTANT, A.REASSIGN):
        m.consultant = d.consultant_id
        if a is A.ASSIGN_CONSULTANT and d.expert_id:  # a linked recheck's examining doctor
            m.expert = d.expert_id
    elif a is A.RETURN_TO_TRIAGE:
        m.consultant = None
    elif a is A.RECORD_CONSULTATION:
        m.consulted = True
    elif a in (A.REQUEST_EXPERT_REVIEW, A.REASSIGN_EXPERT_REVIEW):
        m.expert = d.expert_id
    elif a is A.APPROVE_PLAN:
        m.total, m.currency, m.anesthesia = d.plan_total_minor, d.currency, d.requires_anesthesia
    elif a is A.SIGN_CONSENT:
        m.consents.add(d.consent_kind)  # type: ignore[arg-type]
    elif a is A.WITHDRAW_CONSENT:
        m.consents.discard(d.consent_kind)  # type: ignore[arg-type]
    elif a is A.RECORD_PAYMENT:
        m.paid += d.amount_minor or 0
        m.installments |= d.payment_kind is PaymentKind.INSTALLMENT_PLAN
    elif a is A.REFUND:
        m.paid -= d.amount_minor or 0
    elif a is A.START_TREATMENT:
        m.started = True
    elif a is A.HAND_OVER:
        dues = [now + timedelta(seconds=s) for s in sorted(m.offsets)]
        m.calls = {f"fu-{i}": [due, F.SCHEDULED, 0] for i, due in enumerate(dues, start=1)}
    elif a is A.FOLLOW_UP_DUE:
        for call in m.calls.values():
            if call[1] is F.SCHEDULED and call[0] <= now:
                call[1] = F.DUE
    elif a is A.COMPLETE_FOLLOW_UP:
        call = m.calls[d.follow_up_id or ""]
        call[2] += 1
        if d.follow_up_outcome in (FollowUpOutcome.REACHED, FollowUpOutcome.COMPLICATION):
            call[1] = F.DONE
    elif a is A.CLOSE_FOLLOW_UPS:
        for call in m.calls.values():
            if call[1] in (F.SCHEDULED, F.DUE):
                call[1] = F.CLOSED
    m.stage = dest
