"""Replaying a recorded triage desk (histories/desk/, written by the record_desk_*_history.py
scripts) with the current desk code, and reading what it answered then and answers now.

The Replayer compares commands only, so a replay test captures what the replayed desk answers
(each update's reply, what a run hands its next, or the records it sends its writer) and compares
it with what the history recorded.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.worker import (
    HandleUpdateInput,
    Interceptor,
    StartActivityInput,
    UnsandboxedWorkflowRunner,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from domain.triage.board_changes import board_view
from domain.triage.commands import DeskReply
from tests.support import replayer
from workflows.triage import TriageDeskWorkflow

RECORDINGS = Path(__file__).with_name("histories") / "desk"


def load(name: str) -> WorkflowHistory:
    """The desk history recorded as histories/desk/<name>.json."""
    recording = json.loads((RECORDINGS / f"{name}.json").read_text())
    return WorkflowHistory.from_json(recording["workflow_id"], recording["history"])


async def replay_with(history: WorkflowHistory, capture: Interceptor) -> None:
    """Replays `history` with the current desk code, `capture` keeping what it needs; a command
    that differs from the recorded one raises `workflow.NondeterminismError`."""
    replaying = replayer(
        TriageDeskWorkflow,
        interceptors=[capture],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    await replaying.replay_workflow(history)


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


async def replay(history: WorkflowHistory) -> dict[str, Any]:
    """Every update's answer as today's desk code gives it, replaying `history`, by update id."""
    capture = CaptureReplies()
    await replay_with(history, capture)
    return capture.replies


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


class CaptureRecords(Interceptor):
    """Keeps each record the replayed desk sends its writer, in the JSON form its history holds
    (an activity's input, which the Replayer does not compare)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        records = self.records
        converter = DataConverter.default.payload_converter

        class Outbound(WorkflowOutboundInterceptor):
            def start_activity(self, input: StartActivityInput) -> workflow.ActivityHandle[Any]:
                records.append(json.loads(converter.to_payloads(input.args)[0].data))
                return super().start_activity(input)

        class Inbound(WorkflowInboundInterceptor):
            def init(self, outbound: WorkflowOutboundInterceptor) -> None:
                super().init(Outbound(outbound))

        return Inbound


async def replayed_records(history: WorkflowHistory) -> list[dict[str, Any]]:
    """Every record to the writer as the current desk code sends it, replaying `history`."""
    capture = CaptureRecords()
    await replay_with(history, capture)
    return capture.records


# Fields a desk's records carry since a history may have been recorded, each with whether the
# current desk may give it a value replaying such a history: an assignment's `emergency`
# (`domain.triage.emergency`, whose route is patched) stays null; its `credit_percents`
# (`domain.triage.desk.Assignment.credit`) holds the percents of a split the history made (50/50,
# a joint review's 30/70), which the desk now keeps though the one recorded did not; its
# `follows_journey` (`domain.triage.overrides.follow_journey`) holds whether the desk followed
# her journey, which a history recorded after the desk first followed one may show it did; its
# `journey_seq` (`domain.triage.notices.journey_moved`) stays null, as no notice a history
# recorded before holds carries its event's seq.
NEW_FIELDS = {
    "emergency": False,
    "credit_percents": True,
    "follows_journey": True,
    "journey_seq": False,
}


def as_recorded(replayed: Any, recorded: Any) -> Any:
    """`replayed` (records in their JSON form, as the current desk sends them) read as
    `recorded` (the ones the history holds) was written: without the new fields it does not
    hold, where they are null or may hold a value. A field the history holds is compared, null
    or not."""
    if isinstance(replayed, list) and isinstance(recorded, list) and len(replayed) == len(recorded):
        return [as_recorded(item, was) for item, was in zip(replayed, recorded, strict=True)]
    if not (isinstance(replayed, dict) and isinstance(recorded, dict)):
        return replayed
    return {
        key: as_recorded(item, recorded.get(key))
        for key, item in replayed.items()
        if key in recorded or key not in NEW_FIELDS or (item is not None and not NEW_FIELDS[key])
    }


def recorded_records(history: WorkflowHistory) -> list[dict[str, Any]]:
    """The records to the writer the history holds, in their JSON form."""
    records = []
    for event in history.events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            records.append(json.loads(scheduled.input.payloads[0].data))
    return records


def as_answered_today(replies: dict[str, DeskReply]) -> dict[str, DeskReply]:
    """Recorded answers with the desk in each as today's answers show it: these held every
    assignment of the day, today's only those still waiting (`board_changes.board_view`)."""
    return {
        key: replace(reply, state=board_view(reply.state)) if reply.state else reply
        for key, reply in replies.items()
    }


async def replayed_in_full(history: WorkflowHistory) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every update's answer, by update id, and every record to the writer as the current desk
    code gives them, replaying `history`."""
    return await replay(history), await replayed_records(history)


async def replayed_as_recorded(history: WorkflowHistory) -> dict[str, Any]:
    """Every update's answer as the current desk code gives it, replaying `history`, by update id,
    once each answer and each record to the writer is found to be the one recorded (the records
    read `as_recorded`)."""
    replies, records = await replayed_in_full(history)
    assert replies == as_answered_today(recorded_replies(history))
    recorded = recorded_records(history)
    assert as_recorded(records, recorded) == recorded
    return replies


def recorded_before(name: str, patch_id: str) -> tuple[WorkflowHistory, dict[str, DeskReply]]:
    """The recorded desk history `name`, found recorded before the change `patch_id` (no marker
    of it), and its recorded answers by update id."""
    history = load(name)
    assert not marked(history, patch_id)
    return history, recorded_replies(history)


async def replayed_regardless(
    monkeypatch: pytest.MonkeyPatch, name: str, patch_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The answers and records to the writer of the recorded history `name`, replayed by a desk
    that takes the change `patch_id` without asking its history (`patched_regardless`): what a
    desk changed without the patch would make of the desks running when it is deployed."""
    patched_regardless(monkeypatch, patch_id)
    return await replayed_in_full(load(name))


def marked(history: WorkflowHistory, patch_id: str) -> bool:
    """Whether the history holds the marker of the change `patch_id` (the SDK's "core_patch")."""
    return any(
        patch_id.encode()
        in event.marker_recorded_event_attributes.details["patch-data"].payloads[0].data
        for event in history.events
        if event.marker_recorded_event_attributes.marker_name == "core_patch"
    )


async def assert_replays_as_run(desk: WorkflowHandle[Any, Any], patch_id: str) -> None:
    """The history of a desk run with the current code holds the marker of the change `patch_id`,
    and replays sending its writer the records the run sent."""
    history = await desk.fetch_history()
    assert marked(history, patch_id)
    assert await replayed_records(history) == recorded_records(history)


def handed_over(reply: DeskReply, *journey_ids: str, let_wait_by: list[str]) -> DeskReply:
    """A recorded answer as today's desk gives it once the 10-minute rule has handed these
    clients on: today's assignment says so (`Assignment.handed_over`), and names who let them
    wait (`Assignment.timed_out_with`); the recorded one could not."""
    assert reply.state is not None
    assignments = {
        key: replace(a, handed_over=True, timed_out_with=let_wait_by) if key in journey_ids else a
        for key, a in reply.state.assignments.items()
    }
    return replace(reply, state=replace(reply.state, assignments=assignments))


def patched_regardless(monkeypatch: pytest.MonkeyPatch, patch_id: str) -> None:
    """Makes the desk take the change behind `patch_id` without asking its history, as a desk
    changed without the patch would, for the rest of the test."""
    asked = workflow.patched

    def regardless(asked_id: str) -> bool:
        return asked_id == patch_id or asked(asked_id)

    monkeypatch.setattr(workflow, "patched", regardless)
