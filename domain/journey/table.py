"""The journey's state table and role table: plain data, no side effects.

One table drives the workflow (which transition an action takes), the GraphQL `availableActions`
(what the viewer may do and why not), the role checks and the Mermaid diagram. Conditions are
names of predicates on `domain.journey.rules.JourneyRules`; each has a reason shown to staff when
it blocks an action.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from domain.journey.stages import TERMINAL_STAGES
from domain.journey.stages import Stage as S
from domain.roles import Role


class Action(str, Enum):
    """Triggers of the journey machine; the value is the `transitions` trigger name."""

    CHECK_IN = "check_in"
    ASSIGN_CONSULTANT = "assign_consultant"
    RECORD_CONSULTATION = "record_consultation"
    CLOSE_NOT_CONVERTED = "close_not_converted"
    REQUEST_EXPERT_REVIEW = "request_expert_review"
    APPROVE_PLAN = "approve_plan"
    REFUSE_MEDICALLY = "refuse_medically"
    SIGN_CONSENT = "sign_consent"
    DEFER_CONSENT = "defer_consent"
    WITHDRAW_CONSENT = "withdraw_consent"
    RECORD_PAYMENT = "record_payment"
    REFUND = "refund"
    START_TREATMENT = "start_treatment"
    OVERRIDE_CONTRAINDICATION = "override_contraindication"
    COMPLETE_TREATMENT = "complete_treatment"
    HAND_OVER = "hand_over"
    FOLLOW_UP_DUE = "follow_up_due"
    COMPLETE_FOLLOW_UP = "complete_follow_up"
    CLOSE_FOLLOW_UPS = "close_follow_ups"
    DECLINE = "decline"
    CANCEL = "cancel"
    MARK_NO_SHOW = "mark_no_show"
    MARK_STUCK = "mark_stuck"
    REASSIGN = "reassign"
    REASSIGN_EXPERT_REVIEW = "reassign_expert_review"
    RETURN_TO_TRIAGE = "return_to_triage"
    NUDGE = "nudge"
    ESCALATE = "escalate"
    CLOSE = "close"


# Stages a client can still walk away from: everything before the treatment has begun.
BEFORE_TREATMENT = [
    S.RECEPTION,
    S.TRIAGE,
    S.CONSULTATION,
    S.EXPERT_REVIEW,
    S.CONSENT,
    S.PAYMENT,
    S.TREATMENT,
]

ACTIVE = [*BEFORE_TREATMENT, S.HANDOVER, S.FOLLOW_UP]
# Stages where a consultant owns the journey and a supervisor may hand it to another.
OWNED = [S.CONSULTATION, S.EXPERT_REVIEW, S.CONSENT, S.PAYMENT, S.TREATMENT, S.HANDOVER]

# Order matters where one trigger has several rows: `transitions` takes the first whose
# conditions hold (e.g. the consent that completes the set moves on to payment).
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "check_in", "source": S.RECEPTION, "dest": S.TRIAGE},
    {
        "trigger": "assign_consultant",
        "source": S.TRIAGE,
        "dest": S.TREATMENT,
        "conditions": ["is_recheck"],
    },
    {
        "trigger": "assign_consultant",
        "source": S.TRIAGE,
        "dest": S.CONSULTATION,
        "unless": ["is_recheck"],
    },
    {"trigger": "record_consultation", "source": S.CONSULTATION, "dest": S.CONSULTATION},
    {
        "trigger": "close_not_converted",
        "source": S.CONSULTATION,
        "dest": S.NOT_CONVERTED,
        "conditions": ["consultation_recorded"],
    },
    {
        "trigger": "request_expert_review",
        "source": S.CONSULTATION,
        "dest": S.EXPERT_REVIEW,
        "conditions": ["consultation_recorded"],
    },
    {"trigger": "approve_plan", "source": S.EXPERT_REVIEW, "dest": S.CONSENT},
    {"trigger": "refuse_medically", "source": S.EXPERT_REVIEW, "dest": S.MEDICALLY_REFUSED},
    {
        "trigger": "refuse_medically",
        "source": S.TREATMENT,
        "dest": S.MEDICALLY_REFUSED,
        "unless": ["treatment_started"],
    },
    {  # a free plan (a trial at price 0) has nothing to pay: straight on to treatment
        "trigger": "sign_consent",
        "source": S.CONSENT,
        "dest": S.TREATMENT,
        "conditions": ["guardian_signs_for_minor", "completes_required_consents", "bill_settled"],
    },
    {
        "trigger": "sign_consent",
        "source": S.CONSENT,
        "dest": S.PAYMENT,
        "conditions": ["guardian_signs_for_minor", "completes_required_consents"],
    },
    {
        "trigger": "sign_consent",
        "source": S.CONSENT,
        "dest": S.CONSENT,
        "conditions": ["guardian_signs_for_minor"],
    },
    # A doubting client gets a second talk: the journey waits in CONSENT, its SLA running on.
    {"trigger": "defer_consent", "source": S.CONSENT, "dest": S.CONSENT},
    # A consent the treatment needs (the procedure's, the anesthesia's), withdrawn before the
    # treatment began, stops the journey. Any other (photos, data processing) is recorded and
    # the journey goes on, as is any withdrawal once the treatment has begun.
    {
        "trigger": "withdraw_consent",
        "source": [S.CONSENT, S.PAYMENT, S.TREATMENT],
        "dest": S.DECLINED,
        "conditions": ["has_signed_consent", "withdraws_a_required_consent"],
        "unless": ["treatment_started"],
    },
    {
        "trigger": "withdraw_consent",
        "source": [S.CONSENT, S.PAYMENT, S.TREATMENT],
        "dest": None,
        "conditions": ["has_signed_consent"],
        "unless": ["withdraws_a_required_consent", "treatment_started"],
    },
    {
        "trigger": "withdraw_consent",
        "source": [S.TREATMENT, S.HANDOVER, S.FOLLOW_UP],
        "dest": None,
        "conditions": ["has_signed_consent", "treatment_started"],
    },
    {
        "trigger": "record_payment",
        "source": S.PAYMENT,
        "dest": S.TREATMENT,
        "conditions": ["consents_complete", "settles_bill"],
    },
    {
        "trigger": "record_payment",
        "source": S.PAYMENT,
        "dest": S.PAYMENT,
        "conditions": ["consents_complete"],
    },
    # Under a deposit policy the deposit moved the journey on: the rest is paid before the
    # treatment starts (a journey that never took a deposit this way never pays here).
    {
        "trigger": "record_payment",
        "source": S.TREATMENT,
        "dest": S.TREATMENT,
        "conditions": ["consents_complete"],
        "unless": ["treatment_started"],
    },
    # Money given back before the treatment began ends the journey (the client withdraws),
    # unless it corrects a payment taken in error: the journey counts it and goes on. After the
    # treatment began, the refund is the bill's alone (a supervisor's) and the journey goes on.
    # (The ending first: a refund refused is told why by the first row's first reason.)
    {
        "trigger": "refund",
        "source": [S.PAYMENT, S.TREATMENT],
        "dest": S.REFUNDED,
        "conditions": ["has_payment"],
        "unless": ["treatment_started", "corrects_a_payment"],
    },
    {
        "trigger": "refund",
        "source": [S.PAYMENT, S.TREATMENT],
        "dest": None,
        "conditions": ["has_payment", "corrects_a_payment"],
        "unless": ["treatment_started"],
    },
    {
        "trigger": "start_treatment",
        "source": S.TREATMENT,
        "dest": S.TREATMENT,
        "conditions": ["cleared_for_treatment"],
        "unless": ["treatment_started"],
    },
    # The treating expert sets aside one contraindication found at the check on the day; the
    # justification is the event's record. The journey stays where it is.
    {
        "trigger": "override_contraindication",
        "source": S.TREATMENT,
        "dest": None,
        "unless": ["treatment_started"],
    },
    {
        "trigger": "complete_treatment",
        "source": S.TREATMENT,
        "dest": S.HANDOVER,
        "conditions": ["treatment_started"],
    },
    {"trigger": "hand_over", "source": S.HANDOVER, "dest": S.FOLLOW_UP},
    {"trigger": "follow_up_due", "source": S.FOLLOW_UP, "dest": S.FOLLOW_UP},
    {
        "trigger": "complete_follow_up",
        "source": S.FOLLOW_UP,
        "dest": S.COMPLETED,
        "conditions": ["follow_up_is_due", "completes_last_follow_up"],
    },
    {
        "trigger": "complete_follow_up",
        "source": S.FOLLOW_UP,
        "dest": S.FOLLOW_UP,
        "conditions": ["follow_up_is_due"],
    },
    {"trigger": "close_follow_ups", "source": S.FOLLOW_UP, "dest": S.COMPLETED},
    {
        "trigger": "decline",
        "source": BEFORE_TREATMENT,
        "dest": S.DECLINED,
        "unless": ["treatment_started"],
    },
    {
        "trigger": "cancel",
        "source": BEFORE_TREATMENT,
        "dest": S.CANCELLED,
        "unless": ["treatment_started"],
    },
    {
        "trigger": "mark_no_show",
        "source": [S.RECEPTION, S.TREATMENT],
        "dest": S.NO_SHOW,
        "unless": ["treatment_started"],
    },
    # Supervision: a stage SLA breached marks the journey stuck (dest None: no stage change);
    # supervisors act on it without moving the journey, or close it.
    {"trigger": "mark_stuck", "source": ACTIVE, "dest": None, "unless": ["is_stuck"]},
    {"trigger": "reassign", "source": OWNED, "dest": None},
    # The expert asked for the review has left or is away: the review goes to another expert,
    # who then decides it (OWNED_BY_EXPERT); the journey stays where it is.
    {"trigger": "reassign_expert_review", "source": S.EXPERT_REVIEW, "dest": None},
    # The desk's day ended with the client still waiting for the consultant it named: the client
    # waits at triage again, unassigned, for the desk to place anew (a consultation recorded
    # means the consultant did take the client, and the journey stays theirs).
    {
        "trigger": "return_to_triage",
        "source": S.CONSULTATION,
        "dest": S.TRIAGE,
        "unless": ["consultation_recorded"],
    },
    {"trigger": "nudge", "source": ACTIVE, "dest": None},
    {"trigger": "escalate", "source": ACTIVE, "dest": None},
    # A treatment that has begun is never cancelled: it goes on to handover and follow-ups.
    {
        "trigger": "close",
        "source": BEFORE_TREATMENT,
        "dest": S.CANCELLED,
        "unless": ["treatment_started"],
    },
]

_DESK = frozenset({Role.FRONT_DESK, Role.SUPERVISOR})
_CLINICAL = frozenset({Role.EXPERT, Role.NURSE})

# Who may take each action. Clinical acts are never the supervisor's: a supervisor steers the
# journey (assigns, cancels, closes) but does not consult, sign or treat.
ROLES: dict[Action, frozenset[Role]] = {
    Action.CHECK_IN: _DESK,
    Action.ASSIGN_CONSULTANT: _DESK,
    Action.RECORD_CONSULTATION: frozenset({Role.CONSULTANT}),
    Action.CLOSE_NOT_CONVERTED: frozenset({Role.CONSULTANT, Role.SUPERVISOR}),
    Action.REQUEST_EXPERT_REVIEW: frozenset({Role.CONSULTANT}),
    Action.APPROVE_PLAN: frozenset({Role.EXPERT}),
    Action.REFUSE_MEDICALLY: frozenset({Role.EXPERT}),
    Action.SIGN_CONSENT: frozenset({Role.CONSULTANT, Role.EXPERT, Role.NURSE}),
    Action.DEFER_CONSENT: frozenset({Role.CONSULTANT, Role.EXPERT, Role.NURSE}),
    # The client withdraws; whoever they tell records it (the desk too), never a supervisor.
    Action.WITHDRAW_CONSENT: frozenset({Role.FRONT_DESK, Role.CONSULTANT, Role.EXPERT, Role.NURSE}),
    Action.RECORD_PAYMENT: frozenset({Role.CASHIER}),
    Action.REFUND: frozenset({Role.CASHIER, Role.SUPERVISOR}),
    Action.START_TREATMENT: _CLINICAL,
    Action.OVERRIDE_CONTRAINDICATION: frozenset({Role.EXPERT}),
    Action.COMPLETE_TREATMENT: _CLINICAL,
    Action.HAND_OVER: _CLINICAL,
    Action.FOLLOW_UP_DUE: frozenset({Role.SYSTEM}),
    # A consultant makes the calls of the clients they own where the clinic says so (its
    # after-care setting); only on their own journeys (OWNED_BY_CONSULTANT).
    Action.COMPLETE_FOLLOW_UP: frozenset({Role.FOLLOW_UP_STAFF, Role.SUPERVISOR, Role.CONSULTANT}),
    Action.CLOSE_FOLLOW_UPS: frozenset({Role.SUPERVISOR}),
    Action.DECLINE: frozenset({Role.FRONT_DESK, Role.CONSULTANT, Role.SUPERVISOR}),
    Action.CANCEL: frozenset({Role.FRONT_DESK, Role.CONSULTANT, Role.SUPERVISOR}),
    Action.MARK_NO_SHOW: _DESK,
    Action.MARK_STUCK: frozenset({Role.SYSTEM}),
    # SYSTEM here is the triage desk handing a client on (the 10-minute rule, a desk override).
    Action.REASSIGN: frozenset({Role.SUPERVISOR, Role.SYSTEM}),
    Action.REASSIGN_EXPERT_REVIEW: frozenset({Role.SUPERVISOR}),
    # Only the triage desk, releasing a client still waiting when its day ended.
    Action.RETURN_TO_TRIAGE: frozenset({Role.SYSTEM}),
    Action.NUDGE: frozenset({Role.SUPERVISOR}),
    Action.ESCALATE: frozenset({Role.SUPERVISOR}),
    Action.CLOSE: frozenset({Role.SUPERVISOR}),
}

# The only action another part of the system may ask of a journey (as SYSTEM, through the
# journey's update); every other SYSTEM action is the journey's own clock.
REQUESTABLE_BY_SYSTEM = frozenset({Action.REASSIGN, Action.RETURN_TO_TRIAGE})

# Actions that only the staff member the journey names may take (first-consultant ownership,
# the expert asked for the review), besides the role check.
OWNED_BY_CONSULTANT = frozenset(
    {
        Action.RECORD_CONSULTATION,
        Action.REQUEST_EXPERT_REVIEW,
        Action.CLOSE_NOT_CONVERTED,
        Action.COMPLETE_FOLLOW_UP,
    }
)
# At review, only the expert the consultant asked decides (approve or refuse), or the one a
# supervisor handed the review to since (REASSIGN_EXPERT_REVIEW); at the pre-treatment check
# any treating expert may still refuse on medical grounds.
OWNED_BY_EXPERT = frozenset({Action.APPROVE_PLAN, Action.REFUSE_MEDICALLY})
EXPERT_OWNS_IN = S.EXPERT_REVIEW
# Only the journey's own expert (who approved the plan) overrides a contraindication.
OWNED_BY_TREATING_EXPERT = frozenset({Action.OVERRIDE_CONTRAINDICATION})

# Why a condition blocks an action, in the words staff see in `availableActions`.
CONDITION_REASONS: dict[str, str] = {
    "is_recheck": "only for a recheck visit",
    "consultation_recorded": "the consultation has not been recorded yet",
    "treatment_started": "the treatment has not started",
    "guardian_signs_for_minor": "a client under 18 needs a guardian's signature",
    "completes_required_consents": "required consents are still missing",
    "has_signed_consent": "no consent is in force to withdraw",
    "withdraws_a_required_consent": "the treatment does not need that consent",
    "consents_complete": "no payment before the required consents are signed",
    "settles_bill": "the bill is not settled yet",
    "has_payment": "nothing has been paid to give back",
    "corrects_a_payment": "the client withdraws: the journey ends",
    "bill_settled": "the bill is not settled yet",
    "cleared_for_treatment": "no treatment without signed consent and settled payment",
    "follow_up_is_due": "no follow-up is due",
    "completes_last_follow_up": "other follow-ups are still open",
}
UNLESS_REASONS: dict[str, str] = {
    "consultation_recorded": "the consultant has already recorded the consultation",
    "is_stuck": "the journey is already marked stuck",
    "is_recheck": "a recheck goes straight to treatment",
    "treatment_started": "the treatment has already started",
    "withdraws_a_required_consent": "the treatment needs that consent",
    "corrects_a_payment": "a correction of a payment: the journey goes on",
}


# The actions after which a journey may have ended (a transition of theirs leads to a terminal
# stage).
ENDING_ACTIONS = frozenset(
    Action(row["trigger"]) for row in TRANSITIONS if row["dest"] in TERMINAL_STAGES
)
