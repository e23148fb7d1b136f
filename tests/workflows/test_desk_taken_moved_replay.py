"""A desk whose client placed anew with B (reassignClient) and whose client taken by B at her
first action each saw the supervisor move her journey to another consultant (reassignJourney),
recorded before the desk followed the journey of a client taken already, replays with the current
code as it ran: the same commands, answers and records, both clients' revenue left with B. A
desk run with the current code follows both journeys and replays too. Recorded by
tests/workflows/record_desk_taken_moved_history.py.
"""

from __future__ import annotations

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
from tests.workflows.record_desk_taken_moved_history import SEAT_CHANGES, taken_moved
from tests.workflows.test_desk_followed_again_replay import credited
from tests.workflows.test_triage_desk import clear_of_midnight, logged, open_desk
from workflows.desk_patches import JOURNEY_TAKEN_FOLLOWED
from workflows.triage import desk_workflow_id

RECORDING = "taken_moved"


async def test_a_desk_that_did_not_follow_a_client_taken_replays_as_it_ran() -> None:
    # Given a desk's history in which t1's revenue stayed split between A and B, and t2's with
    # B, after the supervisor moved their journeys to C and A
    history, _ = recorded_before(RECORDING, JOURNEY_TAKEN_FOLLOWED)
    records = recorded_records(history)
    assert (credited(records, "t1"), credited(records, "t2")) == (["A", "B"], ["B"])

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded
    await replayed_as_recorded(history)


async def test_a_desk_that_followed_a_client_taken_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that follows a taken client's journey without asking its history
    # When the recorded history is replayed
    _, records = await replayed_regardless(monkeypatch, RECORDING, JOURNEY_TAKEN_FOLLOWED)
    # Then the records it sends the writer credit C and A, where the run it replays credited B
    assert (credited(records, "t1"), credited(records, "t2")) == (["C"], ["A"])


async def test_a_desk_run_with_the_current_code_follows_a_client_taken_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code, A, B and C free
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")

    # When t1, placed anew with B, and t2, taken by B, see their journeys moved to C and to A
    await taken_moved(gateway, client, clinic, prefix=f"{clinic}-")

    # Then the desk followed both, each credited whole to the consultant her journey names
    t1, t2 = f"{clinic}-t1", f"{clinic}-t2"
    moved = await logged(clinic, "REASSIGNED", 3)
    assert [(e.journey_id, e.details["from_consultant_id"], e.consultant_id) for e in moved] == [
        (t1, "A", "B"),
        (t1, "B", "C"),
        (t2, "B", "A"),
    ]
    assert [e.actor_id for e in moved[1:]] == ["triage-desk", "triage-desk"]
    assert [[(c["consultant_id"], c["percent"]) for c in e.details["credits"]] for e in moved] == [
        [("A", 50), ("B", 50)],
        [("C", 100)],
        [("A", 100)],
    ]
    # And its history, the change's marker in it, replays with the records the run sent
    await logged(clinic, "SEAT_CHANGED", SEAT_CHANGES)  # every record in the history, the last too
    desk = client.get_workflow_handle(desk_workflow_id(clinic))
    await assert_replays_as_run(desk, JOURNEY_TAKEN_FOLLOWED)
