"""The guards staff meet most: consent before money, money before treatment, guardians, experts.

Each refusal is checked to change nothing.
"""

from __future__ import annotations

import copy

import pytest

from domain.errors import FieldProblemCode, TransitionNotAllowed, ValidationFailed
from domain.journey.access import check_action
from domain.journey.facts import ActionRequest, JourneyFacts
from domain.journey.rules import consents_awaited
from domain.journey.stages import ConsentKind, PaymentKind, Stage, VisitCategory
from domain.journey.table import Action
from domain.journey.validation import MAX_MINOR_UNITS
from tests.support import (
    EXPERT,
    NURSE,
    SUPERVISOR,
    approve,
    consent,
    drive,
    facts_at,
    pay,
    request,
)


def _refused(facts: JourneyFacts, req: ActionRequest, message: str | None = None) -> None:
    before = copy.deepcopy(facts)
    with pytest.raises(TransitionNotAllowed) as refusal:
        check_action(facts, req)
    if message is not None:
        assert refusal.value.message == message
    assert facts == before


@pytest.mark.parametrize("signed", [[], [ConsentKind.PROCEDURE]], ids=["none", "procedure-only"])
def test_no_payment_or_treatment_before_the_required_consents(signed: list[ConsentKind]) -> None:
    # Given a plan with anesthesia, and not every consent it needs signed
    facts = drive(facts_at(Stage.CONSENT, anesthesia=True), *[consent(k) for k in signed])
    assert facts.stage is Stage.CONSENT
    # When the cashier takes money, or the nurse starts treating, they are refused
    _refused(facts, pay(), "not possible in stage CONSENT")
    _refused(facts, request(Action.START_TREATMENT, NURSE), "not possible in stage CONSENT")


@pytest.mark.parametrize("anesthesia", [False, True], ids=["no-anesthesia", "anesthesia"])
@pytest.mark.parametrize(
    "order",
    [
        [ConsentKind.PHOTO, ConsentKind.ANESTHESIA, ConsentKind.PROCEDURE],
        [ConsentKind.PROCEDURE, ConsentKind.DATA_PROCESSING, ConsentKind.ANESTHESIA],
    ],
    ids=["procedure-last", "anesthesia-last"],
)
def test_the_consents_awaited_list_one_unsigned_exactly_while_the_journey_waits_in_consent(
    anesthesia: bool, order: list[ConsentKind]
) -> None:
    # Given a journey at expert review: what it will need is not known before the approval
    facts = facts_at(Stage.EXPERT_REVIEW)
    assert consents_awaited(facts) is None
    drive(facts, approve(anesthesia=anesthesia))
    needed = [ConsentKind.PROCEDURE, ConsentKind.ANESTHESIA][: 2 if anesthesia else 1]
    for kind in [*order, None]:
        # Then before and after each signature the list names the kinds the plan needs
        awaited = consents_awaited(facts)
        assert awaited is not None
        assert [k for k, _ in awaited] == needed
        assert [k for k, signed in awaited if signed] == [
            k for k in needed if k in facts.consents_signed
        ]
        # And the journey waits in CONSENT, taking no money nor treatment, while one is unsigned
        unsigned = any(not signed for _, signed in awaited)
        assert (facts.stage is Stage.CONSENT) is unsigned
        if unsigned:
            _refused(facts, pay())
            _refused(facts, request(Action.START_TREATMENT, NURSE))
        if kind is not None and facts.stage is Stage.CONSENT:
            drive(facts, consent(kind))
    assert facts.stage is Stage.PAYMENT
    # And a recheck, which treats what was already consented, awaits none
    assert consents_awaited(facts_at(Stage.TREATMENT, VisitCategory.RECHECK)) == []


def test_a_deposit_books_but_only_a_settled_bill_opens_treatment() -> None:
    # Given a signed journey at payment, when a deposit is taken it stays at payment
    facts = drive(facts_at(Stage.PAYMENT), pay(60_000, PaymentKind.DEPOSIT))
    assert (facts.stage, facts.paid_minor, facts.installment_plan) == (Stage.PAYMENT, 60_000, False)
    _refused(facts, request(Action.START_TREATMENT, NURSE), "not possible in stage PAYMENT")
    # When the rest is topped up, the bill is settled and treatment may start
    drive(facts, pay(180_000, PaymentKind.TOP_UP), request(Action.START_TREATMENT, NURSE))
    assert (facts.stage, facts.paid_minor, facts.treatment_started) == (
        Stage.TREATMENT,
        240_000,
        True,
    )


def test_an_installment_plan_settles_the_bill() -> None:
    facts = drive(facts_at(Stage.PAYMENT), pay(40_000, PaymentKind.INSTALLMENT_PLAN))
    assert (facts.stage, facts.paid_minor, facts.installment_plan) == (
        Stage.TREATMENT,
        40_000,
        True,
    )
    drive(facts, request(Action.START_TREATMENT, NURSE))
    assert facts.treatment_started is True


def test_a_minor_consents_only_with_a_guardian() -> None:
    # Given a client under 18 at consent
    facts = facts_at(Stage.CONSENT, minor=True)
    # When the consent is signed without a guardian, it is refused and nothing changes
    _refused(facts, consent(), "a client under 18 needs a guardian's signature")
    # When the guardian signs, the journey moves on
    drive(facts, consent(guardian=True))
    assert (facts.stage, facts.consents_signed) == (Stage.PAYMENT, [ConsentKind.PROCEDURE])


def test_the_experts_decision_is_final() -> None:
    approved = facts_at(Stage.CONSENT)
    _refused(approved, request(Action.REFUSE_MEDICALLY, EXPERT), "not possible in stage CONSENT")
    _refused(approved, approve(), "not possible in stage CONSENT")
    refused = drive(facts_at(Stage.EXPERT_REVIEW), request(Action.REFUSE_MEDICALLY, EXPERT))
    _refused(refused, approve(), "the journey has ended (MEDICALLY_REFUSED)")


@pytest.mark.parametrize("stage_after", [Stage.TREATMENT, Stage.HANDOVER], ids=["started", "done"])
def test_a_treatment_that_has_begun_cannot_be_cancelled(stage_after: Stage) -> None:
    # Given a treatment that has started (or ended, the handover not yet made)
    facts = drive(facts_at(Stage.TREATMENT), request(Action.START_TREATMENT, NURSE))
    if stage_after is Stage.HANDOVER:
        drive(facts, request(Action.COMPLETE_TREATMENT, EXPERT))
    # When it is cancelled, either way, it is refused: a performed treatment is never CANCELLED
    _refused(facts, request(Action.CANCEL, SUPERVISOR))
    _refused(facts, request(Action.CLOSE, SUPERVISOR))


def test_a_free_plan_reaches_treatment_without_taking_money() -> None:
    # Given a plan approved at a price of zero (a free trial), once consent is signed
    facts = drive(facts_at(Stage.EXPERT_REVIEW), approve(0), consent())
    # When the zero bill is settled (if payment is asked at all), treatment is next
    if facts.stage is Stage.PAYMENT:
        drive(facts, pay(0))
    assert (facts.stage, facts.paid_minor) == (Stage.TREATMENT, 0)


def test_a_payment_past_the_largest_is_told_so_not_that_it_must_be_positive() -> None:
    # Given a journey at payment
    facts = facts_at(Stage.PAYMENT)
    before = copy.deepcopy(facts)
    # When a payment of one cent past the largest is offered
    with pytest.raises(ValidationFailed) as refusal:
        check_action(facts, pay(MAX_MINOR_UNITS + 1, PaymentKind.DEPOSIT))
    # Then it is refused as too large, and the journey is as it was
    assert [(p.field, p.code) for p in refusal.value.problems] == [
        ("amount", FieldProblemCode.OUT_OF_RANGE)
    ]
    assert "at most 10,000,000,000" in refusal.value.problems[0].message
    assert facts == before
