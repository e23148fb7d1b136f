"""A journey whose handover carried the clinic's allowance past a call's due time, sent by an
API of this release to a worker of the release before (which read no such field), replays with
this release's code as it ran: stuck a day past its call's due time, not as the call fell due
(the clinic's allowance was no hours). Recorded by `record_histories
handed_over_by_a_newer_api` with the code of the release before.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import workflow

from domain.journey.facts import JourneyChange
from domain.journey.stuck_reasons import StuckReason
from tests.workflows.test_call_windows_replay import CaptureChanges
from tests.workflows.test_replay import replay_with
from workflows.journey_changes import FOLLOW_UP_CLINIC_ALLOWANCE

RECORDING = Path(__file__).with_name("histories") / "handed_over_by_a_newer_api.json"


async def _replayed_changes() -> list[JourneyChange]:
    capture = CaptureChanges()
    await replay_with(json.loads(RECORDING.read_text()), capture)
    return capture.changes


async def test_a_handover_taken_without_the_allowance_replays_as_it_ran() -> None:
    # Given the recorded journey: handed over with an allowance of no hours, which the worker
    # of the time did not read; its 3-day call made a day and an hour after it fell due
    # When this release's code replays it (a command that differs would raise here)
    changes = await _replayed_changes()
    # Then it was stuck a day past the call's due time, as it ran, not as the call fell due
    (handed_over,) = [c for c in changes if c.event.action == "hand_over"]
    (call,) = handed_over.facts.follow_ups
    assert (call.label, call.due_at - handed_over.event.at) == ("3d", timedelta(days=3))
    (stuck,) = [c for c in changes if c.event.action == "mark_stuck"]
    assert timedelta(days=1) <= stuck.event.at - call.due_at < timedelta(days=1, seconds=1)
    assert stuck.facts.stuck_reason == "follow-up 3d overdue by more than a day"
    assert stuck.facts.stuck_reason_code is StuckReason.FOLLOW_UP_CALL_OVERDUE
    # And no step of it kept the allowance
    assert all(c.facts.follow_up_allowance_seconds is None for c in changes)


async def test_the_allowance_taken_without_asking_would_not_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a journey that takes the handover's allowance without asking its history, as code
    # changed without the patch would
    asked = workflow.patched

    def regardless(patch_id: str) -> bool:
        return patch_id == FOLLOW_UP_CLINIC_ALLOWANCE or asked(patch_id)

    monkeypatch.setattr(workflow, "patched", regardless)
    # When the recorded history is replayed, the journey is stuck as its call falls due, a
    # step the history does not hold
    with pytest.raises(workflow.NondeterminismError, match="Nondeterminism error"):
        await _replayed_changes()
