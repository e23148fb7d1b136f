"""The fullest journey a run can hand the next one (continue-as-new) stays far under Temporal's
2 MB payload limit, past which the journey could take no step at all: every list its state
carries is bounded, whatever requests arrive (records, void drafts, answers, follow-ups)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.journey.facts import ActionResult, FollowUp, JourneyChange, JourneyEvent
from domain.journey.stages import ConsentKind, FollowUpOutcome, FollowUpStatus, Stage
from domain.journey.validation import MAX_RECORDS_PER_JOURNEY
from domain.procedures.template import MAX_ITEMS
from tests.support import SUPERVISOR, journey_start, new_facts
from workflows.converter import DATA_CONVERTER
from workflows.journey_drafts import VOID_RECORDS_KEPT
from workflows.journey_runs import CARRIED_ANSWERS, AnsweredActions, next_run_start

# An eighth of Temporal's limit: room for ids longer than today's and fields added later.
BOUND_BYTES = 2 * 1024 * 1024 // 8
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def _id() -> str:
    return str(uuid.uuid4())


def test_the_fullest_journey_a_run_carries_stays_far_under_the_payload_limit() -> None:
    start = journey_start()
    facts = new_facts(start)
    facts.stage = Stage.FOLLOW_UP
    # As many records as a journey keeps, and the one of the step that ends it
    facts.attached_records = [_id() for _ in range(MAX_RECORDS_PER_JOURNEY + 1)]
    facts.void_records = [_id() for _ in range(VOID_RECORDS_KEPT)]
    facts.consents_signed = list(ConsentKind)
    facts.follow_up_offsets = [3600 * (n + 1) for n in range(MAX_ITEMS)]
    facts.follow_ups = [
        FollowUp(f"fu-{n}", f"{n} h", NOW + timedelta(hours=n), FollowUpStatus.DUE, 99)
        for n in range(1, MAX_ITEMS + 1)
    ]
    for follow_up in facts.follow_ups:
        follow_up.outcome = FollowUpOutcome.NOT_REACHED
    answered = AnsweredActions([])
    for n in range(CARRIED_ANSWERS * 3):  # a run answers more than it carries
        answered.add("u" * 64 + str(n), ActionResult(Stage.FOLLOW_UP, n, _id()))

    carried = next_run_start(start, facts, answered)
    assert carried.carried is not None
    assert len(carried.carried.answered) == CARRIED_ANSWERS
    (payload,) = DATA_CONVERTER.payload_converter.to_payloads([carried])
    assert payload.ByteSize() < BOUND_BYTES
    # And each step's change, which carries the facts whole, too
    event = JourneyEvent(
        facts.journey_id, 9, "nudge", Stage.FOLLOW_UP, Stage.FOLLOW_UP, SUPERVISOR, NOW, "nudged"
    )
    (change,) = DATA_CONVERTER.payload_converter.to_payloads([JourneyChange(event, facts)])
    assert change.ByteSize() < BOUND_BYTES
