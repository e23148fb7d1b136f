"""A journey recorded by the release before a due call's stuck deadline followed its handbook
window replays with this release's code as it ran: stuck a day past its first call's due time
(48 h after the handover), not as the call fell due. Recorded by `record_histories
first_call_a_day_late`; the Replayer compares commands only, so the replayed run's read-model
writes are captured too, each step's event and the journey after it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.worker import (
    Interceptor,
    StartLocalActivityInput,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from domain.journey.facts import JourneyChange
from domain.journey.stuck_reasons import StuckReason
from tests.workflows.test_replay import replay_with
from workflows.journey_changes import FOLLOW_UP_CALL_WINDOWS

RECORDING = Path(__file__).with_name("histories") / "first_call_a_day_late.json"


class CaptureChanges(Interceptor):
    """Keeps each change the replayed run sends its read model, in order."""

    def __init__(self) -> None:
        self.changes: list[JourneyChange] = []

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        changes = self.changes

        class Outbound(WorkflowOutboundInterceptor):
            def start_local_activity(self, input: StartLocalActivityInput) -> Any:
                changes.extend(arg for arg in input.args if isinstance(arg, JourneyChange))
                return super().start_local_activity(input)

        class Capture(WorkflowInboundInterceptor):
            def init(self, outbound: WorkflowOutboundInterceptor) -> None:
                super().init(Outbound(outbound))

        return Capture


async def _replayed_changes() -> list[JourneyChange]:
    capture = CaptureChanges()
    await replay_with(json.loads(RECORDING.read_text()), capture)
    return capture.changes


async def test_a_journey_stuck_a_day_past_its_first_call_replays_as_it_ran() -> None:
    # Given the recorded journey: handed over, its first call (24 h) made 49 hours later
    # When this release's code replays it (a command that differs would raise here)
    changes = await _replayed_changes()
    # Then it was stuck a day past the call's due time (the wake-up's moment, to the second),
    # not as the call fell due
    (handed_over,) = [c for c in changes if c.event.action == "hand_over"]
    first = handed_over.facts.follow_ups[0]
    assert (first.label, first.due_at - handed_over.event.at) == ("24h", timedelta(days=1))
    stuck = [c for c in changes if c.event.action == "mark_stuck"]
    assert len(stuck) == 1
    assert timedelta(days=1) <= stuck[0].event.at - first.due_at < timedelta(days=1, seconds=1)
    assert stuck[0].facts.stuck_reason == "follow-up 24h overdue by more than a day"
    # And the replayed run keeps the rule's code beside the words, with no command of its own
    # (the code rides in the facts the read model is sent: a run marked stuck before the code
    # was kept writes it with its next step on this release's workers)
    assert stuck[0].facts.stuck_reason_code is StuckReason.FOLLOW_UP_CALL_OVERDUE
    # And it never took the windows: no step of it asked under this code
    assert not any(c.facts.follow_up_call_windows for c in changes)


async def test_the_windows_taken_without_asking_would_not_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a journey that takes the windows without asking its history, as code changed
    # without the patch would
    asked = workflow.patched

    def regardless(patch_id: str) -> bool:
        return patch_id.startswith(f"{FOLLOW_UP_CALL_WINDOWS}@") or asked(patch_id)

    monkeypatch.setattr(workflow, "patched", regardless)
    # When the recorded history is replayed, the journey is stuck as its first call falls due,
    # a step the history does not hold
    with pytest.raises(workflow.NondeterminismError, match="Nondeterminism error"):
        await _replayed_changes()
