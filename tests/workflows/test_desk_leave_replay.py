"""A desk that handed a leaver's client straight back to the consultant who let them wait,
recorded before the hand-on passed such consultants by, replays with today's code as it ran.
Recorded by tests/workflows/record_desk_leave_history.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.triage.commands import DeskReply
from tests.workflows.desk_replay import (
    as_answered_today,
    load,
    patched_regardless,
    recorded_replies,
    replay,
)
from workflows.desk_patches import SKIP_TIMED_OUT

RECORDING = "leave_hands_back"


def _let_wait_by_a(reply: DeskReply) -> DeskReply:
    """A recorded answer as today's desk gives it: today's assignment names who let the client
    wait (`Assignment.timed_out_with`), the recorded one could not."""
    assert reply.state is not None
    j1 = replace(reply.state.assignments["j1"], timed_out_with=["A"])
    return replace(reply, state=replace(reply.state, assignments={"j1": j1}))


async def test_a_desk_that_handed_a_leavers_client_back_replays_as_it_ran() -> None:
    # Given a desk's history in which j1 went from A to B by the 10-minute rule, B left, and the
    # client went straight back to A
    history = load(RECORDING)
    recorded = recorded_replies(history)
    after = recorded["scope-c"].state
    assert after is not None and after.assignments["j1"].consultant_id == "A"

    # When today's desk code replays it (a command that differs would raise here)
    replayed = await replay(history)

    # Then every answer is the one recorded: the client went back to A, as it did then
    expected = as_answered_today(recorded)
    for key in ("b-left", "scope-c"):
        expected[key] = _let_wait_by_a(expected[key])
    assert replayed == expected


async def test_a_desk_that_skipped_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that passes by who let the client wait without asking its history
    patched_regardless(monkeypatch, SKIP_TIMED_OUT)
    # When the recorded history is replayed
    replayed = await replay(load(RECORDING))
    # Then the client went to C, unlike the run it replays
    after = replayed["scope-c"].state
    assert after is not None and after.assignments["j1"].consultant_id == "C"
