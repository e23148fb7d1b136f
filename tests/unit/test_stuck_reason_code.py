"""Each rule that makes a journey stuck says why as a code (`domain.journey.stuck_reasons`), and
the journey marked stuck is read back as the rule that fired: from the words it keeps, not from
the rule that holds of it now."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from domain.journey.effects import apply_action
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest, JourneyFacts
from domain.journey.followups import DAY, HOUR, schedule_follow_ups
from domain.journey.sla import next_breach, resolve_slas, stuck_reason_code
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage, VisitCategory
from domain.journey.stuck_reasons import StuckReason
from domain.journey.table import Action
from tests.support import facts_at

HANDED_OVER = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
WINDOW = StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED
A_DAY_LATE = StuckReason.FOLLOW_UP_CALL_OVERDUE
UNANSWERED = StuckReason.FOLLOW_UP_CALLS_UNANSWERED


def _calls_due(offset: int, *, windows: bool, **changes: object) -> JourneyFacts:
    (call,) = schedule_follow_ups(HANDED_OVER, [offset])
    due = dataclasses.replace(call, status=FollowUpStatus.DUE, **changes)  # type: ignore[arg-type]
    facts = facts_at(Stage.FOLLOW_UP)
    return dataclasses.replace(facts, follow_ups=[due], follow_up_call_windows=windows)


def _code(facts: JourneyFacts) -> StuckReason:
    """The code the journey reads as, from what the read model keeps of it."""
    return stuck_reason_code(facts.stage, facts.stuck_reason, facts.follow_ups)


def _marked_stuck(facts: JourneyFacts) -> StuckReason:
    """Marks the journey stuck at its deadline; the code of the rule that fired."""
    breach = next_breach(facts)
    assert breach is not None
    apply_action(facts, ActionRequest(Action.MARK_STUCK, SYSTEM_ACTOR), breach.deadline)
    assert facts.stuck_reason == breach.reason
    return breach.code


@pytest.mark.parametrize(
    ("offset", "windows", "changes", "code"),
    [
        (6 * HOUR, True, {}, WINDOW),
        (1 * DAY, True, {}, WINDOW),
        (1 * DAY, False, {}, A_DAY_LATE),  # a run started before the windows
        (3 * DAY, True, {}, A_DAY_LATE),  # no window holds a call of the third day
        (7 * DAY, True, {"attempts": 3, "outcome": FollowUpOutcome.NOT_REACHED}, UNANSWERED),
        (1 * DAY, False, {"attempts": 3, "outcome": FollowUpOutcome.NOT_REACHED}, UNANSWERED),
    ],
)
def test_a_journey_stuck_on_a_call_reads_back_as_its_rule(
    offset: int, windows: bool, changes: dict[str, object], code: StuckReason
) -> None:
    facts = _calls_due(offset, windows=windows, **changes)
    assert _marked_stuck(facts) is code
    assert _code(facts) is code


@pytest.mark.parametrize(
    "stage", [s for s in Stage if not s.is_terminal and s is not Stage.FOLLOW_UP]
)
def test_a_journey_stuck_in_any_other_stage_is_over_its_sla(stage: Stage) -> None:
    facts = dataclasses.replace(
        facts_at(Stage.TRIAGE),
        stage=stage,
        stage_entered_at=HANDED_OVER,
        stage_slas=resolve_slas(VisitCategory.FIRST_VISIT, {}),
    )
    assert _marked_stuck(facts) is StuckReason.STAGE_OVERDUE
    assert _code(facts) is StuckReason.STAGE_OVERDUE


def test_the_code_is_the_rule_that_fired_while_another_holds_too() -> None:
    # Given a journey stuck as its 24 h call was not made within the window
    facts = _calls_due(1 * DAY, windows=True)
    assert _marked_stuck(facts) is WINDOW
    # When the call is then tried three times unanswered (the journey stays stuck)
    (call,) = facts.follow_ups
    facts.follow_ups = [dataclasses.replace(call, attempts=3, outcome=FollowUpOutcome.NOT_REACHED)]
    assert next_breach(facts) is not None
    assert next_breach(facts).code is UNANSWERED  # type: ignore[union-attr]
    # Then it reads as the window's rule, as its words say
    assert _code(facts) is WINDOW


def test_words_no_rule_says_read_as_a_call_overdue() -> None:
    facts = _calls_due(1 * DAY, windows=True)
    _marked_stuck(facts)
    facts.stuck_reason = "follow-up 24h reworded since"
    assert _code(facts) is A_DAY_LATE
