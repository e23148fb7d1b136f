"""A desk that handed one client on twice by the 10-minute rule, recorded before a client was
handed over once only, replays with today's code as it ran: the same commands and the same
answers. Recorded by tests/workflows/record_desk_hand_over_history.py.
"""

from __future__ import annotations

import pytest

from tests.workflows.desk_replay import (
    as_answered_today,
    handed_over,
    load,
    patched_regardless,
    recorded_replies,
    replay,
)
from workflows.desk_patches import HAND_OVER_ONCE

RECORDING = "handed_on_twice"


async def test_a_desk_that_handed_a_client_on_twice_replays_as_it_ran() -> None:
    # Given a desk's history in which j1 went from A to B, and ten minutes later on to C
    history = load(RECORDING)
    recorded = recorded_replies(history)
    after = recorded["scope-all"].state
    assert after is not None and after.assignments["j1"].consultant_id == "C"
    assert [(m.creditor_id, m.from_turn_of) for m in after.makeups] == [("A", "B"), ("B", "C")]

    # When today's desk code replays it (a command that differs would raise here)
    replayed = await replay(history)

    # Then every answer is the one recorded: the client went round, as it did then (and, once
    # handed on, says so)
    expected = as_answered_today(recorded)
    expected["scope-a"] = handed_over(expected["scope-a"], "j1", let_wait_by=["A"])
    expected["scope-all"] = handed_over(expected["scope-all"], "j1", let_wait_by=["A", "B"])
    assert replayed == expected


async def test_a_desk_that_handed_over_once_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that hands a client over once without asking its history
    patched_regardless(monkeypatch, HAND_OVER_ONCE)
    # When the recorded history is replayed
    replayed = await replay(load(RECORDING))
    # Then B's wait called the supervisor, unlike the run it replays
    after = replayed["scope-all"].state
    assert after is not None and after.assignments["j1"].consultant_id == "B"
    assert [a.journey_id for a in after.alerts] == ["j1"]
    assert replayed != as_answered_today(recorded_replies(load(RECORDING)))
