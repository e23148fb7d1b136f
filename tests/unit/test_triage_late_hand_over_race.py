"""The supervisor moves her journey to C just before the 10-minute rule hands her to B: the
journey refuses the desk's hand-over, as it no longer names the consultant the desk hands her
from, and the desk follows C when the journey's notice comes. The desk and the journey agree on
who has her, and who is credited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import DomainError
from domain.journey.access import check_action
from domain.journey.table import Action
from domain.triage.commands import ArriveCommand
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue
from domain.triage.notices import JourneyNotice, journey_moved
from domain.triage.service import arrive
from tests.unit.triage_builders import DESK, NOW, at_consultation, desk, first
from workflows.triage_activities import hand_over_request

LATE = NOW + timedelta(minutes=11)


def test_the_supervisors_move_wins_over_a_late_hand_over_and_the_desk_follows_it() -> None:
    state = desk("A", "B", "C")
    she = first()
    decision, _ = arrive(state, ArriveCommand(DESK, she), NOW)
    assert decision.consultant_id == "A"
    # The 10-minute rule hands her from A to B
    handed = [e for e in expire_overdue(state, LATE) if e.kind is EntryKind.TIMED_OUT]
    assert [(e.from_consultant_id, e.consultant_id) for e in handed] == [("A", "B")]
    # The journey names C already (the supervisor's reassignJourney): it refuses the hand-over
    request = hand_over_request(handed[0])
    assert request.details.from_consultant_id == "A"
    with pytest.raises(DomainError):
        check_action(at_consultation(she.journey_id, "C"), request)
    # The supervisor's move is heard now: the desk follows C, credited whole
    journey_moved(state, JourneyNotice(she.journey_id, Action.REASSIGN.value, "C"), LATE)
    assignment = state.assignments[she.journey_id]
    assert (assignment.consultant_id, assignment.credited_to) == ("C", ["C"])


def test_a_hand_over_from_the_consultant_the_journey_names_goes_ahead() -> None:
    state = desk("A", "B")
    she = first()
    arrive(state, ArriveCommand(DESK, she), NOW)
    handed = [e for e in expire_overdue(state, LATE) if e.kind is EntryKind.TIMED_OUT]
    check_action(at_consultation(she.journey_id, "A"), hand_over_request(handed[0]))


def test_a_release_back_to_triage_names_no_consultant_it_hands_from() -> None:
    # A release back to triage is checked against the consultant it releases, as before
    state = desk("A", "B")
    she = first()
    arrive(state, ArriveCommand(DESK, she), NOW)
    handed = [e for e in expire_overdue(state, LATE) if e.kind is EntryKind.TIMED_OUT]
    request = hand_over_request(handed[0], Action.RETURN_TO_TRIAGE)
    assert request.details.from_consultant_id is None
