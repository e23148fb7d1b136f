"""A desk whose client, followed from A to B when the supervisor moved her journey, was moved on
to C, and whose emergency, followed from B to A, saw her journey end before A acted, recorded
before the desk followed a journey again and before such an emergency left the board as her
journey ended, replays with the current code as it ran: the same commands, answers and records,
the revenue left with B and the emergency's alert kept. A desk run with the current code follows
the journey to C, clears the alert, and replays too. Recorded by
tests/workflows/record_desk_followed_again_history.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from tests.workflows.desk_replay import (
    assert_replays_as_run,
    recorded_before,
    recorded_records,
    replayed_as_recorded,
    replayed_regardless,
)
from tests.workflows.record_desk_followed_again_history import SEAT_CHANGES, followed_again
from tests.workflows.test_desk_unplaced_emergency_replay import alerts
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import JOURNEY_FOLLOWED_AGAIN, REASSIGNED_EMERGENCY_ENDED_CLEARED
from workflows.triage import desk_workflow_id

RECORDING = "followed_again"
PATCHES = (JOURNEY_FOLLOWED_AGAIN, REASSIGNED_EMERGENCY_ENDED_CLEARED)


def credited(records: list[dict[str, Any]], journey_id: str) -> list[str]:
    """Whom the last record to the writer that carries the journey's assignment credits."""
    boards = [r["state"]["assignments"] for r in records]
    carrying = [board for board in boards if journey_id in board]
    return list(carrying[-1][journey_id]["credited_to"])


@pytest.mark.parametrize("patch_id", PATCHES)
async def test_a_desk_that_did_not_follow_again_or_clear_replays_as_it_ran(patch_id: str) -> None:
    # Given a desk's history in which m2's revenue stayed with B after her journey moved on to
    # C, and the emergency whose journey ended kept her alert
    history, recorded = recorded_before(RECORDING, patch_id)
    assert credited(recorded_records(history), "m2") == ["B"]
    assert alerts(recorded["scope-a"]) == [("EMERGENCY", "e2")]

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded
    replies = await replayed_as_recorded(history)
    assert alerts(replies["scope-a"]) == [("EMERGENCY", "e2")]


async def test_a_desk_that_followed_again_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that follows a journey it followed once without asking its history
    # When the recorded history is replayed
    _, records = await replayed_regardless(monkeypatch, RECORDING, JOURNEY_FOLLOWED_AGAIN)
    # Then the records it sends the writer credit C, where the run it replays credited B
    assert credited(records, "m2") == ["C"]


async def test_a_desk_that_cleared_the_ended_emergency_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that clears an ended placed-anew emergency's alert without asking its history
    # When the recorded history is replayed
    replies, records = await replayed_regardless(
        monkeypatch, RECORDING, REASSIGNED_EMERGENCY_ENDED_CLEARED
    )
    # Then its answers and the board sent to the writer show none of the alert the run kept
    assert alerts(replies["scope-a"]) == []
    assert records[-1]["state"]["alerts"] == []


async def test_a_desk_run_with_the_current_code_follows_again_and_clears_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, A, B and C free
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")

    # When m2's journey is moved from A to B, then to C; e2, an emergency, moved from B to A,
    # her journey then ended before A acted
    replies = await followed_again(gateway, client, clinic, prefix=f"{clinic}-")

    # Then the desk followed m2 each time, the revenue with C whole
    m2, e2 = f"{clinic}-m2", f"{clinic}-e2"
    moved = await logged(clinic, "REASSIGNED", 3)
    assert [(e.journey_id, e.details["from_consultant_id"], e.consultant_id) for e in moved] == [
        (m2, "A", "B"),
        (m2, "B", "C"),
        (e2, "B", "A"),
    ]
    assert [(c["consultant_id"], c["percent"]) for c in moved[1].details["credits"]] == [("C", 100)]
    # And e2's emergency left the board as her journey ended, a RELEASED entry naming A
    [released] = await logged(clinic, "RELEASED")
    assert (released.journey_id, released.consultant_id) == (e2, "A")
    assert alerts(replies["mark-e2"]) == [("EMERGENCY", e2)]
    assert alerts(replies["scope-a"]) == []
    # And its history, both changes' markers in it, replays with the records the run sent
    await logged(clinic, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too
    desk = client.get_workflow_handle(desk_workflow_id(clinic))
    for patch_id in PATCHES:
        await assert_replays_as_run(desk, patch_id)
