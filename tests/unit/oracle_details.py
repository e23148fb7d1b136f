"""The oracle's idea of a well-formed request for each action (`journey_oracle`): the details
staff would send now, given what the oracle remembers of the journey."""

from __future__ import annotations

from domain.journey.facts import ActionDetails
from domain.journey.stages import ConsentKind as K
from domain.journey.stages import ExpertDecision, FollowUpOutcome, PaymentKind
from domain.journey.stages import FollowUpStatus as F
from domain.journey.table import Action as A
from tests.unit.journey_oracle import Clinic


def good_details(m: Clinic, action: A) -> list[ActionDetails]:
    """What a well-formed request for `action` would carry now (the oracle's idea of it)."""
    D = ActionDetails
    if action is A.ASSIGN_CONSULTANT:
        return [D(consultant_id="consultant-1")]
    if action is A.REASSIGN:
        other = "consultant-2" if m.consultant == "consultant-1" else "consultant-1"
        # The supervisor's, and the desk's hand-over from the consultant the journey names
        froms = dict.fromkeys((None, m.consultant))
        return [D(consultant_id=other, from_consultant_id=f) for f in froms]
    if action is A.REQUEST_EXPERT_REVIEW:
        return [D(expert_id="expert-1")]
    if action is A.REASSIGN_EXPERT_REVIEW:
        return [D(expert_id="expert-2" if m.expert == "expert-1" else "expert-1")]
    if action is A.RETURN_TO_TRIAGE:
        return [D(consultant_id=m.consultant)]
    if action is A.APPROVE_PLAN:
        plan = {"decision": ExpertDecision.APPROVE, "currency": "PLN", "plan_total_minor": 240_000}
        return [D(requires_anesthesia=b, **plan) for b in (False, True)]  # type: ignore[arg-type]
    if action is A.SIGN_CONSENT:
        return [D(consent_kind=k, guardian_signed=True) for k in K if k not in m.consents]
    if action is A.WITHDRAW_CONSENT:
        return [D(consent_kind=k) for k in sorted(m.consents)]  # none in force: none well-formed
    if action is A.RECORD_PAYMENT:
        owed = max((m.total or 0) - m.paid, 1)
        kinds = [(owed, PaymentKind.FULL), (max(owed // 3, 1), PaymentKind.DEPOSIT)]
        kinds.append((max(owed // 4, 1), PaymentKind.INSTALLMENT_PLAN))
        return [D(amount_minor=a, payment_kind=k, currency=m.currency) for a, k in kinds]
    if action is A.REFUND:
        return [D(amount_minor=max(m.paid, 1), currency=m.currency)]
    if action is A.COMPLETE_FOLLOW_UP:
        due = [i for i, call in m.calls.items() if call[1] is F.DUE]
        outcomes = (
            (FollowUpOutcome.REACHED, 4),
            (FollowUpOutcome.NOT_REACHED, None),
            (FollowUpOutcome.COMPLICATION, None),
        )
        return [
            D(follow_up_id=i, follow_up_outcome=o, satisfaction=s) for i in due for o, s in outcomes
        ]
    return [D()]
