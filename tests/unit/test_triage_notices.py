"""The desk learns from the journey: a consultant who starts serving has accepted, a client who
has gone releases the assignment, and neither is handed on by the 10-minute rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.journey.effects import apply_action
from domain.journey.facts import ActionDetails, ActionRequest, Actor, JourneyEvent, JourneyFacts
from domain.journey.stages import ArrivalChannel, Stage, VisitCategory
from domain.journey.table import Action
from domain.roles import Role
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue
from domain.triage.notices import JourneyNotice, journey_moved, notice_for
from tests.unit.triage_builders import NOW, desk, first, owed, run, turns

LATER = NOW + timedelta(minutes=11)
CONSULT = Stage.CONSULTATION


def _facts(stage: Stage, consultant: str | None = "A") -> JourneyFacts:
    return JourneyFacts(
        journey_id="j1",
        clinic_id="clinic-1",
        client_id="c1",
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=datetime(2025, 3, 3, 8, 0, tzinfo=UTC),
        follow_up_offsets=[],
        stage=stage,
        consultant_id=consultant,
    )


def _event(action: Action, actor: Actor, before: Stage, after: Stage) -> JourneyEvent:
    return JourneyEvent("j1", 4, action.value, before, after, actor, NOW, "")


def test_the_assigned_consultants_action_in_consultation_is_a_notice() -> None:
    facts = _facts(Stage.CONSULTATION)
    consultant = Actor("A", Role.CONSULTANT)
    consulting = _event(Action.RECORD_CONSULTATION, consultant, CONSULT, CONSULT)
    assert notice_for(consulting, facts) == JourneyNotice(
        "j1", "record_consultation", consultant_id="A"
    )
    # Someone else's action is no acceptance, and past consultation the desk waits no more
    other = _event(Action.RECORD_CONSULTATION, Actor("B", Role.CONSULTANT), CONSULT, CONSULT)
    assert notice_for(other, facts) is None
    nudged = _event(Action.NUDGE, Actor("s", Role.SUPERVISOR), CONSULT, CONSULT)
    assert notice_for(nudged, facts) is None
    later = _event(Action.SIGN_CONSENT, consultant, Stage.CONSENT, Stage.PAYMENT)
    assert notice_for(later, _facts(Stage.PAYMENT)) is None


def test_an_ending_at_triage_or_in_consultation_is_a_notice() -> None:
    front_desk = Actor("d", Role.FRONT_DESK)
    cancelled = _facts(Stage.CANCELLED)
    ended = _event(Action.CANCEL, front_desk, CONSULT, Stage.CANCELLED)
    assert notice_for(ended, cancelled) == JourneyNotice("j1", "cancel", ended=True)
    at_triage = _event(Action.CANCEL, front_desk, Stage.TRIAGE, Stage.CANCELLED)
    assert notice_for(at_triage, cancelled) == JourneyNotice("j1", "cancel", ended=True)
    # A client who went on past consultation is no longer at the desk
    declined = _event(Action.DECLINE, front_desk, Stage.CONSENT, Stage.DECLINED)
    assert notice_for(declined, _facts(Stage.DECLINED)) is None


def test_a_consultant_who_records_the_consultation_without_accepting_keeps_the_client() -> None:
    # Given A received a first visit and did not press "accept"
    state = desk("A", "B")
    run(state, [first(journey_id="j1")])
    # When A records the consultation (the journey tells the desk)
    entries = journey_moved(state, JourneyNotice("j1", "record_consultation", "A"), NOW)
    # Then the desk logs the acceptance, and ten minutes later nobody takes the client
    assert [(e.kind, e.actor_id) for e in entries] == [(EntryKind.ACCEPTED, "A")]
    assert "record_consultation" in entries[0].reason
    assert expire_overdue(state, LATER) == []
    assert state.assignments["j1"].consultant_id == "A"
    assert (turns(state), owed(state)) == ({"A": 1}, {})


def test_a_journey_cancelled_after_assignment_is_released_and_costs_nobody_a_turn() -> None:
    state = desk("A", "B")
    run(state, [first(journey_id="j1")])
    entries = journey_moved(state, JourneyNotice("j1", "cancel", ended=True), NOW)
    assert [e.kind for e in entries] == [EntryKind.RELEASED]
    assert state.pending() == []
    assert expire_overdue(state, LATER) == []
    # B did not take A's client and owes nobody a turn; no alert
    assert (turns(state), owed(state), state.alerts) == ({"A": 1}, {}, [])


def test_notices_for_unknown_or_settled_journeys_change_nothing() -> None:
    # (A notice naming another consultant than the desk's is a journey moved away from them:
    # the desk follows it, test_triage_journey_reassigned.py.)
    state = desk("A", "B")
    run(state, [first(journey_id="j1")])
    seq = state.seq
    assert journey_moved(state, JourneyNotice("elsewhere", "cancel", ended=True), NOW) == []
    journey_moved(state, JourneyNotice("j1", "record_consultation", "A"), NOW)
    assert journey_moved(state, JourneyNotice("j1", "record_consultation", "B"), NOW) == []
    assert journey_moved(state, JourneyNotice("j1", "cancel", ended=True), NOW) == []
    assert state.seq == seq + 1


def test_only_the_named_consultants_first_action_is_a_notice() -> None:
    # Given A was named, and has acted before (the facts mark A's first action, event 4)
    facts = _facts(Stage.CONSULTATION)
    facts.consultant_first_acted_seq = 4
    consultant = Actor("A", Role.CONSULTANT)
    first_act = _event(Action.RECORD_CONSULTATION, consultant, CONSULT, CONSULT)
    assert notice_for(first_act, facts) == JourneyNotice("j1", "record_consultation", "A")
    # When A acts again (event 5), the desk hears nothing new
    again = JourneyEvent("j1", 5, "record_consultation", CONSULT, CONSULT, consultant, NOW, "")
    assert notice_for(again, facts) is None
    # Facts from a release that kept no mark are told as before
    facts.consultant_first_acted_seq = None
    assert notice_for(again, facts) == JourneyNotice("j1", "record_consultation", "A")
    # An ending is told whatever the mark says
    facts.consultant_first_acted_seq = 4
    ended = _event(Action.CLOSE_NOT_CONVERTED, consultant, CONSULT, Stage.NOT_CONVERTED)
    facts.stage = Stage.NOT_CONVERTED
    assert notice_for(ended, facts) == JourneyNotice("j1", "close_not_converted", ended=True)


def test_the_journey_marks_its_named_consultants_first_action() -> None:
    facts = _facts(Stage.TRIAGE, consultant=None)
    desk_staff = Actor("d", Role.FRONT_DESK)
    a, b = Actor("A", Role.CONSULTANT), Actor("B", Role.CONSULTANT)

    def step(action: Action, actor: Actor, consultant: str | None = None) -> JourneyEvent:
        request = ActionRequest(action, actor, ActionDetails(consultant_id=consultant))
        return apply_action(facts, request, NOW)

    step(Action.ASSIGN_CONSULTANT, desk_staff, "A")
    assert facts.consultant_first_acted_seq is None
    first_act = step(Action.RECORD_CONSULTATION, a)
    assert facts.consultant_first_acted_seq == first_act.seq
    step(Action.RECORD_CONSULTATION, a)
    assert facts.consultant_first_acted_seq == first_act.seq
    # Another consultant named: the desk waits on B's first action
    step(Action.REASSIGN, Actor("s", Role.SUPERVISOR), "B")
    assert facts.consultant_first_acted_seq is None
    b_first = step(Action.RECORD_CONSULTATION, b)
    assert notice_for(b_first, facts) == JourneyNotice("j1", "record_consultation", "B")
    assert notice_for(step(Action.RECORD_CONSULTATION, b), facts) is None


def test_a_recheck_leaving_triage_with_her_doctor_is_a_notice_naming_who_examines() -> None:
    # A recheck is routed, never placed by the desk: it hears that her doctor or nurse has her
    front_desk, treat = Actor("d", Role.FRONT_DESK), Stage.TREATMENT
    assigned = _event(Action.ASSIGN_CONSULTANT, front_desk, Stage.TRIAGE, treat)
    recheck = replace(_facts(treat, "doctor-1"), visit_category=VisitCategory.RECHECK)
    assert notice_for(assigned, recheck) == JourneyNotice("j1", "assign_consultant", "doctor-1")
    linked = replace(recheck, consultant_id="owner-1", expert_id="doctor-2")
    assert notice_for(assigned, linked) == JourneyNotice("j1", "assign_consultant", "doctor-2")
    # Any other client's assignment by the front desk tells the desk nothing (it placed her)
    placed = _event(Action.ASSIGN_CONSULTANT, front_desk, Stage.TRIAGE, CONSULT)
    assert notice_for(placed, _facts(CONSULT)) is None
