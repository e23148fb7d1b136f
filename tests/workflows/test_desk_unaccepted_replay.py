"""A desk whose clients nobody accepted in time were taken, accepted by their consultant's first
action, gone or placed anew by the supervisor, recorded before a client's UNACCEPTED alert left
the board once the desk no longer waited on her assignment, replays with the current code as it
ran: the same commands, answers and records, every such alert kept. A desk run with the current
code takes each off the board and replays too. Recorded by
tests/workflows/record_desk_unaccepted_history.py.
"""

from __future__ import annotations

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from tests.workflows.desk_replay import (
    assert_replays_as_run,
    recorded_before,
    replayed_as_recorded,
    replayed_regardless,
)
from tests.workflows.record_desk_unaccepted_history import SEAT_CHANGES, nobody_accepts_them
from tests.workflows.test_desk_unplaced_emergency_replay import alerts
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import UNACCEPTED_CLEARED
from workflows.triage import desk_workflow_id

RECORDING = "unaccepted_settled"
KEPT = [("UNACCEPTED", "u1"), ("UNACCEPTED", "u2"), ("UNACCEPTED", "u3"), ("UNACCEPTED", "u4")]


async def test_a_desk_that_kept_its_unaccepted_alerts_replays_as_it_ran() -> None:
    # Given a desk's history in which clients nobody accepted in time were taken, accepted,
    # gone or placed anew, their alerts staying on the board
    history, recorded = recorded_before(RECORDING, UNACCEPTED_CLEARED)
    assert alerts(recorded["scope-a"]) == KEPT

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded: the alerts kept
    replies = await replayed_as_recorded(history)
    assert alerts(replies["accept-u1"]) == KEPT
    assert alerts(replies["reassign-u4"]) == KEPT


async def test_a_desk_that_cleared_them_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that clears them without asking its history
    # When the recorded history is replayed
    replies, records = await replayed_regardless(monkeypatch, RECORDING, UNACCEPTED_CLEARED)
    # Then the answers and the board sent to the writer show none of the alerts the run kept
    assert alerts(replies["accept-u1"]) == KEPT[1:]
    assert alerts(replies["scope-a"]) == []
    assert records[-1]["state"]["alerts"] == []


async def test_a_desk_run_with_the_current_code_clears_them_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, A free and B busy
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B:busy")

    # When clients A let wait, nobody free to hand them on to, are taken, accepted by A's first
    # action, gone or placed anew by the supervisor
    replies = await nobody_accepts_them(gateway, client, env, clinic, prefix=f"{clinic}-")

    # Then the supervisor was called for each, and each call left the board as the desk
    # stopped waiting on her: none stands
    called = await logged(clinic, "SUPERVISOR_ALERT", 4)
    assert sorted(e.journey_id for e in called) == [f"{clinic}-u{n}" for n in range(1, 5)]
    assert [journey for _, journey in alerts(replies["accept-u1"])] == [
        f"{clinic}-u{n}" for n in range(2, 5)
    ]
    assert alerts(replies["reassign-u4"]) == []
    assert (await gateway.desk(clinic)).alerts == []
    # And its history, the change's marker in it, replays with the records the run sent
    await logged(clinic, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too
    await assert_replays_as_run(
        client.get_workflow_handle(desk_workflow_id(clinic)), UNACCEPTED_CLEARED
    )
