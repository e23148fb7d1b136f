"""A desk that handed one client on twice by the 10-minute rule, recorded before a client was
handed over once only, replays with today's code as it ran: the same commands and the same
answers. Recorded by tests/workflows/record_desk_hand_over_history.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory

from tests.workflows.test_desk_replay import (
    as_answered_today,
    handed_over,
    recorded_replies,
    replay,
)
from workflows.triage import HAND_OVER_ONCE

RECORDING = Path(__file__).with_name("histories") / "desk" / "handed_on_twice.json"


def load() -> WorkflowHistory:
    recording = json.loads(RECORDING.read_text())
    return WorkflowHistory.from_json(recording["workflow_id"], recording["history"])


async def test_a_desk_that_handed_a_client_on_twice_replays_as_it_ran() -> None:
    # Given a desk's history in which j1 went from A to B, and ten minutes later on to C
    history = load()
    recorded = recorded_replies(history)
    after = recorded["scope-all"].state
    assert after is not None and after.assignments["j1"].consultant_id == "C"
    assert [(m.creditor_id, m.from_turn_of) for m in after.makeups] == [("A", "B"), ("B", "C")]

    # When today's desk code replays it (a command that differs would raise here)
    replayed = await replay(history)

    # Then every answer is the one recorded: the client went round, as it did then (and, once
    # handed on, says so)
    expected = as_answered_today(recorded)
    for key in ("scope-a", "scope-all"):
        expected[key] = handed_over(expected[key], "j1")
    assert replayed == expected


async def test_a_desk_that_handed_over_once_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that hands a client over once without asking its history
    asked = workflow.patched

    def once_regardless(patch_id: str) -> bool:
        return patch_id == HAND_OVER_ONCE or asked(patch_id)

    monkeypatch.setattr(workflow, "patched", once_regardless)
    # When the recorded history is replayed
    replayed = await replay(load())
    # Then B's wait called the supervisor, unlike the run it replays
    after = replayed["scope-all"].state
    assert after is not None and after.assignments["j1"].consultant_id == "B"
    assert [a.journey_id for a in after.alerts] == ["j1"]
    assert replayed != as_answered_today(recorded_replies(load()))
