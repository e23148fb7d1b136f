"""A reached call needs the client's satisfaction, 1 to 5, unless she asked not to be asked about
her results (the API tells the journey so): then none is valid, and one she gives is kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import FieldProblem, FieldProblemCode, ValidationFailed
from domain.journey.effects import apply_action
from domain.journey.facts import ActionDetails, ActionRequest, FollowUp, JourneyFacts
from domain.journey.stages import (
    ArrivalChannel,
    FollowUpOutcome,
    FollowUpStatus,
    Stage,
    VisitCategory,
)
from domain.journey.table import Action
from domain.journey.validation import validate_details
from tests.support import CALLER

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
ONE_TO_FIVE = "a reached client's satisfaction is 1 to 5"


def _score_needed(satisfaction: int | None) -> FieldProblem:
    """REQUIRED when none is given, OUT_OF_RANGE for one outside 1 to 5."""
    code = FieldProblemCode.REQUIRED if satisfaction is None else FieldProblemCode.OUT_OF_RANGE
    return FieldProblem("satisfaction", ONE_TO_FIVE, code)


def _facts() -> JourneyFacts:
    facts = JourneyFacts(
        journey_id="j-1",
        clinic_id="c-1",
        client_id="cl-1",
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=NOW,
        follow_up_offsets=[86_400],
        stage=Stage.FOLLOW_UP,
    )
    facts.follow_ups = [FollowUp("fu-1", "24h", NOW, status=FollowUpStatus.DUE)]
    return facts


def _reached(satisfaction: int | None, *, not_asked: bool) -> ActionDetails:
    return ActionDetails(
        follow_up_id="fu-1",
        follow_up_outcome=FollowUpOutcome.REACHED,
        satisfaction=satisfaction,
        results_not_asked=not_asked,
    )


def _problems(details: ActionDetails) -> list[FieldProblem]:
    try:
        validate_details(_facts(), Action.COMPLETE_FOLLOW_UP, details)
    except ValidationFailed as refused:
        return list(refused.problems)
    return []


@pytest.mark.parametrize("satisfaction", [None, 1, 5])
def test_a_client_not_to_be_asked_needs_no_score(satisfaction: int | None) -> None:
    assert _problems(_reached(satisfaction, not_asked=True)) == []


@pytest.mark.parametrize("satisfaction", [0, 6])
def test_a_score_she_gives_is_still_one_to_five(satisfaction: int) -> None:
    assert _problems(_reached(satisfaction, not_asked=True)) == [_score_needed(satisfaction)]


@pytest.mark.parametrize("satisfaction", [None, 0, 6])
def test_a_client_who_may_be_asked_gives_a_score(satisfaction: int | None) -> None:
    assert _problems(_reached(satisfaction, not_asked=False)) == [_score_needed(satisfaction)]


def test_the_call_is_done_without_a_score() -> None:
    facts = _facts()
    request = ActionRequest(Action.COMPLETE_FOLLOW_UP, CALLER, _reached(None, not_asked=True))
    event = apply_action(facts, request, NOW)
    (call,) = facts.follow_ups
    assert (call.status, call.satisfaction) == (FollowUpStatus.DONE, None)
    assert event.summary == "follow-up 24h done, not asked about her results", event.summary
