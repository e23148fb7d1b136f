"""The desk learns from the journey: a consultant who starts serving has accepted, a client who
has gone releases the assignment, and neither is handed on by the 10-minute rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.journey.facts import Actor, JourneyEvent, JourneyFacts
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


def test_notices_for_unknown_settled_or_other_consultants_change_nothing() -> None:
    state = desk("A", "B")
    run(state, [first(journey_id="j1")])
    seq = state.seq
    assert journey_moved(state, JourneyNotice("elsewhere", "cancel", ended=True), NOW) == []
    assert journey_moved(state, JourneyNotice("j1", "record_consultation", "B"), NOW) == []
    journey_moved(state, JourneyNotice("j1", "record_consultation", "A"), NOW)
    assert journey_moved(state, JourneyNotice("j1", "cancel", ended=True), NOW) == []
    assert state.seq == seq + 1
