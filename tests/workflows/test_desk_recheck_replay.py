"""A desk that raised a supervisor alert for a recheck (before a recheck was logged as routed)
replays with today's code: the same commands, the same answers, except that the desk replayed
holds no alert for the recheck. Recorded by tests/workflows/record_desk_recheck_history.py.
"""

from __future__ import annotations

from dataclasses import replace

from domain.triage.commands import DeskReply
from tests.workflows.desk_replay import (
    as_answered_today,
    handed_over,
    load,
    recorded_replies,
    replay,
)

RECORDING = "recheck_alert"


def without_recheck_alerts(reply: DeskReply) -> DeskReply:
    if reply.state is None:
        return reply
    alerts = [alert for alert in reply.state.alerts if alert.journey_id != "r1"]
    return replace(reply, state=replace(reply.state, alerts=alerts))


async def test_a_desk_that_alerted_on_a_recheck_replays_without_the_alert() -> None:
    # Given a desk's history in which a recheck raised an alert and a client was handed on
    history = load(RECORDING)
    recorded = recorded_replies(history)
    assert set(recorded) == {"seat-A", "seat-B", "arrive-r1", "arrive-j1", "scope-a", "accept-j1"}
    late = recorded["accept-j1"].state
    assert late is not None and [a.journey_id for a in late.alerts] == ["r1"]
    assert late.assignments["j1"].consultant_id == "B"  # the 10-minute rule ran in between

    # When today's desk code replays it (a command that differs would raise here)
    replayed = await replay(history)

    # Then every answer is the one recorded, but for the recheck's alert, which is gone (and
    # j1, once handed on, says so)
    expected = as_answered_today(recorded)
    expected["scope-a"] = handed_over(expected["scope-a"], "j1", let_wait_by=["A"])
    assert replayed == {key: without_recheck_alerts(reply) for key, reply in expected.items()}
    now = replayed["accept-j1"].state
    assert now is not None and now.alerts == []
    assert now.seq == late.seq  # the recheck still has its log entry (ROUTED now)
