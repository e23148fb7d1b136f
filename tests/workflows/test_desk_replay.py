"""A triage desk recorded before staff words moved to desk notes replays with today's code.

Such a desk's history holds commands with the words themselves (`reason`, a policy `name`);
desks continue as new only at midnight, so one may be running when today's code is deployed.
The Replayer compares commands only, so every update's answer (the desk after the change) is
captured during the replay and compared with the answer the history recorded.
Recorded by tests/workflows/record_desk_history.py.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.worker import (
    HandleUpdateInput,
    Interceptor,
    Replayer,
    UnsandboxedWorkflowRunner,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from domain.triage import checks
from domain.triage.board_changes import board_view
from domain.triage.commands import DeskReply
from workflows.triage import TriageDeskWorkflow

RECORDING = Path(__file__).with_name("histories") / "desk" / "legacy_reasons.json"


class CaptureReplies(Interceptor):
    """Keeps each replayed update's answer, by update id."""

    def __init__(self) -> None:
        self.replies: dict[str, Any] = {}

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        replies = self.replies

        class Capture(WorkflowInboundInterceptor):
            async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
                reply = await super().handle_update_handler(input)
                replies[input.id] = reply
                return reply

        return Capture


def recorded_replies(history: WorkflowHistory) -> dict[str, DeskReply]:
    """The answers the history holds, read as today's `DeskReply` (new fields take defaults)."""
    converter = DataConverter.default.payload_converter
    replies = {}
    for event in history.events:
        if event.HasField("workflow_execution_update_completed_event_attributes"):
            completed = event.workflow_execution_update_completed_event_attributes
            payloads = list(completed.outcome.success.payloads)
            replies[completed.meta.update_id] = converter.from_payloads(payloads, [DeskReply])[0]
    return replies


def as_answered_today(replies: dict[str, DeskReply]) -> dict[str, DeskReply]:
    """Recorded answers with the desk in each as today's answers show it: these held every
    assignment of the day, today's only those still waiting (`board_changes.board_view`)."""
    return {
        key: replace(reply, state=board_view(reply.state)) if reply.state else reply
        for key, reply in replies.items()
    }


def handed_over(reply: DeskReply, *journey_ids: str) -> DeskReply:
    """A recorded answer as today's desk gives it once the 10-minute rule has handed these
    clients on: today's assignment says so (`Assignment.handed_over`), the recorded one could
    not."""
    assert reply.state is not None
    assignments = {
        key: replace(a, handed_over=True) if key in journey_ids else a
        for key, a in reply.state.assignments.items()
    }
    return replace(reply, state=replace(reply.state, assignments=assignments))


async def replay(history: WorkflowHistory) -> dict[str, Any]:
    capture = CaptureReplies()
    replayer = Replayer(
        workflows=[TriageDeskWorkflow],
        interceptors=[capture],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    await replayer.replay_workflow(history)
    return capture.replies


def load() -> WorkflowHistory:
    recording = json.loads(RECORDING.read_text())
    return WorkflowHistory.from_json(recording["workflow_id"], recording["history"])


async def test_a_desk_recorded_with_reasons_replays_to_the_same_answers() -> None:
    # Given a desk's history whose commands carry the staff's words, every update answered
    history = load()
    recorded = recorded_replies(history)
    assert len(recorded) == 14
    # When today's desk code replays it
    replayed = await replay(history)
    # Then no command differs (else replay raised) and every answer is the one recorded
    assert replayed == as_answered_today(recorded)
    assert recorded["p"].state is not None and recorded["p"].state.policy.label == "strict v2"


async def test_a_desk_that_ignored_the_legacy_words_would_fail_the_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that no longer takes a command's own words as its reason
    monkeypatch.setattr(checks, "explained", lambda command: bool(command.note_id))
    # When the recorded history is replayed, the seat changes it accepted are refused now, so
    # the commands that followed them never come
    with pytest.raises(workflow.NondeterminismError, match="Nondeterminism error"):
        await replay(load())
