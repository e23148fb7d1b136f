"""The desk follows the journey of a client taken already, placed anew by the supervisor
(reassignClient) or taken by her consultant, when the supervisor moves it to another consultant
(reassignJourney): the supervisor's latest decision stands, so the desk's log, her owner and the
revenue credit name the consultant her journey names (`notices.journey_moved`,
`overrides.follow_journey`). Another consultant's first action, before the desk's hand-over
reached her journey, undoes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.triage.alerts import BoundAsked
from domain.triage.commands import ArriveCommand
from domain.triage.desk import DeskState
from domain.triage.entries import EntryKind
from domain.triage.ledger import DESK_ACTOR_ID
from domain.triage.notices import followed_journey, journey_moved
from domain.triage.revenue import Credit, CreditRule
from domain.triage.service import arrive, override
from tests.unit.test_triage_journey_reassigned import (
    SOON,
    first_action,
    moved_by_the_supervisor,
)
from tests.unit.triage_builders import DESK, NOW, desk, first, owed, reassigning, turns


def _answering(answer: bool) -> tuple[list[bool], BoundAsked]:
    asked: list[bool] = []

    def history() -> bool:
        asked.append(answer)
        return answer

    return asked, history


def _placed_anew_with_b(state: DeskState, journey_id: str) -> None:
    """The supervisor places her anew with B, a wrong assignment not A's fault (50/50)."""
    anew = reassigning(journey_id, "B", CreditRule.WRONG_ASSIGNMENT_SHARED)
    override(state, anew, SOON)


def _taken_by_b(state: DeskState, journey_id: str) -> None:
    """B, whom the desk gave her, acts first on her journey."""
    journey_moved(state, first_action(journey_id, "B"), SOON)


def _taken(how: Callable[[DeskState, str], None]) -> tuple[DeskState, str]:
    """A desk of A, B and C whose first visit (A's turn) is with B, taken, as `how` leaves her."""
    state = desk("A", "B", "C")
    if how is _taken_by_b:
        arrive(state, ArriveCommand(DESK, first()), NOW)  # A's turn, for another client
    she = first()
    arrive(state, ArriveCommand(DESK, she), NOW)
    how(state, she.journey_id)
    assignment = state.assignments[she.journey_id]
    assert (assignment.consultant_id, assignment.accepted) == ("B", True)
    return state, she.journey_id


@pytest.mark.parametrize("how", [_placed_anew_with_b, _taken_by_b], ids=["anew", "consultant"])
def test_a_client_taken_whose_journey_the_supervisor_moves_is_followed(
    how: Callable[[DeskState, str], None],
) -> None:
    # Given a client with B, taken (placed anew by the supervisor, or by B's first action)
    state, journey_id = _taken(how)
    turns_before = turns(state)
    asked, followed = _answering(True)

    # When the supervisor moves her journey to C
    entries = journey_moved(
        state, moved_by_the_supervisor(journey_id, "C"), SOON, taken_followed=followed
    )

    # Then the desk asked its history once and follows it: C has her, credited whole, hers
    assert asked == [True]
    [moved] = entries
    assert (moved.kind, moved.actor_id) == (EntryKind.REASSIGNED, DESK_ACTOR_ID)
    assert (moved.from_consultant_id, moved.consultant_id) == ("B", "C")
    assert moved.credits == [Credit("C", 100, CreditRule.ASSIGNED)]
    assert (moved.transfers_ownership, moved.owner_id) == (True, "C")
    assert state.assignments[journey_id].credited_to == ["C"]
    # (her journey names C already: the desk's record sends it no hand-over)
    assert followed_journey(moved)
    # And the turns stand, nobody owes anyone, nobody waits for her, her visit is C's
    assert (turns(state), owed(state)) == (turns_before, {})
    assert journey_id not in [a.journey_id for a in state.pending()]
    assert state.seats["C"].counts == {"FIRST_VISIT": 1}

    # When C acts first on her journey
    # Then nothing more changes: she is C's
    assert journey_moved(state, first_action(journey_id, "C"), SOON) == []


def test_a_desk_whose_history_kept_a_client_taken_asks_once_and_keeps_her() -> None:
    # Given a client placed anew with B, on a desk whose history did not follow such a move
    state, journey_id = _taken(_placed_anew_with_b)
    asked, kept = _answering(False)
    # When the supervisor moves her journey to C
    entries = journey_moved(
        state, moved_by_the_supervisor(journey_id, "C"), SOON, taken_followed=kept
    )
    # Then the desk asked once and keeps her with B, the split as the supervisor made it
    assert (asked, entries) == ([False], [])
    assert state.assignments[journey_id].credited_to == ["A", "B"]


def test_the_first_action_of_the_consultant_she_was_taken_from_undoes_nothing() -> None:
    # Given a client placed anew with B, whose journey the desk's hand-over has not reached
    state, journey_id = _taken(_placed_anew_with_b)
    asked, followed = _answering(True)
    # When A, whom her journey still names, acts first on it; or her journey names B
    by_a = journey_moved(state, first_action(journey_id, "A"), SOON, taken_followed=followed)
    to_b = journey_moved(
        state, moved_by_the_supervisor(journey_id, "B"), SOON, taken_followed=followed
    )
    # Then the supervisor's placement stands, and the desk asks its history nothing
    assert (by_a, to_b, asked) == ([], [], [])
    assert state.assignments[journey_id].consultant_id == "B"
