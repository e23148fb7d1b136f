"""A desk whose clients nobody could take were placed later, gone, taken outside the desk or
placed as a VIP, recorded before any client's UNPLACED alert left the board once she no longer
waited for a consultant, replays with the current code as it ran: the same commands, answers
and records, every such alert kept. A desk run with the current code takes each off the board
and replays too. Recorded by tests/workflows/record_desk_unplaced_history.py.
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
from tests.workflows.record_desk_unplaced_history import nobody_waits_for_them
from tests.workflows.test_desk_unplaced_emergency_replay import alerts
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import UNPLACED_CLEARED
from workflows.triage import desk_workflow_id

RECORDING = "unplaced_placed"
KEPT = [
    ("UNPLACED", "p1"),
    ("UNPLACED", "p2"),
    ("UNPLACED", "p3"),
    ("UNPLACED", "e1"),
    ("EMERGENCY", "e1"),
]


async def test_a_desk_that_kept_its_unplaced_alerts_replays_as_it_ran() -> None:
    # Given a desk's history in which clients nobody could take were placed, gone, taken
    # outside the desk or placed as a VIP, their alerts staying on the board
    history, recorded = recorded_before(RECORDING, UNPLACED_CLEARED)
    assert alerts(recorded["scope-a"]) == KEPT

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded: the alerts kept
    replies = await replayed_as_recorded(history)
    assert alerts(replies["vip-e1"]) == KEPT


async def test_a_desk_that_cleared_them_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that clears them without asking its history
    # When the recorded history is replayed
    replies, records = await replayed_regardless(monkeypatch, RECORDING, UNPLACED_CLEARED)
    # Then the answers and the board sent to the writer show none of the alerts the run kept
    assert alerts(replies["vip-e1"]) == []
    assert alerts(replies["scope-a"]) == []
    assert records[-1]["state"]["alerts"] == []


async def test_a_desk_run_with_the_current_code_clears_them_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, A and B busy
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A:busy", "B:busy")

    # When clients nobody could take are placed later, gone, taken outside the desk or
    # placed as a VIP
    replies = await nobody_waits_for_them(gateway, client, clinic, prefix=f"{clinic}-")

    # Then B receives p1, and once the supervisor placed e1 no alert of theirs stands
    assert replies["again-p1"].consultant_id == "B"
    assert alerts(replies["vip-e1"]) == []
    assert (await gateway.desk(clinic)).alerts == []
    # And p2's journey end and p3's consultant off the desk are logged with the alert leaving
    released, routed = await logged(clinic, "RELEASED"), await logged(clinic, "ROUTED")
    assert [(e.journey_id, e.consultant_id) for e in released] == [(f"{clinic}-p2", None)]
    outside = (f"{clinic}-p3", "consultant-off-the-desk")
    assert [(e.journey_id, e.consultant_id) for e in routed] == [outside]
    # And its history, the change's marker in it, replays with the records the run sent
    await logged(clinic, "SEAT_CHANGED", 6)  # every record in the history, the last one too
    await assert_replays_as_run(
        client.get_workflow_handle(desk_workflow_id(clinic)), UNPLACED_CLEARED
    )
