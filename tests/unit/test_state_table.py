"""The journey machine (gate + effects) against an independent oracle of legal moves; the
recheck path, the endings, what staff are offered and the diagram. Guards: test_journey_guards."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode, TransitionNotAllowed
from domain.journey.access import STAFF_ACTIONS, available_actions, check_action
from domain.journey.diagram import mermaid
from domain.journey.effects import apply_action
from domain.journey.facts import SYSTEM_ACTOR, ActionDetails, ActionRequest, Actor, JourneyFacts
from domain.journey.stages import (
    TERMINAL_STAGES,
    ConsentKind,
    ExpertDecision,
    FollowUpOutcome,
    PaymentKind,
    Stage,
    VisitCategory,
)
from domain.journey.table import Action
from tests.support import (
    CALLER,
    CASHIER,
    CONSULTANT,
    CONSULTANT_2,
    DESK,
    EXPERT,
    EXPERT_2,
    NURSE,
    SUPERVISOR,
    T0,
    consent,
    drive,
    facts_at,
    journey_start,
    new_facts,
    path,
    pay,
    request,
)
from tests.unit.journey_oracle import (
    LEGAL,
    WHO,
    Clinic,
    advance,
    from_facts,
    judge,
    observed,
)
from tests.unit.oracle_details import good_details

STAFF = (DESK, CONSULTANT, CONSULTANT_2, EXPERT, EXPERT_2, NURSE, CASHIER, CALLER, SUPERVISOR)
ACTORS = (*STAFF, SYSTEM_ACTOR)
HOUR, DAY = 3600, 86400
SIDE_ACTIONS = {
    Action.NUDGE,
    Action.ESCALATE,
    Action.MARK_STUCK,
    Action.REASSIGN,
    Action.REASSIGN_EXPERT_REVIEW,
}


def _any(*values: object) -> st.SearchStrategy[object]:
    return st.sampled_from(values)


RANDOM_DETAILS = st.builds(
    ActionDetails,
    consultant_id=_any(None, "", "consultant-1", "consultant-2"),
    expert_id=_any(None, "expert-1", "expert-2"),
    plan_total_minor=_any(None, -1, 0, 240_000),
    currency=_any(None, "PLN", "EUR"),
    requires_anesthesia=st.booleans(),
    decision=_any(None, *ExpertDecision),
    consent_kind=_any(None, *ConsentKind),
    guardian_signed=st.booleans(),
    amount_minor=_any(None, -5, 0, 80_000, 240_000),
    payment_kind=_any(None, *PaymentKind),
    follow_up_id=_any(None, "fu-1", "fu-2", "fu-3", "fu-9"),
    follow_up_outcome=_any(None, *FollowUpOutcome),
    satisfaction=_any(None, 0, 1, 5, 6),
    results_not_asked=st.booleans(),
)


def legal_moves(m: Clinic) -> list[ActionRequest]:
    """Every well-formed request the oracle would let through now."""
    moves = []
    for action in LEGAL.get(m.stage, {}):
        for actor in (a for a in ACTORS if a.role in WHO[action]):
            for details in good_details(m, action):
                move = ActionRequest(action, actor, details)
                if isinstance(judge(m, move), Stage):
                    moves.append(move)
    return moves


def oracle_availability(m: Clinic, actor: Actor) -> dict[Action, bool]:
    return {
        action: any(
            isinstance(judge(m, ActionRequest(action, actor, d)), Stage)
            for d in good_details(m, action)
        )
        for action in STAFF_ACTIONS
    }


def draw_request(data: st.DataObject, m: Clinic) -> ActionRequest:
    """Mostly moves on along the journey, some side steps and endings, else anything at all."""
    legal = legal_moves(m)
    side = [r for r in legal if r.action in SIDE_ACTIONS]
    ending = [r for r in legal if judge(m, r) in TERMINAL_STAGES and r not in side]
    onward = [r for r in legal if r not in side and r not in ending]
    mode = data.draw(st.integers(0, 13), label="mode")
    if mode == 1 and legal:  # the right person at the right time, sending anything
        move = data.draw(st.sampled_from(legal), label="legal move")
        return ActionRequest(move.action, move.actor, data.draw(RANDOM_DETAILS, label="details"))
    preferred = side if mode == 2 else ending if mode == 3 else onward
    for moves in (preferred, onward, ending, side):
        if mode and moves:
            return data.draw(st.sampled_from(moves), label="legal move")
    action = data.draw(st.sampled_from(list(Action)), label="action")
    actor = data.draw(st.sampled_from(ACTORS), label="actor")
    shaped = good_details(m, action)
    details = st.one_of(st.sampled_from(shaped), RANDOM_DETAILS) if shaped else RANDOM_DETAILS
    return ActionRequest(action, actor, data.draw(details, label="details"))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_gate_accepts_exactly_what_the_oracle_accepts(data: st.DataObject) -> None:
    # Given a journey of any category, for an adult or a minor, walked in or booked
    category = data.draw(st.sampled_from(list(VisitCategory)), label="category")
    minor, checked_in = data.draw(st.booleans()), data.draw(st.booleans())
    offsets = data.draw(
        st.lists(
            st.sampled_from([HOUR, DAY, 3 * DAY, 7 * DAY]), min_size=1, max_size=3, unique=True
        )
    )
    facts = new_facts(journey_start(category, minor=minor, checked_in=checked_in, offsets=offsets))
    m = Clinic(category, minor, offsets, stage=Stage.TRIAGE if checked_in else Stage.RECEPTION)
    now = T0
    for _ in range(data.draw(st.integers(1, 40), label="steps")):
        wait = data.draw(st.sampled_from([0, 0, 600, HOUR, DAY, 3 * DAY]), label="wait")
        now += timedelta(seconds=wait)
        m.stuck = facts.stuck_since is not None
        # Then, at every step, what staff are offered is what the oracle would let them do
        viewer = data.draw(st.sampled_from(STAFF), label="viewer")
        offered = {a.action: a.allowed for a in available_actions(facts, viewer)}
        assert offered == oracle_availability(m, viewer), f"{viewer} in {facts.stage}"

        # When someone tries something
        req = draw_request(data, m)
        expected = judge(m, req)
        before = copy.deepcopy(facts)
        try:
            check_action(facts, req)
        except DomainError as error:
            # Then a refusal is the oracle's, for the oracle's kind of reason, and changes nothing
            assert error.code is expected, f"{req} refused ({error.message}), oracle: {expected}"
            assert facts == before
            continue
        assert isinstance(expected, Stage), f"{req} accepted, oracle: {expected}"
        event = apply_action(facts, req, now)
        advance(m, req, now, expected)
        # Then it lands where the oracle says, with one more event
        assert (event.from_stage, event.to_stage) == (before.stage, expected)
        assert event.seq == facts.event_seq == before.event_seq + 1
        assert observed(facts) == m.snapshot()


def _refused(facts: JourneyFacts, req: ActionRequest, message: str) -> None:
    before = copy.deepcopy(facts)
    with pytest.raises(TransitionNotAllowed) as refusal:
        check_action(facts, req)
    assert refusal.value.message == message
    assert facts == before


def test_a_recheck_skips_consultation_consent_and_payment() -> None:
    # Given a recheck client at triage
    facts = facts_at(Stage.TRIAGE, VisitCategory.RECHECK)
    # When the desk routes them and the nurse treats and hands over
    stages = []
    for step, _ in path(VisitCategory.RECHECK):
        check_action(facts, step)
        stages.append(apply_action(facts, step, T0).to_stage)
    # Then no consultation, consent or payment stage was on the way
    assert stages == [Stage.TREATMENT, Stage.TREATMENT, Stage.HANDOVER, Stage.FOLLOW_UP]
    assert (facts.consultation_recorded, facts.consents_signed, facts.paid_minor) == (False, [], 0)
    at_treatment = facts_at(Stage.TREATMENT, VisitCategory.RECHECK)
    for req in (consent(), request(Action.RECORD_CONSULTATION, CONSULTANT)):
        _refused(at_treatment, req, "not possible in stage TREATMENT")
    # (TREATMENT takes the rest of a deposit-policy bill; a recheck has no consents to pay for)
    _refused(at_treatment, pay(), "no payment before the required consents are signed")


ENDINGS: dict[Stage, Callable[[], JourneyFacts]] = {
    Stage.COMPLETED: lambda: drive(
        facts_at(Stage.FOLLOW_UP), request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR)
    ),
    Stage.NOT_CONVERTED: lambda: drive(
        facts_at(Stage.CONSULTATION),
        request(Action.RECORD_CONSULTATION, CONSULTANT),
        request(Action.CLOSE_NOT_CONVERTED, CONSULTANT),
    ),
    Stage.DECLINED: lambda: drive(facts_at(Stage.CONSENT), request(Action.DECLINE, CONSULTANT)),
    Stage.MEDICALLY_REFUSED: lambda: drive(
        facts_at(Stage.TREATMENT), request(Action.REFUSE_MEDICALLY, EXPERT)
    ),
    Stage.CANCELLED: lambda: drive(facts_at(Stage.PAYMENT), request(Action.CANCEL, DESK)),
    Stage.NO_SHOW: lambda: drive(
        new_facts(journey_start(checked_in=False)), request(Action.MARK_NO_SHOW, DESK)
    ),
    Stage.REFUNDED: lambda: drive(
        facts_at(Stage.PAYMENT),
        pay(1000, PaymentKind.DEPOSIT),
        request(Action.REFUND, CASHIER, amount_minor=1000, currency="PLN"),
    ),
}


@pytest.mark.parametrize("stage", sorted(TERMINAL_STAGES), ids=lambda s: s.value)
def test_terminal_stages_accept_nothing(stage: Stage) -> None:
    # Given a journey that has ended
    facts = ENDINGS[stage]()
    assert facts.stage is stage
    clinic = from_facts(facts)
    details = [d for a in Action for d in good_details(clinic, a)]
    before = copy.deepcopy(facts)
    # When anyone tries anything, with any well-formed details, it is refused
    for action in Action:
        for actor in ACTORS:
            for d in details:
                with pytest.raises(DomainError) as refusal:
                    check_action(facts, ActionRequest(action, actor, d))
                code, message = refusal.value.code, refusal.value.message
                assert code in (ErrorCode.NOT_AUTHORIZED, ErrorCode.TRANSITION_NOT_ALLOWED)
                if code is ErrorCode.TRANSITION_NOT_ALLOWED:
                    assert message == f"the journey has ended ({stage.value})"
    # Then nothing changed and nothing is offered to anyone
    assert facts == before
    for actor in STAFF:
        assert [a.action for a in available_actions(facts, actor) if a.allowed] == []


def _states_along(category: VisitCategory, **kw: bool) -> list[JourneyFacts]:
    facts = facts_at(Stage.TRIAGE, category, **kw)
    states = [copy.deepcopy(facts)]
    for step, _ in path(category, **kw):
        states.append(copy.deepcopy(drive(facts, step)))
    due = drive(
        copy.deepcopy(facts),
        request(Action.FOLLOW_UP_DUE, SYSTEM_ACTOR),
        now=T0 + timedelta(days=1),
    )
    return [*states, due]


@pytest.mark.parametrize(
    ("category", "kw"),
    [(VisitCategory.FIRST_VISIT, {"anesthesia": True}), (VisitCategory.RECHECK, {})],
    ids=["first-visit", "recheck"],
)
def test_available_actions_agree_with_the_gate(
    category: VisitCategory, kw: dict[str, bool]
) -> None:
    # Given each state along the path, and each member of staff
    for facts in _states_along(category, **kw):
        clinic = from_facts(facts)
        for actor in STAFF:
            for offer in available_actions(facts, actor):
                # When they try what they are offered with what it needs, the gate agrees;
                # when it is not offered, the gate refuses for the reason they were shown
                tries = [
                    ActionRequest(offer.action, actor, d)
                    for d in good_details(clinic, offer.action)
                ]
                outcomes = [_gate(facts, t) for t in tries]
                where = f"{offer.action} by {actor.user_id} in {facts.stage}"
                if offer.allowed:
                    assert offer.reason is None and None in outcomes, where
                else:
                    assert offer.reason and all(o == offer.reason for o in outcomes), where


def _gate(facts: JourneyFacts, req: ActionRequest) -> str | None:
    try:
        check_action(facts, req)
    except DomainError as error:
        return error.message
    return None


def test_the_diagram_marks_the_current_stage() -> None:
    lines = mermaid(Stage.CONSENT).splitlines()
    assert lines[:2] == ["stateDiagram-v2", "    [*] --> RECEPTION"]
    assert "    CONSENT --> PAYMENT: sign_consent" in lines
    assert "    TRIAGE --> TREATMENT: assign_consultant" in lines
    assert "    CONSULTATION --> CONSULTATION: reassign" in lines  # no stage change: a loop
    assert [line for line in lines if line.lstrip().startswith("class ")] == [
        "    class CONSENT current"
    ]
    assert not [line for line in mermaid().splitlines() if "current" in line]
