"""The predicates the state table names, evaluated on a journey's facts and the pending action."""

from __future__ import annotations

from domain.journey.facts import ActionDetails, ActionRequest, JourneyFacts
from domain.journey.stages import (
    ConsentKind,
    FollowUpOutcome,
    FollowUpStatus,
    PaymentKind,
    Stage,
    VisitCategory,
)
from domain.money.catalog import PaymentPolicy


def required_consents(facts: JourneyFacts) -> set[ConsentKind]:
    """Procedure consent always; anesthesia consent when the approved plan has anesthesia."""
    needed = {ConsentKind.PROCEDURE}
    if facts.requires_anesthesia:
        needed.add(ConsentKind.ANESTHESIA)
    return needed


def consents_awaited(facts: JourneyFacts) -> list[tuple[ConsentKind, bool]] | None:
    """Each consent the journey needs before it moves past CONSENT, in `ConsentKind`'s order,
    with whether it is signed and in force: the kinds `completes_required_consents` and
    `consents_complete` judge by. None before the plan is approved (the approval says whether
    anesthesia is needed); none for a recheck, which treats what was already consented
    (`cleared_for_treatment`) and never passes CONSENT."""
    if facts.visit_category is VisitCategory.RECHECK:
        return []
    if facts.plan_total_minor is None:  # set by the approval alone, which always names a price
        return None
    needed = required_consents(facts)
    return [(kind, kind in facts.consents_signed) for kind in ConsentKind if kind in needed]


class JourneyRules:
    """The model a `transitions.Machine` drives. `state` is owned by the machine."""

    state: Stage

    def __init__(self, facts: JourneyFacts, request: ActionRequest | None = None) -> None:
        self.facts = facts
        self.request = request
        # A journey run by the rules before optional consents stopped ending it (a run that
        # does not follow that change: `workflows.journey_changes`): every withdrawal before
        # the treatment declines, as it did when the run recorded its history.
        self.any_withdrawal_declines = False

    @property
    def details(self) -> ActionDetails:
        return self.request.details if self.request else ActionDetails()

    def is_recheck(self) -> bool:
        return self.facts.visit_category is VisitCategory.RECHECK

    def is_stuck(self) -> bool:
        return self.facts.stuck_since is not None

    def consultation_recorded(self) -> bool:
        return self.facts.consultation_recorded

    def treatment_started(self) -> bool:
        return self.facts.treatment_started

    def guardian_signs_for_minor(self) -> bool:
        return not self.facts.client_is_minor or self.details.guardian_signed

    def completes_required_consents(self) -> bool:
        signed = set(self.facts.consents_signed)
        if self.details.consent_kind is not None:
            signed.add(self.details.consent_kind)
        return required_consents(self.facts) <= signed

    def withdraws_a_required_consent(self) -> bool:
        return self.any_withdrawal_declines or self.details.consent_kind in required_consents(
            self.facts
        )

    def has_signed_consent(self) -> bool:
        return bool(self.facts.consents_signed)

    def consents_complete(self) -> bool:
        return required_consents(self.facts) <= set(self.facts.consents_signed)

    def _total(self) -> int:
        """The bill's total once a payment named one; before that, the final plan's price."""
        for total in (self.details.bill_total_minor, self.facts.bill_total_minor):
            if total is not None:
                return total
        return self.facts.plan_total_minor or 0

    def settles_bill(self) -> bool:
        """The payment stage passes under the clinic's policy: paid in full or an installment
        plan agreed; under a deposit policy a deposit too (the rest is due before treatment).
        Otherwise a deposit books, it does not settle."""
        kind = self.details.payment_kind
        if kind is PaymentKind.INSTALLMENT_PLAN:
            return True
        if kind is PaymentKind.DEPOSIT and self.details.payment_policy is PaymentPolicy.DEPOSIT:
            return True
        return self.facts.paid_minor + (self.details.amount_minor or 0) >= self._total()

    def bill_settled(self) -> bool:
        paid_enough = self.facts.paid_minor >= self._total()
        return self.facts.installment_plan or paid_enough

    def has_payment(self) -> bool:
        return self.facts.paid_minor > 0

    def corrects_a_payment(self) -> bool:
        return self.details.corrects_a_payment

    def cleared_for_treatment(self) -> bool:
        """A recheck treats what was already consented and paid; anything else needs both now."""
        if self.is_recheck():
            return True
        return self.consents_complete() and self.bill_settled()

    def follow_up_is_due(self) -> bool:
        if self.request is None:
            return any(f.status is FollowUpStatus.DUE for f in self.facts.follow_ups)
        follow_up = self.facts.follow_up(self.details.follow_up_id)
        return follow_up is not None and follow_up.status is FollowUpStatus.DUE

    def completes_last_follow_up(self) -> bool:
        # A complication ends the call too: its care goes on in the linked recheck journey.
        if self.details.follow_up_outcome not in (
            FollowUpOutcome.REACHED,
            FollowUpOutcome.COMPLICATION,
        ):
            return False
        others = [f for f in self.facts.follow_ups if f.follow_up_id != self.details.follow_up_id]
        return all(f.status in (FollowUpStatus.DONE, FollowUpStatus.CLOSED) for f in others)
