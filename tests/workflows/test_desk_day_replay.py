"""A desk that opened a new day with clients still waiting, recorded before a new day released
them, replays with today's code as it ran: the same commands, and the next run given the same
desk, the waiting clients with it. Recorded by tests/workflows/record_desk_day_history.py.

The Replayer compares commands only, so the desk each replayed run hands to its next run is
captured and compared with the one the history recorded.
"""

from __future__ import annotations

from typing import Any, NoReturn

import pytest
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.worker import (
    ContinueAsNewInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from tests.workflows.desk_replay import load, patched_regardless, replay_with
from workflows.desk_patches import DAY_RELEASES_WAITING
from workflows.triage import DeskStart

RECORDING = "day_opened_waiting"


class CaptureNextRun(Interceptor):
    """Keeps what the replayed run continues as new with."""

    def __init__(self) -> None:
        self.carried: list[Any] = []

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        carried = self.carried

        class Outbound(WorkflowOutboundInterceptor):
            def continue_as_new(self, input: ContinueAsNewInput) -> NoReturn:
                carried.append(input.args[0])
                super().continue_as_new(input)

        class Inbound(WorkflowInboundInterceptor):
            def init(self, outbound: WorkflowOutboundInterceptor) -> None:
                super().init(Outbound(outbound))

        return Inbound


def recorded_next_run(history: WorkflowHistory) -> DeskStart:
    attributes = history.events[-1].workflow_execution_continued_as_new_event_attributes
    payloads = list(attributes.input.payloads)
    start: DeskStart = DataConverter.default.payload_converter.from_payloads(payloads, [DeskStart])[
        0
    ]
    return start


async def replayed_next_run(history: WorkflowHistory) -> DeskStart:
    capture = CaptureNextRun()
    await replay_with(history, capture)
    [start] = capture.carried
    assert isinstance(start, DeskStart)
    return start


async def test_a_day_opened_before_the_release_replays_as_it_ran() -> None:
    # Given a desk's first run that opened a new day with two clients waiting (one the
    # supervisor had been called for, one within its ten minutes) and continued as new
    history = load(RECORDING)
    recorded = recorded_next_run(history)
    assert recorded.state is not None
    assert sorted(recorded.state.assignments) == ["j2", "j3"]

    # When today's desk code replays it (a command that differs would raise here)
    replayed = await replayed_next_run(history)

    # Then the next run is handed the same desk, the waiting clients with it
    assert replayed == recorded


async def test_a_desk_that_released_them_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that releases them without asking its history
    patched_regardless(monkeypatch, DAY_RELEASES_WAITING)
    # When the recorded history is replayed
    replayed = await replayed_next_run(load(RECORDING))
    # Then the day's end released the waiting clients, unlike the run it replays
    assert replayed.state is not None and replayed.state.assignments == {}
    assert replayed != recorded_next_run(load(RECORDING))
