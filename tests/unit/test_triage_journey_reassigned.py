"""The desk follows a journey moved away from the consultant it placed her with (the supervisor's
reassignJourney), as reassignClient places a client anew: the new consultant has her, the
pending assignment is settled without a hand-over, her UNACCEPTED alert leaves, and the turns
stand as reassignClient leaves them (`notices.journey_moved`, `overrides.follow_journey`). And an
emergency placed anew, whichever way, leaves the board once her new consultant acts first on her
journey: that is her being taken in hand, and leaves it if her journey ends before. A journey the
desk followed once is followed each time the supervisor moves it on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.journey.facts import TRIAGE_DESK_ACTOR, Actor, JourneyEvent, JourneyFacts
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.triage.alerts import BoundAsked
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.desk import AlertKind, DeskState
from domain.triage.entries import EntryKind
from domain.triage.ledger import DESK_ACTOR_ID, expire_overdue
from domain.triage.notices import JourneyNotice, followed_journey, journey_moved, notice_for
from domain.triage.revenue import Credit, CreditRule
from domain.triage.service import arrive, override
from tests.unit.triage_builders import (
    DESK,
    NOW,
    at_consultation,
    desk,
    first,
    owed,
    reassigning,
    turns,
)

SOON = NOW + timedelta(minutes=3)
LATE = NOW + timedelta(minutes=11)
SUPERVISOR = Actor("sup-1", Role.SUPERVISOR)


def _placed(*specs: str) -> tuple[DeskState, Arrival]:
    """A desk of `specs` and a first visit it placed with A (the rotation's first)."""
    state = desk(*specs)
    she = first()
    decision, _ = arrive(state, ArriveCommand(DESK, she), NOW)
    assert decision.consultant_id == "A"
    return state, she


def _answering(answer: bool) -> tuple[list[bool], BoundAsked]:
    asked: list[bool] = []

    def history() -> bool:
        asked.append(answer)
        return answer

    return asked, history


def _kinds_of(state: DeskState, journey_id: str) -> list[AlertKind | None]:
    return [a.kind for a in state.alerts if a.journey_id == journey_id]


def _emergency(state: DeskState, she: Arrival) -> None:
    worse = EmergencyReason.CONDITION_WORSENED
    marked = OverrideCommand(
        DESK, OverrideKind.EMERGENCY, journey_id=she.journey_id, emergency=worse
    )
    override(state, marked, NOW)
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY]


def moved_by_the_supervisor(journey_id: str, to: str) -> JourneyNotice:
    """What her journey tells the desk once the supervisor's reassignJourney names `to`."""
    return JourneyNotice(journey_id, Action.REASSIGN.value, to)


def first_action(journey_id: str, by: str) -> JourneyNotice:
    return JourneyNotice(journey_id, Action.RECORD_CONSULTATION.value, by)


# --- what the journey tells the desk ---------------------------------------------------------


def _facts(consultant: str) -> JourneyFacts:
    return at_consultation("j1", consultant)


def _reassigned_by(actor: Actor, stage: Stage = Stage.CONSULTATION) -> JourneyEvent:
    return JourneyEvent("j1", 5, Action.REASSIGN.value, stage, stage, actor, NOW, "")


def test_a_journey_the_supervisor_reassigns_in_consultation_tells_its_desk() -> None:
    # When the supervisor moves a journey in consultation to C
    # Then the journey tells its desk who has her now
    notice = notice_for(_reassigned_by(SUPERVISOR), _facts("C"))
    assert notice == JourneyNotice("j1", "reassign", consultant_id="C")
    # And the desk's own hand-over, which the desk knows of, tells it nothing
    assert notice_for(_reassigned_by(TRIAGE_DESK_ACTOR), _facts("B")) is None


@pytest.mark.parametrize(
    "stage",
    [Stage.EXPERT_REVIEW, Stage.CONSENT, Stage.PAYMENT, Stage.TREATMENT, Stage.HANDOVER],
)
def test_a_journey_the_supervisor_reassigns_after_consultation_tells_its_desk(
    stage: Stage,
) -> None:
    # When the supervisor moves a journey past its consultation to C
    # Then the journey tells its desk who has her now, as it does in consultation
    notice = notice_for(_reassigned_by(SUPERVISOR, stage), _facts("C"))
    assert notice == JourneyNotice("j1", "reassign", consultant_id="C", seq=5)
    # And the desk's own hand-over still tells it nothing
    assert notice_for(_reassigned_by(TRIAGE_DESK_ACTOR, stage), _facts("B")) is None


# --- a journey reassigned away from the desk's consultant ------------------------------------


@pytest.mark.parametrize("notice", [moved_by_the_supervisor, first_action])
def test_a_client_moved_to_another_consultant_is_settled_as_placed_anew(notice: object) -> None:
    # Given a first visit the desk placed with A, her turn, still in her minutes
    state, she = _placed("A", "B", "C")
    assert turns(state) == {"A": 1}

    # When her journey is moved to C (told at the supervisor's move, or at C's first action)
    told = notice(she.journey_id, "C")  # type: ignore[operator]
    entries = journey_moved(state, told, SOON)

    # Then the desk no longer waits on A: C has her, taken, as reassignClient leaves a client
    moved = state.assignments[she.journey_id]
    assert (moved.consultant_id, moved.accepted, moved.accept_by) == ("C", True, None)
    assert state.pending() == []
    reassigned = entries[0]
    assert (reassigned.kind, reassigned.actor_id) == (EntryKind.REASSIGNED, DESK_ACTOR_ID)
    assert (reassigned.from_consultant_id, reassigned.consultant_id) == ("A", "C")
    assert reassigned.credits == [Credit("C", 100, CreditRule.ASSIGNED)]
    assert (reassigned.transfers_ownership, reassigned.owner_id) == (True, "C")
    # (the journey names C already: the desk's record sends it no hand-over)
    assert followed_journey(reassigned)
    # And A's turn stands used, nobody owes anyone, the visit is counted with C
    assert turns(state) == {"A": 1}
    assert owed(state) == {}
    assert state.seats["A"].counts.get("FIRST_VISIT", 0) == 0
    assert state.seats["C"].counts == {"FIRST_VISIT": 1}

    # When A's acceptance minutes pass
    # Then the 10-minute rule hands nobody on
    assert expire_overdue(state, LATE) == []
    assert turns(state) == {"A": 1}
    assert owed(state) == {}


def test_her_unaccepted_alert_leaves_when_her_journey_is_moved() -> None:
    # Given a client A let wait past the minutes, nobody free to hand her on to
    state, she = _placed("A", "B:busy")
    expire_overdue(state, LATE)
    assert _kinds_of(state, she.journey_id) == [AlertKind.UNACCEPTED]
    # When the supervisor moves her journey to C, a consultant the desk does not seat
    journey_moved(state, moved_by_the_supervisor(she.journey_id, "C"), LATE)
    # Then her call leaves the board, and the desk waits on nobody for her
    assert _kinds_of(state, she.journey_id) == []
    assert state.pending() == []
    assert state.seats["A"].counts.get("FIRST_VISIT", 0) == 0


def test_a_desk_whose_history_did_not_follow_asks_once_and_keeps_waiting() -> None:
    # Given a client the desk placed with A, on a desk whose history did not follow the journey
    state, she = _placed("A", "B", "C")
    asked, kept = _answering(False)
    # When her journey is moved to C
    entries = journey_moved(
        state, moved_by_the_supervisor(she.journey_id, "C"), SOON, journey_followed=kept
    )
    # Then the desk asked its history once and still waits on A, as that run did
    assert (asked, entries) == ([False], [])
    assert state.assignments[she.journey_id].consultant_id == "A"
    assert [a.journey_id for a in state.pending()] == [she.journey_id]


def test_the_desk_asks_nothing_when_nothing_moved_away() -> None:
    # Given a client waiting for A
    state, she = _placed("A", "B", "C")
    asked, followed = _answering(True)
    # When the journey names the desk's own consultant
    same = journey_moved(
        state, moved_by_the_supervisor(she.journey_id, "A"), SOON, journey_followed=followed
    )
    # Then nothing changes and the desk asks its history nothing
    assert (same, asked) == ([], [])
    assert [a.journey_id for a in state.pending()] == [she.journey_id]


def test_a_journey_moved_on_again_is_followed_again() -> None:
    # Given a client the desk followed from A to B when the supervisor moved her journey
    state, she = _placed("A", "B", "C")
    journey_moved(state, moved_by_the_supervisor(she.journey_id, "B"), SOON)
    asked, again = _answering(True)

    # When the supervisor moves her journey on to C
    entries = journey_moved(
        state, moved_by_the_supervisor(she.journey_id, "C"), SOON, followed_again=again
    )

    # Then the desk asked its history once and follows it again: C has her, credited whole
    assert asked == [True]
    [moved] = entries
    assert (moved.kind, moved.actor_id) == (EntryKind.REASSIGNED, DESK_ACTOR_ID)
    assert (moved.from_consultant_id, moved.consultant_id) == ("B", "C")
    assert moved.credits == [Credit("C", 100, CreditRule.ASSIGNED)]
    assert (moved.transfers_ownership, moved.owner_id) == (True, "C")
    assert followed_journey(moved)
    assert state.assignments[she.journey_id].credited_to == ["C"]
    # And A's turn stands used, nobody owes anyone, the visit is counted with C
    assert turns(state) == {"A": 1}
    assert owed(state) == {}
    assert {k: s.counts.get("FIRST_VISIT", 0) for k, s in state.seats.items()} == {
        "A": 0,
        "B": 0,
        "C": 1,
    }

    # When C acts first on her journey
    # Then nothing more changes: she is C's
    assert journey_moved(state, first_action(she.journey_id, "C"), SOON) == []


def test_a_journey_moved_on_before_it_told_is_followed_at_the_new_consultants_action() -> None:
    state, she = _placed("A", "B", "C")
    journey_moved(state, moved_by_the_supervisor(she.journey_id, "B"), SOON)
    entries = journey_moved(state, first_action(she.journey_id, "C"), SOON)
    assert [(e.kind, e.consultant_id) for e in entries] == [(EntryKind.REASSIGNED, "C")]
    assert state.assignments[she.journey_id].credited_to == ["C"]


def test_a_desk_whose_history_did_not_follow_again_asks_once_and_keeps_the_credit() -> None:
    state, she = _placed("A", "B", "C")
    journey_moved(state, moved_by_the_supervisor(she.journey_id, "B"), SOON)
    asked, kept = _answering(False)
    entries = journey_moved(
        state, moved_by_the_supervisor(she.journey_id, "C"), SOON, followed_again=kept
    )
    assert (asked, entries) == ([False], [])
    assert state.assignments[she.journey_id].credited_to == ["B"]


# --- an emergency placed anew ----------------------------------------------------------------


def test_an_emergency_placed_anew_leaves_the_board_at_her_new_consultants_first_action() -> None:
    # Given an emergency waiting for A, placed anew with B by the supervisor (reassignClient)
    state, she = _placed("A", "B", "C")
    _emergency(state, she)
    [placed] = override(state, reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST), SOON)
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY]
    assert not followed_journey(placed)  # the journey follows the supervisor's pick
    asked, cleared = _answering(True)

    # When A, no longer hers, acts on her journey
    # Then nothing changes and the desk asks nothing
    assert (
        journey_moved(state, first_action(she.journey_id, "A"), SOON, reassigned_cleared=cleared)
        == []
    )
    assert asked == []

    # When B acts first on her journey
    entries = journey_moved(
        state, first_action(she.journey_id, "B"), SOON, reassigned_cleared=cleared
    )
    # Then she is in hand: her EMERGENCY alert leaves the board, the log saying B took her
    assert asked == [True]
    assert _kinds_of(state, she.journey_id) == []
    [taken] = entries
    assert (taken.kind, taken.consultant_id, taken.actor_id) == (EntryKind.ACCEPTED, "B", "B")


def test_a_desk_whose_history_kept_a_placed_anew_emergency_keeps_it() -> None:
    state, she = _placed("A", "B", "C")
    _emergency(state, she)
    override(state, reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST), SOON)
    asked, kept = _answering(False)
    entries = journey_moved(state, first_action(she.journey_id, "B"), SOON, reassigned_cleared=kept)
    assert (asked, entries) == ([False], [])
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY]


def test_a_client_placed_anew_who_is_no_emergency_asks_nothing() -> None:
    state, she = _placed("A", "B", "C")
    override(state, reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST), SOON)
    asked, cleared = _answering(True)
    entries = journey_moved(
        state, first_action(she.journey_id, "B"), SOON, reassigned_cleared=cleared
    )
    assert (asked, entries) == ([], [])


def test_an_emergency_whose_journey_was_moved_leaves_once_her_new_consultant_acts() -> None:
    # Given an emergency waiting for A
    state, she = _placed("A", "B", "C")
    _emergency(state, she)
    # When the supervisor moves her journey to C
    journey_moved(state, moved_by_the_supervisor(she.journey_id, "C"), SOON)
    # Then C has her, and the emergency is not in hand until C acts
    assert state.assignments[she.journey_id].consultant_id == "C"
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY]
    # When C acts first on her journey
    journey_moved(state, first_action(she.journey_id, "C"), SOON)
    # Then her alert leaves the board
    assert _kinds_of(state, she.journey_id) == []


def test_an_emergency_moved_and_served_at_once_leaves_the_board() -> None:
    # Given an emergency waiting for A, whose journey the desk heard moved only as C acted first
    state, she = _placed("A", "B", "C")
    _emergency(state, she)
    # When C's first action reaches the desk
    entries = journey_moved(state, first_action(she.journey_id, "C"), SOON)
    # Then C has her, taken in hand: placed anew, then accepted, her alert gone
    assert [e.kind for e in entries] == [EntryKind.REASSIGNED, EntryKind.ACCEPTED]
    assert _kinds_of(state, she.journey_id) == []
    assert state.pending() == []


def _ended(journey_id: str) -> JourneyNotice:
    return JourneyNotice(journey_id, Action.CANCEL.value, ended=True)


@pytest.mark.parametrize("anew", ["reassign_client", "reassign_journey"])
def test_an_emergency_placed_anew_whose_journey_ends_leaves_the_board(anew: str) -> None:
    # Given an emergency waiting for A, placed anew with B (reassignClient, or her journey moved)
    state, she = _placed("A", "B", "C")
    _emergency(state, she)
    if anew == "reassign_client":
        override(state, reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST), SOON)
    else:
        journey_moved(state, moved_by_the_supervisor(she.journey_id, "B"), SOON)
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY]
    asked, cleared = _answering(True)

    # When her journey ends before B acts on it
    entries = journey_moved(state, _ended(she.journey_id), SOON, ended_cleared=cleared)

    # Then the desk asked its history once, and her alert leaves the board, a RELEASED entry
    # naming B saying so
    assert asked == [True]
    assert _kinds_of(state, she.journey_id) == []
    [released] = entries
    assert (released.kind, released.consultant_id, released.actor_id) == (
        EntryKind.RELEASED,
        "B",
        DESK_ACTOR_ID,
    )
    # And whatever her journey tells after changes nothing
    assert journey_moved(state, first_action(she.journey_id, "B"), SOON) == []


def test_a_desk_whose_history_kept_an_ended_placed_anew_emergency_keeps_it() -> None:
    state, she = _placed("A", "B", "C")
    _emergency(state, she)
    override(state, reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST), SOON)
    asked, kept = _answering(False)
    entries = journey_moved(state, _ended(she.journey_id), SOON, ended_cleared=kept)
    assert (asked, entries) == ([False], [])
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY]


def test_a_client_taken_whose_journey_ends_asks_nothing() -> None:
    # Given a client placed anew who is no emergency, and an emergency her consultant took
    state, she = _placed("A", "B", "C")
    override(state, reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST), SOON)
    urgent = first()
    arrive(state, ArriveCommand(DESK, urgent), NOW)
    _emergency(state, urgent)
    journey_moved(state, first_action(urgent.journey_id, "B"), SOON)
    asked, cleared = _answering(True)
    # When their journeys end
    # Then nothing changes and the desk asks its history nothing
    for journey_id in (she.journey_id, urgent.journey_id):
        assert journey_moved(state, _ended(journey_id), SOON, ended_cleared=cleared) == []
    assert asked == []
