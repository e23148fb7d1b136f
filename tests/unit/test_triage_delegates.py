"""A consultant going off post names who takes their own clients; a recheck with new questions
is a repeat purchase for the owner (seed 004)."""

from __future__ import annotations

import pytest

from domain.errors import NotAuthorized, ValidationFailed
from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory as V
from domain.roles import Role
from domain.triage.checks import check_seat
from domain.triage.commands import SeatCommand
from domain.triage.decide import decide
from domain.triage.overrides import change_seat
from domain.triage.policy import DEFAULT_POLICY
from domain.visits import ClientHistory, categorise
from tests.unit.triage_builders import NOW, client, desk, first


def _name_delegate(state, consultant: str, delegate: str, role: Role = Role.CONSULTANT) -> None:  # type: ignore[no-untyped-def]
    actor = Actor(consultant if role is Role.CONSULTANT else "desk-1", role)
    command = SeatCommand(actor, consultant, "note-day-off", delegate_id=delegate)
    check_seat(state, command)
    change_seat(state, command, NOW)


def test_an_owner_off_post_sends_return_visits_to_the_delegate_named_on_the_seat() -> None:
    # Given B named C before going away
    state = desk("A", "B", "C")
    _name_delegate(state, "B", "C")
    state.seats["B"].on_duty = False
    # When B's return visit arrives, Then C takes it as a stand-in and the revenue stays with B
    decision = decide(state, client(V.RETURN_VISIT, owner_id="B"), DEFAULT_POLICY)
    assert (decision.consultant_id, decision.counted) == ("C", False)
    assert decision.credited_to == ("B",)


def test_a_referrers_consultant_off_post_passes_the_referral_to_their_delegate() -> None:
    state = desk("A", "B", "C")
    _name_delegate(state, "B", "C", role=Role.FRONT_DESK)
    state.seats["B"].on_duty = False
    decision = decide(state, first(referrer_consultant_id="B"), DEFAULT_POLICY)
    assert (decision.consultant_id, decision.counted) == ("C", False)


def test_delegates_are_checked() -> None:
    state = desk("A", "B")
    with pytest.raises(ValidationFailed):
        _name_delegate(state, "B", "B")
    # A consultant names only their own delegate
    with pytest.raises(NotAuthorized):
        check_seat(state, SeatCommand(Actor("A", Role.CONSULTANT), "B", "note-x", delegate_id="A"))
    assert state.seats["B"].delegate_id is None


@pytest.mark.parametrize(
    ("new_questions", "category"),
    [(False, V.RECHECK), (True, V.REPEAT_PURCHASE)],
)
def test_a_recheck_with_new_questions_is_a_repeat_purchase(
    new_questions: bool, category: V
) -> None:
    treated_before = ClientHistory(journeys=1, consulted=1, treated=1)
    decision = categorise(
        treated_before, wants_recheck=True, other=False, new_questions=new_questions
    )
    assert decision.category is category
