"""Who may take each journey action: the role table and the ownership rules on top of it."""

from __future__ import annotations

import copy

import pytest

from domain.errors import NotAuthorized, TransitionNotAllowed, ValidationFailed
from domain.journey.access import STAFF_ACTIONS, available_actions, check_action
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest, Actor, JourneyFacts
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import ROLES, Action
from domain.roles import STAFF_ROLES, Role
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
    approve,
    ask_expert,
    assign,
    consent,
    drive,
    facts_at,
    pay,
    request,
)
from tests.unit.journey_oracle import WHO

# Consulting, deciding, signing, treating and taking money: never a supervisor's to do.
CLINICAL = (
    Action.RECORD_CONSULTATION,
    Action.REQUEST_EXPERT_REVIEW,
    Action.APPROVE_PLAN,
    Action.REFUSE_MEDICALLY,
    Action.SIGN_CONSENT,
    Action.RECORD_PAYMENT,
    Action.START_TREATMENT,
    Action.COMPLETE_TREATMENT,
    Action.HAND_OVER,
)

# Each clinical act, where it belongs, with what it needs; the supervisor tries it there.
CLINICAL_AT: dict[Action, tuple[Stage, ActionRequest]] = {
    Action.RECORD_CONSULTATION: (
        Stage.CONSULTATION,
        request(Action.RECORD_CONSULTATION, SUPERVISOR),
    ),
    Action.REQUEST_EXPERT_REVIEW: (Stage.CONSULTATION, ask_expert(by=SUPERVISOR)),
    Action.APPROVE_PLAN: (Stage.EXPERT_REVIEW, approve(by=SUPERVISOR)),
    Action.REFUSE_MEDICALLY: (Stage.EXPERT_REVIEW, request(Action.REFUSE_MEDICALLY, SUPERVISOR)),
    Action.SIGN_CONSENT: (Stage.CONSENT, consent(by=SUPERVISOR)),
    Action.RECORD_PAYMENT: (
        Stage.PAYMENT,
        ActionRequest(Action.RECORD_PAYMENT, SUPERVISOR, pay().details),
    ),
    Action.START_TREATMENT: (Stage.TREATMENT, request(Action.START_TREATMENT, SUPERVISOR)),
    Action.COMPLETE_TREATMENT: (Stage.TREATMENT, request(Action.COMPLETE_TREATMENT, SUPERVISOR)),
    Action.HAND_OVER: (Stage.HANDOVER, request(Action.HAND_OVER, SUPERVISOR)),
}


def _not_authorized(facts: JourneyFacts, req: ActionRequest, message: str) -> None:
    before = copy.deepcopy(facts)
    with pytest.raises(NotAuthorized) as refusal:
        check_action(facts, req)
    assert refusal.value.message == message
    assert facts == before


def test_every_action_has_roles_and_they_are_the_clinics() -> None:
    assert set(ROLES) == set(Action)
    assert all(ROLES[action] for action in Action)
    assert ROLES == WHO


@pytest.mark.parametrize("action", CLINICAL, ids=lambda a: a.value)
def test_a_supervisor_never_does_a_clinical_act(action: Action) -> None:
    # Given the table, no clinical act lists the supervisor
    assert Role.SUPERVISOR not in ROLES[action]
    # When a supervisor tries it where it belongs, it is refused with who may do it instead
    stage, req = CLINICAL_AT[action]
    facts = facts_at(stage)
    names = ", ".join(sorted(role.value for role in ROLES[action]))
    _not_authorized(facts, req, f"{action.name} needs one of: {names}")
    offered = {a.action: a for a in available_actions(facts, SUPERVISOR)}
    assert (offered[action].allowed, offered[action].reason) == (
        False,
        f"{action.name} needs one of: {names}",
    )


@pytest.mark.parametrize(
    ("req", "message"),
    [
        (request(Action.CHECK_IN, CASHIER), "CHECK_IN needs one of: FRONT_DESK, SUPERVISOR"),
        (consent(by=CASHIER), "SIGN_CONSENT needs one of: CONSULTANT, EXPERT, NURSE"),
        (request(Action.RECORD_PAYMENT, NURSE), "RECORD_PAYMENT needs one of: CASHIER"),
        (request(Action.CLOSE_FOLLOW_UPS, CALLER), "CLOSE_FOLLOW_UPS needs one of: SUPERVISOR"),
        (request(Action.FOLLOW_UP_DUE, CALLER), "FOLLOW_UP_DUE needs one of: SYSTEM"),
        (
            request(Action.START_TREATMENT, CONSULTANT),
            "START_TREATMENT needs one of: EXPERT, NURSE",
        ),
    ],
    ids=lambda v: v.action.value if isinstance(v, ActionRequest) else "",
)
def test_not_authorized_names_the_roles_that_may(req: ActionRequest, message: str) -> None:
    _not_authorized(facts_at(Stage.CONSENT), req, message)


def test_only_the_journeys_consultant_records_and_hands_on_its_consultation() -> None:
    # Given a journey assigned to consultant-1
    facts = facts_at(Stage.CONSULTATION)
    assert facts.consultant_id == CONSULTANT.user_id
    # When another consultant tries to record, close or send it on, they are refused
    for action in (Action.RECORD_CONSULTATION, Action.CLOSE_NOT_CONVERTED):
        req = request(action, CONSULTANT_2)
        _not_authorized(facts, req, "only the journey's consultant may do this")
    _not_authorized(facts, ask_expert(by=CONSULTANT_2), "only the journey's consultant may do this")
    # When the owner records it, it is recorded; a supervisor may close it as not converted
    drive(facts, request(Action.RECORD_CONSULTATION, CONSULTANT))
    assert facts.consultation_recorded is True
    check_action(facts, request(Action.CLOSE_NOT_CONVERTED, SUPERVISOR))


def test_a_reassigned_journey_belongs_to_the_new_consultant() -> None:
    facts = drive(
        facts_at(Stage.CONSULTATION),
        request(Action.REASSIGN, SUPERVISOR, consultant_id="consultant-2"),
    )
    _not_authorized(
        facts,
        request(Action.RECORD_CONSULTATION, CONSULTANT),
        "only the journey's consultant may do this",
    )
    drive(facts, request(Action.RECORD_CONSULTATION, CONSULTANT_2))
    assert (facts.consultant_id, facts.consultation_recorded) == ("consultant-2", True)


def test_only_the_named_expert_approves() -> None:
    # Given a review asked of expert-1
    facts = facts_at(Stage.EXPERT_REVIEW)
    assert facts.expert_id == EXPERT.user_id
    # When expert-2 approves, it is refused; when expert-1 does, the plan is approved
    _not_authorized(
        facts, approve(by=EXPERT_2), "only the expert asked for the review may decide it"
    )
    drive(facts, approve())
    assert (facts.stage, facts.plan_total_minor) == (Stage.CONSENT, 240_000)


def test_only_the_named_expert_refuses_at_review_but_any_expert_before_treatment() -> None:
    # Given a review asked of expert-1, expert-2 cannot refuse it
    review = facts_at(Stage.EXPERT_REVIEW)
    message = "only the expert asked for the review may decide it"
    _not_authorized(review, request(Action.REFUSE_MEDICALLY, EXPERT_2), message)
    # Given the pre-treatment check, the treating expert on duty may refuse
    check = drive(facts_at(Stage.TREATMENT), request(Action.REFUSE_MEDICALLY, EXPERT_2))
    assert check.stage is Stage.MEDICALLY_REFUSED


def test_a_review_handed_to_another_expert_is_theirs_to_decide() -> None:
    # Given a review asked of expert-1, who has left, and a supervisor hands it to expert-2
    facts = drive(
        facts_at(Stage.EXPERT_REVIEW),
        request(Action.REASSIGN_EXPERT_REVIEW, SUPERVISOR, expert_id=EXPERT_2.user_id),
    )
    assert (facts.stage, facts.expert_id) == (Stage.EXPERT_REVIEW, EXPERT_2.user_id)
    # Then expert-1 may no longer decide it, and expert-2 approves it
    message = "only the expert asked for the review may decide it"
    _not_authorized(facts, approve(), message)
    _not_authorized(facts, request(Action.REFUSE_MEDICALLY, EXPERT), message)
    drive(facts, approve(by=EXPERT_2))
    assert (facts.stage, facts.expert_id) == (Stage.CONSENT, EXPERT_2.user_id)


def test_only_a_supervisor_hands_a_review_on_and_only_at_review() -> None:
    review = facts_at(Stage.EXPERT_REVIEW)
    for actor in (EXPERT, EXPERT_2, CONSULTANT, DESK):
        handed = request(Action.REASSIGN_EXPERT_REVIEW, actor, expert_id=EXPERT_2.user_id)
        _not_authorized(review, handed, "REASSIGN_EXPERT_REVIEW needs one of: SUPERVISOR")
    handed = request(Action.REASSIGN_EXPERT_REVIEW, SUPERVISOR, expert_id=EXPERT_2.user_id)
    for stage in (Stage.CONSULTATION, Stage.CONSENT):
        with pytest.raises(TransitionNotAllowed):
            check_action(facts_at(stage), handed)
    same = request(Action.REASSIGN_EXPERT_REVIEW, SUPERVISOR, expert_id=EXPERT.user_id)
    with pytest.raises(ValidationFailed) as refusal:
        check_action(review, same)
    assert [(p.field, p.message) for p in refusal.value.problems] == [
        ("expertId", "already the expert asked for this review")
    ]


def test_the_desk_returns_a_client_its_day_left_waiting_to_triage_unassigned() -> None:
    # Given a client the desk assigned to consultant-1, who has not taken them
    waiting = facts_at(Stage.CONSULTATION)
    back = request(Action.RETURN_TO_TRIAGE, SYSTEM_ACTOR, consultant_id=CONSULTANT.user_id)
    # When the desk's day ends, the journey waits at triage, naming nobody, to be placed anew
    facts = drive(copy.deepcopy(waiting), back)
    assert (facts.stage, facts.consultant_id) == (Stage.TRIAGE, None)
    drive(facts, assign(CONSULTANT_2))
    assert (facts.stage, facts.consultant_id) == (Stage.CONSULTATION, CONSULTANT_2.user_id)
    # A journey handed since to another consultant, or whose consultation was recorded, stays
    other = request(Action.RETURN_TO_TRIAGE, SYSTEM_ACTOR, consultant_id=CONSULTANT_2.user_id)
    with pytest.raises(ValidationFailed):
        check_action(copy.deepcopy(waiting), other)
    consulted = drive(copy.deepcopy(waiting), request(Action.RECORD_CONSULTATION, CONSULTANT))
    with pytest.raises(TransitionNotAllowed):
        check_action(consulted, back)
    # And no member of staff may take it
    for actor in (DESK, SUPERVISOR, CONSULTANT):
        staff_back = request(Action.RETURN_TO_TRIAGE, actor, consultant_id=CONSULTANT.user_id)
        _not_authorized(waiting, staff_back, "RETURN_TO_TRIAGE needs one of: SYSTEM")


def test_system_actions_are_the_clock_and_the_triage_desk_only() -> None:
    # Given the table, the journey's own timers act as SYSTEM, and only SYSTEM acts for them;
    # the triage desk may, beside supervisors, hand a journey to another consultant
    system = {action for action in Action if Role.SYSTEM in ROLES[action]}
    desk_only = {Action.FOLLOW_UP_DUE, Action.MARK_STUCK, Action.RETURN_TO_TRIAGE}
    assert system == {*desk_only, Action.REASSIGN}
    assert all(ROLES[action] == {Role.SYSTEM} for action in desk_only)
    assert ROLES[Action.REASSIGN] == {Role.SUPERVISOR, Role.SYSTEM}
    assert set(STAFF_ACTIONS) == set(Action) - desk_only
    # When the system tries a staff action, or staff a system one, it is refused
    facts = facts_at(Stage.TRIAGE)
    _not_authorized(
        facts,
        ActionRequest(Action.ASSIGN_CONSULTANT, SYSTEM_ACTOR, assign().details),
        "ASSIGN_CONSULTANT needs one of: FRONT_DESK, SUPERVISOR",
    )
    for role in STAFF_ROLES:
        _not_authorized(
            facts,
            ActionRequest(Action.MARK_STUCK, Actor(f"{role.value.lower()}-9", role)),
            "MARK_STUCK needs one of: SYSTEM",
        )


@pytest.mark.parametrize("category", [VisitCategory.FIRST_VISIT, VisitCategory.RECHECK])
def test_treatment_is_the_clinicians_alone(category: VisitCategory) -> None:
    facts = facts_at(Stage.TREATMENT, category)
    for actor in (DESK, CONSULTANT, CASHIER, CALLER, SUPERVISOR):
        names = "EXPERT, NURSE"
        _not_authorized(
            facts, request(Action.START_TREATMENT, actor), f"START_TREATMENT needs one of: {names}"
        )
    for actor in (EXPERT, NURSE):
        check_action(facts, request(Action.START_TREATMENT, actor))
