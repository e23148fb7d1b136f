"""Each rule that makes a journey stuck says why as a code (`domain.journey.stuck_reasons`), and
the journey marked stuck keeps the code of the rule that fired beside its words: not the rule
that holds of it now, nor what its words would read as. A journey marked stuck before the code
was kept reads as its words say (`domain.journey.stuck_words`)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from domain.journey.effects import apply_action
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest, JourneyFacts
from domain.journey.followups import DAY, HOUR, schedule_follow_ups
from domain.journey.sla import next_breach, resolve_slas
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage, VisitCategory
from domain.journey.stuck_reasons import StuckReason
from domain.journey.stuck_words import code_from_words
from domain.journey.table import Action
from tests.support import CONSULTANT, facts_at

HANDED_OVER = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
WINDOW = StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED
A_DAY_LATE = StuckReason.FOLLOW_UP_CALL_OVERDUE
UNANSWERED = StuckReason.FOLLOW_UP_CALLS_UNANSWERED


def _calls_due(offset: int, *, windows: bool, **changes: object) -> JourneyFacts:
    (call,) = schedule_follow_ups(HANDED_OVER, [offset])
    due = dataclasses.replace(call, status=FollowUpStatus.DUE, **changes)  # type: ignore[arg-type]
    facts = facts_at(Stage.FOLLOW_UP)
    return dataclasses.replace(facts, follow_ups=[due], follow_up_call_windows=windows)


def _code(facts: JourneyFacts) -> StuckReason | None:
    """The code the journey keeps."""
    return facts.stuck_reason_code


def _from_words(facts: JourneyFacts) -> StuckReason:
    """The code the journey would read as had it been marked stuck before the code was kept."""
    return code_from_words(facts.stage, facts.stuck_reason)


def _marked_stuck(facts: JourneyFacts) -> StuckReason:
    """Marks the journey stuck at its deadline; the code of the rule that fired."""
    breach = next_breach(facts)
    assert breach is not None
    apply_action(facts, ActionRequest(Action.MARK_STUCK, SYSTEM_ACTOR), breach.deadline)
    assert (facts.stuck_reason, facts.stuck_reason_code) == (breach.reason, breach.code)
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
    assert _from_words(facts) is code  # the words said before the code was kept read alike


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
    assert _from_words(facts) is StuckReason.STAGE_OVERDUE


def test_the_code_is_the_rule_that_fired_while_another_holds_too() -> None:
    # Given a journey stuck as its 24 h call was not made within the window
    facts = _calls_due(1 * DAY, windows=True)
    assert _marked_stuck(facts) is WINDOW
    # When the call is then tried three times unanswered (the journey stays stuck)
    (call,) = facts.follow_ups
    facts.follow_ups = [dataclasses.replace(call, attempts=3, outcome=FollowUpOutcome.NOT_REACHED)]
    assert next_breach(facts) is not None
    assert next_breach(facts).code is UNANSWERED  # type: ignore[union-attr]
    # Then it keeps the window's rule, as its words say it
    assert _code(facts) is WINDOW
    assert _from_words(facts) is WINDOW


def test_the_journey_keeps_the_code_of_the_rule_that_fired_whatever_its_words_read_as() -> None:
    # Given a journey stuck as its 24 h call was not made within the window
    facts = _calls_due(1 * DAY, windows=True)
    assert _marked_stuck(facts) is WINDOW
    # When its words are said otherwise (the rule reworded since, words that read as three
    # unanswered calls)
    facts.stuck_reason = "follow-up 24h: three unanswered calls"
    # Then it keeps the rule that fired, where its words alone would read otherwise
    assert _code(facts) is WINDOW
    assert _from_words(facts) is UNANSWERED


def test_leaving_the_stuck_stage_clears_the_code_with_the_words() -> None:
    # Given a journey stuck in consent
    facts = dataclasses.replace(
        facts_at(Stage.CONSENT),
        stage_entered_at=HANDED_OVER,
        stage_slas=resolve_slas(VisitCategory.FIRST_VISIT, {}),
    )
    assert _marked_stuck(facts) is StuckReason.STAGE_OVERDUE
    # When it leaves the stage
    fired = apply_action(facts, ActionRequest(Action.DECLINE, CONSULTANT), HANDED_OVER)
    # Then neither words nor code say it is stuck
    assert fired.to_stage is not Stage.CONSENT
    assert (facts.stuck_since, facts.stuck_reason, _code(facts)) == (None, None, None)


def test_words_no_rule_says_read_as_a_call_overdue() -> None:
    facts = _calls_due(1 * DAY, windows=True)
    _marked_stuck(facts)
    facts.stuck_reason = "follow-up 24h reworded since"
    assert _from_words(facts) is A_DAY_LATE
    facts.stuck_reason = "stage SLA breached"
    assert _from_words(facts) is A_DAY_LATE
