"""The vocabulary of a journey: stages, outcomes, visit categories and the codes actions carry."""

from __future__ import annotations

from enum import Enum


class Stage(str, Enum):
    RECEPTION = "RECEPTION"
    TRIAGE = "TRIAGE"
    CONSULTATION = "CONSULTATION"
    EXPERT_REVIEW = "EXPERT_REVIEW"
    CONSENT = "CONSENT"
    PAYMENT = "PAYMENT"
    TREATMENT = "TREATMENT"
    HANDOVER = "HANDOVER"
    FOLLOW_UP = "FOLLOW_UP"
    # Terminal stages: each is also the journey's outcome.
    COMPLETED = "COMPLETED"
    NOT_CONVERTED = "NOT_CONVERTED"
    DECLINED = "DECLINED"
    MEDICALLY_REFUSED = "MEDICALLY_REFUSED"
    CANCELLED = "CANCELLED"
    NO_SHOW = "NO_SHOW"
    REFUNDED = "REFUNDED"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STAGES


TERMINAL_STAGES = frozenset(
    {
        Stage.COMPLETED,
        Stage.NOT_CONVERTED,
        Stage.DECLINED,
        Stage.MEDICALLY_REFUSED,
        Stage.CANCELLED,
        Stage.NO_SHOW,
        Stage.REFUNDED,
    }
)
ACTIVE_STAGES = tuple(stage for stage in Stage if stage not in TERMINAL_STAGES)
# The treatment is done: handed over or being handed over, making its calls, or completed.
TREATED_STAGES = frozenset({Stage.HANDOVER, Stage.FOLLOW_UP, Stage.COMPLETED})


class VisitCategory(str, Enum):
    """Set at reception from the client's records (seed 004 "各科登记状态")."""

    FIRST_VISIT = "FIRST_VISIT"
    RETURN_VISIT = "RETURN_VISIT"
    RECHECK = "RECHECK"
    REPEAT_PURCHASE = "REPEAT_PURCHASE"
    OTHER = "OTHER"


class ArrivalChannel(str, Enum):
    WALK_IN = "WALK_IN"
    PHONE_BOOKING = "PHONE_BOOKING"
    ONLINE_BOOKING = "ONLINE_BOOKING"
    PARTNER_REFERRAL = "PARTNER_REFERRAL"
    CLIENT_REFERRAL = "CLIENT_REFERRAL"


class ConsentKind(str, Enum):
    PROCEDURE = "PROCEDURE"
    ANESTHESIA = "ANESTHESIA"
    PHOTO = "PHOTO"
    DATA_PROCESSING = "DATA_PROCESSING"
    # Sharing the file, or a part of it, with someone outside the clinic (seed 000: only with
    # the client's prior written consent): what a disclosure stands on.
    DATA_SHARING = "DATA_SHARING"


class PaymentKind(str, Enum):
    FULL = "FULL"
    DEPOSIT = "DEPOSIT"
    TOP_UP = "TOP_UP"
    INSTALLMENT_PLAN = "INSTALLMENT_PLAN"
    # One of the agreed plan's installments, after the plan's first payment.
    INSTALLMENT = "INSTALLMENT"
    # A part of the bill, without a deposit's meaning.
    PARTIAL = "PARTIAL"


class PaymentMethod(str, Enum):
    CASH = "CASH"
    CARD = "CARD"
    BANK_TRANSFER = "BANK_TRANSFER"
    FINANCING = "FINANCING"


class ExpertDecision(str, Enum):
    APPROVE = "APPROVE"
    REFUSE = "REFUSE"


class FollowUpStatus(str, Enum):
    SCHEDULED = "SCHEDULED"
    DUE = "DUE"
    DONE = "DONE"
    CLOSED = "CLOSED"


class FollowUpOutcome(str, Enum):
    REACHED = "REACHED"
    NOT_REACHED = "NOT_REACHED"
    # Reached, and the client reports a complication (`reportComplication`): the treating
    # doctor is alerted and a linked recheck journey opens.
    COMPLICATION = "COMPLICATION"
