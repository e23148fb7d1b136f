"""A desk that called the supervisor twice for one client and kept both alerts, recorded before a
desk kept one open alert per journey and kind (`domain.triage.alerts`), replays with today's code
as it ran. Recorded by tests/workflows/record_desk_alerts_history.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.triage.commands import DeskReply
from domain.triage.desk import AlertKind
from tests.workflows.desk_replay import (
    as_answered_today,
    load,
    patched_regardless,
    recorded_replies,
    replay,
)
from workflows.desk_patches import ALERTS_BOUNDED

RECORDING = "repeated_alert"


def _of_a_kind(reply: DeskReply) -> DeskReply:
    """A recorded answer as today's desk gives it: today's alerts name their kind, the recorded
    ones could not."""
    assert reply.state is not None
    alerts = [replace(alert, kind=AlertKind.UNACCEPTED) for alert in reply.state.alerts]
    return replace(reply, state=replace(reply.state, alerts=alerts))


async def test_a_desk_that_kept_a_repeated_alert_twice_replays_as_it_ran() -> None:
    # Given a desk's history in which j1 waited for A with B busy (the supervisor called), then
    # A left with nobody free (the supervisor called again), both alerts kept
    history = load(RECORDING)
    recorded = recorded_replies(history)
    after = recorded["scope-b"].state
    assert after is not None
    assert [(a.journey_id, a.kind, a.raised) for a in after.alerts] == [("j1", None, 1)] * 2

    # When today's desk code replays it (a command that differs would raise here)
    replayed = await replay(history)

    # Then every answer is the one recorded: two alerts for j1, as it kept them then
    expected = as_answered_today(recorded)
    for key in ("a-left", "scope-b"):
        expected[key] = _of_a_kind(expected[key])
    assert replayed == expected


async def test_a_desk_that_bounded_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that merges a repeated alert without asking its history
    patched_regardless(monkeypatch, ALERTS_BOUNDED)
    # When the recorded history is replayed
    replayed = await replay(load(RECORDING))
    # Then j1 has one alert, raised twice, unlike the run it replays
    after = replayed["scope-b"].state
    assert after is not None
    assert [(a.journey_id, a.raised) for a in after.alerts] == [("j1", 2)]
