"""Whom the desk's record activity hands a journey to (`notices.hands_journey_over`): every
placement anew by the supervisor (reassignClient), under any rule, whether or not her ownership
moves with it: a stand-in serves her for her owner and a joint review's second consultant takes
her consultation on, and only the consultant her journey names may record it. Never the desk
following her journey, which names that consultant already. Once the journey names them, what
it tells the desk leaves the desk's placement, its credits and her owner as they are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.journey.table import Action
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decision import EmergencyReason
from domain.triage.desk import AlertKind, DeskState, SeatStatus
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue
from domain.triage.notices import JourneyNotice, hands_journey_over, journey_moved
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive, override
from tests.unit.triage_builders import DESK, NOW, desk, first, reassigning
from workflows.triage_activities import hand_over_request

SOON = NOW + timedelta(minutes=3)
LATE = NOW + timedelta(minutes=11)


def _placed_with_a() -> tuple[DeskState, str]:
    state = desk("A", "B", "C")
    she = first()
    decision, _ = arrive(state, ArriveCommand(DESK, she), NOW)
    assert decision.consultant_id == "A"
    return state, she.journey_id


@pytest.mark.parametrize("rule", list(CreditRule), ids=lambda r: r.value)
def test_every_placement_by_the_supervisor_hands_her_journey_over(rule: CreditRule) -> None:
    state, journey = _placed_with_a()
    [placed] = override(state, reassigning(journey, "B", rule), SOON)
    assert hands_journey_over(placed)
    # The journey's step names B, and takes her from A only while it still names A
    request = hand_over_request(placed)
    assert (request.action, request.details.consultant_id) == (Action.REASSIGN, "B")
    assert request.details.from_consultant_id == "A"


@pytest.mark.parametrize("rule", [CreditRule.OWNER_STAND_IN, CreditRule.JOINT_REVIEW])
def test_a_placement_that_leaves_her_owner_hands_her_journey_over(rule: CreditRule) -> None:
    state, journey = _placed_with_a()
    [placed] = override(state, reassigning(journey, "B", rule), SOON)
    assert (placed.transfers_ownership, placed.owner_id) == (False, None)
    assert hands_journey_over(placed)


def test_the_ten_minute_rule_and_an_emergency_handed_on_hand_her_journey_over() -> None:
    state, journey = _placed_with_a()
    [timed_out] = expire_overdue(state, LATE)
    assert (timed_out.kind, hands_journey_over(timed_out)) == (EntryKind.TIMED_OUT, True)
    state, journey = _placed_with_a()
    state.seats["A"].status = SeatStatus.BUSY
    worse = EmergencyReason.CONDITION_WORSENED
    marked = OverrideCommand(DESK, OverrideKind.EMERGENCY, journey_id=journey, emergency=worse)
    entries = override(state, marked, SOON)
    assert [(e.kind, hands_journey_over(e)) for e in entries] == [
        (EntryKind.REASSIGNED, True),
        (EntryKind.EMERGENCY, False),
    ]


def test_the_desk_following_her_journey_hands_nothing_over() -> None:
    state, journey = _placed_with_a()
    moved = JourneyNotice(journey, Action.REASSIGN.value, "C")
    [followed] = journey_moved(state, moved, SOON)
    assert followed.kind is EntryKind.REASSIGNED
    assert not hands_journey_over(followed)


def test_entries_that_place_nobody_anew_hand_nothing_over() -> None:
    state, journey = _placed_with_a()
    accepted = journey_moved(state, JourneyNotice(journey, "record_consultation", "A"), SOON)
    assert [hands_journey_over(e) for e in accepted] == [False]


@pytest.mark.parametrize(
    ("rule", "credited"),
    [
        (CreditRule.OWNER_STAND_IN, [("A", 100)]),
        (CreditRule.JOINT_REVIEW, [("A", 30), ("B", 70)]),
    ],
)
def test_the_journeys_notices_after_the_hand_over_leave_the_placement(
    rule: CreditRule, credited: list[tuple[str, int]]
) -> None:
    # Given a client placed anew with B, her journey naming B since the hand-over
    state, journey = _placed_with_a()
    override(state, reassigning(journey, "B", rule), SOON)
    # When the hand-over comes back as the desk's own step, and B records the consultation
    told = [
        JourneyNotice(journey, Action.REASSIGN.value, "B"),
        JourneyNotice(journey, "record_consultation", "B"),
    ]
    entries = [e for notice in told for e in journey_moved(state, notice, SOON)]
    # Then the desk logs nothing more, and her credits and placement stand
    assert entries == []
    assignment = state.assignments[journey]
    assert assignment.consultant_id == "B"
    assert list(zip(assignment.credited_to, assignment.credit_percents or [100], strict=True)) == (
        credited
    )


def test_a_stand_in_for_an_emergency_takes_her_in_hand_at_the_first_action() -> None:
    state, journey = _placed_with_a()
    worse = EmergencyReason.CONDITION_WORSENED
    marked = OverrideCommand(DESK, OverrideKind.EMERGENCY, journey_id=journey, emergency=worse)
    override(state, marked, NOW)
    override(state, reassigning(journey, "C", CreditRule.OWNER_STAND_IN), SOON)
    assert [a.kind for a in state.alerts if a.journey_id == journey] == [AlertKind.EMERGENCY]
    [taken] = journey_moved(state, JourneyNotice(journey, "record_consultation", "C"), SOON)
    assert (taken.kind, taken.consultant_id) == (EntryKind.ACCEPTED, "C")
    assert [a for a in state.alerts if a.journey_id == journey] == []
