"""A desk whose client waiting for A was moved to C by the supervisor's reassignJourney, and whose
emergency was placed anew with A by reassignClient, each new consultant acting first after,
recorded before the desk followed such a journey and before such an emergency left the board,
replays with the current code as it ran: the same commands, answers and records, the client
handed on at A's deadline and the emergency's alert kept. A desk run with the current code
follows the journey, clears the alert, and replays too. Recorded by
tests/workflows/record_desk_reassigned_history.py.
"""

from __future__ import annotations

import pytest
from temporalio import workflow
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.triage.commands import DeskReply
from tests.workflows.desk_replay import (
    assert_replays_as_run,
    load,
    patched_regardless,
    recorded_before,
    replay,
    replayed_as_recorded,
    replayed_regardless,
)
from tests.workflows.record_desk_reassigned_history import SEAT_CHANGES, reassigned_elsewhere
from tests.workflows.test_desk_unplaced_emergency_replay import alerts
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import JOURNEY_REASSIGNED_FOLLOWED, REASSIGNED_EMERGENCY_CLEARED
from workflows.triage import desk_workflow_id

RECORDING = "reassigned_elsewhere"
PATCHES = (JOURNEY_REASSIGNED_FOLLOWED, REASSIGNED_EMERGENCY_CLEARED)


def waiting(reply: DeskReply) -> dict[str, str]:
    """The clients the answer's board shows waiting, and for whom."""
    assert reply.state is not None
    return {key: a.consultant_id for key, a in reply.state.assignments.items()}


@pytest.mark.parametrize("patch_id", PATCHES)
async def test_a_desk_that_did_not_follow_or_clear_replays_as_it_ran(patch_id: str) -> None:
    # Given a desk's history in which the moved client was handed on to B at A's deadline and
    # the emergency placed anew kept her alert
    history, recorded = recorded_before(RECORDING, patch_id)
    assert waiting(recorded["scope-a"]) == {"m1": "B"}
    assert alerts(recorded["scope-a"]) == [("EMERGENCY", "e1")]

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded
    replies = await replayed_as_recorded(history)
    assert waiting(replies["scope-a"]) == {"m1": "B"}
    assert alerts(replies["scope-a"]) == [("EMERGENCY", "e1")]


async def test_a_desk_that_followed_the_journey_regardless_would_not_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that follows a moved journey without asking its history
    patched_regardless(monkeypatch, JOURNEY_REASSIGNED_FOLLOWED)
    # When the recorded history is replayed
    # Then it fails: the run it replays handed m1 on at A's deadline, and sent that record
    with pytest.raises(workflow.NondeterminismError, match="Nondeterminism error"):
        await replay(load(RECORDING))


async def test_a_desk_that_cleared_the_emergency_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that clears a placed-anew emergency's alert without asking its history
    # When the recorded history is replayed
    replies, records = await replayed_regardless(
        monkeypatch, RECORDING, REASSIGNED_EMERGENCY_CLEARED
    )
    # Then its answers and the board sent to the writer show none of the alert the run kept
    assert alerts(replies["scope-a"]) == []
    assert records[-1]["state"]["alerts"] == []


async def test_a_desk_run_with_the_current_code_follows_and_clears_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, A, B and C free
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")

    # When m1, waiting for A, is moved to C (reassignJourney), C acting first after; e1, an
    # emergency, is placed anew with A (reassignClient), A acting first after; A's minutes pass
    replies = await reassigned_elsewhere(gateway, client, env, clinic, prefix=f"{clinic}-")

    # Then the desk followed m1 to C: nobody waits, nobody was handed her, nobody owes a turn
    moved = await logged(clinic, "REASSIGNED", 2)
    assert [(e.journey_id, e.consultant_id) for e in moved] == [
        (f"{clinic}-e1", "A"),
        (f"{clinic}-m1", "C"),
    ]
    last = replies["scope-a"]
    assert waiting(last) == {}
    assert last.state is not None and last.state.makeups == []
    # And e1's emergency left the board once A acted
    assert alerts(replies["reassign-e1"]) == [("EMERGENCY", f"{clinic}-e1")]
    assert alerts(last) == []
    # And its history, both changes' markers in it, replays with the records the run sent
    await logged(clinic, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too
    desk = client.get_workflow_handle(desk_workflow_id(clinic))
    for patch_id in PATCHES:
        await assert_replays_as_run(desk, patch_id)
    assert await logged(clinic, "TIMED_OUT", 0) == []
