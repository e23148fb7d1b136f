"""Revenue attribution when the supervisor moves a client (seed 004 "业绩平分",
"业绩及顾客均仍归属原咨询师", "可得到30%的销售业绩", "改派后应补派一个初诊给A"): who is credited,
who owns the client afterwards, and what happens to the turns."""

from __future__ import annotations

from domain.journey.stages import VisitCategory
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry
from domain.triage.revenue import CreditRule
from domain.triage.service import override
from tests.unit.triage_builders import NOW, client, desk, first, owed, reassigning, run, turns


def _reassign(state: DeskState, journey_id: str, to: str, rule: CreditRule) -> DeskEntry:
    entry, *_ = override(state, reassigning(journey_id, to, rule), NOW)
    return entry


def _credits(entry: DeskEntry) -> list[tuple[str, int]]:
    return [(c.consultant_id, c.percent) for c in entry.credits]


def test_a_wrong_assignment_not_the_consultants_fault_splits_half_and_half() -> None:
    # Given a first visit the rotation gave to A that belonged to B
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j")])

    entry = _reassign(state, "j", "B", CreditRule.WRONG_ASSIGNMENT_SHARED)

    assert _credits(entry) == [("A", 50), ("B", 50)]
    assert (entry.transfers_ownership, entry.owner_id) == (True, "B")
    assert state.assignments["j"].credited_to == ["A", "B"]


def test_a_wrong_assignment_the_consultant_caused_goes_back_whole_to_the_original() -> None:
    # Given A received B's client by A's own doing; the client goes back to B
    state = desk("A", "B")
    run(state, [first(journey_id="j")])

    entry = _reassign(state, "j", "B", CreditRule.WRONG_ASSIGNMENT_BY_CONSULTANT)

    assert _credits(entry) == [("B", 100)]
    assert entry.owner_id == "B"


def test_a_joint_review_keeps_thirty_percent_the_turn_and_the_client() -> None:
    state = desk("A", "B")
    run(state, [first(journey_id="j")])

    entry = _reassign(state, "j", "B", CreditRule.JOINT_REVIEW)

    assert _credits(entry) == [("A", 30), ("B", 70)]
    assert not entry.transfers_ownership
    assert (turns(state), owed(state)) == ({"A": 1}, {})


def test_a_referral_found_mid_consultation_goes_to_the_referrers_consultant_and_owes_a_turn() -> (
    None
):
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j")])

    entry = _reassign(state, "j", "B", CreditRule.REFERRAL_FOUND)

    # Not a turn for B, A's turn is given again later
    assert _credits(entry) == [("B", 100)]
    assert entry.owner_id == "B"
    assert (turns(state), owed(state)) == ({}, {"A": 1})
    assert run(state, [first()]).consultants == ["A"]


def test_a_client_who_asks_for_another_consultant_moves_revenue_and_ownership() -> None:
    state = desk("A", "B")
    run(state, [first(journey_id="j")])

    entry = _reassign(state, "j", "B", CreditRule.CLIENT_REQUEST)

    assert _credits(entry) == [("B", 100)]
    assert entry.owner_id == "B"


def test_a_stand_in_the_supervisor_names_serves_for_the_owner_who_keeps_revenue_and_client() -> (
    None
):
    # Given a return visit with its owner A, who cannot come after all
    state = desk("A", "B", "C")
    run(state, [client(VisitCategory.RETURN_VISIT, owner_id="A", journey_id="j")])

    # When the supervisor has B stand in for A
    entry = _reassign(state, "j", "B", CreditRule.OWNER_STAND_IN)

    # Then B serves, the revenue is A's and A still owns the client
    assert state.assignments["j"].consultant_id == "B"
    assert _credits(entry) == [("A", 100)]
    assert state.assignments["j"].credited_to == ["A"]
    assert not entry.transfers_ownership


def test_a_second_stand_in_still_credits_the_owner() -> None:
    # Given a return visit whose owner A is away: the desk gave it to a stand-in, B
    state = desk("A:away", "B", "C")
    run(state, [client(VisitCategory.RETURN_VISIT, owner_id="A", journey_id="j")])
    assert state.assignments["j"].consultant_id == "B"

    entry = _reassign(state, "j", "C", CreditRule.OWNER_STAND_IN)

    assert _credits(entry) == [("A", 100)]
    assert not entry.transfers_ownership


def _split_then_stand_in(rule: CreditRule) -> tuple[DeskState, DeskEntry]:
    """A first visit the rotation gave to A, moved to B under `rule` (a split), then C named to
    stand in for B, who is away: the stand-in's entry."""
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j")])
    _reassign(state, "j", "B", rule)
    return state, _reassign(state, "j", "C", CreditRule.OWNER_STAND_IN)


def test_a_stand_in_for_a_consultant_who_shares_the_revenue_half_and_half_leaves_the_split() -> (
    None
):
    # Given A and B credited 50/50 (a wrong assignment not A's fault); When C stands in for B
    state, entry = _split_then_stand_in(CreditRule.WRONG_ASSIGNMENT_SHARED)

    # Then C serves, the split stands as it was and C gets none of it; nobody's client moves
    assert state.assignments["j"].consultant_id == "C"
    assert [(c.consultant_id, c.percent, c.rule) for c in entry.credits] == [
        ("A", 50, CreditRule.OWNER_STAND_IN),
        ("B", 50, CreditRule.OWNER_STAND_IN),
    ]
    assert (state.assignments["j"].credited_to, state.assignments["j"].credit_percents) == (
        ["A", "B"],
        [50, 50],
    )
    assert (entry.transfers_ownership, entry.owner_id) == (False, None)


def test_a_stand_in_after_a_joint_review_leaves_the_thirty_seventy_split() -> None:
    state, entry = _split_then_stand_in(CreditRule.JOINT_REVIEW)

    assert _credits(entry) == [("A", 30), ("B", 70)]
    assert state.assignments["j"].credit_percents == [30, 70]
    # And a second stand-in still leaves it as it stood
    assert _credits(_reassign(state, "j", "A", CreditRule.OWNER_STAND_IN)) == [("A", 30), ("B", 70)]


def test_a_desk_carried_without_the_percents_credits_the_consultant_assigned_whole() -> None:
    # Given A and B credited 50/50 on a desk carried from a run before it kept the percents
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j")])
    _reassign(state, "j", "B", CreditRule.WRONG_ASSIGNMENT_SHARED)
    state.assignments["j"].credit_percents = None

    entry = _reassign(state, "j", "C", CreditRule.OWNER_STAND_IN)

    # Then the stand-in credits B, the consultant assigned, whole: as that desk did
    assert _credits(entry) == [("B", 100)]
    assert state.assignments["j"].credited_to == ["B"]


def test_a_desk_run_begun_before_the_split_was_kept_is_asked_only_for_a_split() -> None:
    asked: list[str] = []

    def before() -> bool:
        asked.append("split")
        return False

    def stand_in(state: DeskState, to: str) -> DeskEntry:
        command = reassigning("j", to, CreditRule.OWNER_STAND_IN)
        entry, *_ = override(state, command, NOW, stand_in_split=before)
        return entry

    # Given a stand-in for a consultant credited whole: nothing to ask
    whole = desk("A", "B", "C")
    run(whole, [first(journey_id="j")])
    assert _credits(stand_in(whole, "B")) == [("A", 100)]
    assert asked == []

    # Given A and B credited 50/50 on a desk whose history says it ran before: asked, and the
    # consultant assigned is credited whole, as that run did
    shared = desk("A", "B", "C")
    run(shared, [first(journey_id="j")])
    _reassign(shared, "j", "B", CreditRule.WRONG_ASSIGNMENT_SHARED)
    assert _credits(stand_in(shared, "C")) == [("B", 100)]
    assert asked == ["split"]
    assert (shared.assignments["j"].credited_to, shared.assignments["j"].credit_percents) == (
        ["B"],
        None,
    )


def test_a_reassignment_that_credits_one_consultant_whole_drops_the_kept_split() -> None:
    # Given A and B credited 50/50; When the client asks for C
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j")])
    _reassign(state, "j", "B", CreditRule.WRONG_ASSIGNMENT_SHARED)
    _reassign(state, "j", "C", CreditRule.CLIENT_REQUEST)

    # Then C takes it whole, and a stand-in for C later leaves it with C
    assert (state.assignments["j"].credited_to, state.assignments["j"].credit_percents) == (
        ["C"],
        None,
    )
    assert _credits(_reassign(state, "j", "A", CreditRule.OWNER_STAND_IN)) == [("C", 100)]
