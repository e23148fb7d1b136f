"""Key items go first to the month's priority staff, fairly among them (seed 004, 重点项目)."""

from __future__ import annotations

from dataclasses import replace

from domain.triage.desk import SeatStatus
from domain.triage.policy import DEFAULT_POLICY
from domain.triage.ranking import KeyItemStanding, rank
from tests.unit.triage_builders import Status, desk, first, run, turns

KEY_ITEMS = replace(DEFAULT_POLICY, key_items=("breast",))


def test_key_items_go_to_priority_staff_by_fewest_turns_then_rank() -> None:
    # Given C then B are this month's priority staff for breast surgery
    state = desk("A", "B", "C", policy=KEY_ITEMS)
    state.key_item_priority = ["C", "B"]
    # When two breast clients and then a skin client arrive
    outcome = run(state, [first("breast"), first("breast"), first("skin")])
    # Then C (rank 1), then B (fewer turns), and the skin client goes by plain rotation to A
    assert outcome.consultants == ["C", "B", "A"]
    assert outcome.routes == ["KEY_ITEM", "KEY_ITEM", "ROTATION"]
    assert turns(state) == {"A": 1, "B": 1, "C": 1}


def test_a_busy_priority_consultant_is_passed_and_none_free_means_rotation() -> None:
    state = desk("A", "B", "C", policy=KEY_ITEMS)
    state.key_item_priority = ["C"]
    outcome = run(state, [Status("C", SeatStatus.BUSY), first("breast")])
    assert (outcome.consultants, outcome.routes) == (["A"], ["ROTATION"])


def test_without_a_ranking_key_items_go_by_rotation() -> None:
    state = desk("A", "B", policy=KEY_ITEMS)
    assert run(state, [first("breast")]).routes == ["ROTATION"]


def test_the_ranking_puts_conversion_first_then_the_average_ticket() -> None:
    standings = [
        KeyItemStanding("low-rate", consultations=10, deals=2, paid_minor=2_000_000),
        KeyItemStanding("high-rate-cheap", consultations=4, deals=2, paid_minor=200_000),
        KeyItemStanding("high-rate-dear", consultations=2, deals=1, paid_minor=500_000),
    ]
    assert [s.consultant_id for s in rank(standings)] == [
        "high-rate-dear",
        "high-rate-cheap",
        "low-rate",
    ]


def test_a_lead_goes_to_the_consultant_of_its_earliest_contact_without_a_turn() -> None:
    # Given a phone lead first handled by C, arriving for the first visit
    state = desk("A", "B", "C")
    lead = first("skin", owner_id="C", owner_from_lead=True)
    outcome = run(state, [lead])
    # Then C receives the client as the owner, and nobody's turn is used
    assert (outcome.consultants, outcome.routes) == (["C"], ["OWNER"])
    assert turns(state) == {}
