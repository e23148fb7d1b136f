"""A desk where the supervisor split a client's revenue 50/50 (reassignClient,
WRONG_ASSIGNMENT_SHARED) and then named a stand-in (OWNER_STAND_IN), recorded before a stand-in
left a split as it stood, replays with the current code as it ran: the same commands, the same
answers and the same records to the writer, the consultant the stand-in served for credited whole.
A desk run with the current code keeps the split and replays too. Recorded by
tests/workflows/record_desk_stand_in_split_history.py.

The reassignments' credits reach only the records to the writer (an activity's input, which the
Replayer does not compare): the replay captures them and compares them with the history's. The
split's own record, replayed, holds its percents, which the one recorded could not (`as_recorded`).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.triage.commands import SeatCommand
from domain.triage.desk import SeatStatus
from domain.triage.revenue import CreditRule
from tests.support import DESK
from tests.workflows.desk_replay import (
    load,
    marked,
    patched_regardless,
    recorded_records,
    replayed_as_recorded,
    replayed_records,
)
from tests.workflows.record_desk_stand_in_split_history import moved
from tests.workflows.test_desk_stand_in_replay import credited, history_of, reassigned
from tests.workflows.test_triage_desk import arrive, clear_of_midnight, logged, open_desk
from workflows.desk_patches import STAND_IN_KEEPS_OWNER, STAND_IN_KEEPS_SPLIT

RECORDING = "stand_in_after_split"
# j1 moved from A to B as a wrong assignment not A's fault: the revenue split 50/50.
SPLIT = ("B", [("A", 50), ("B", 50)], "B", True)


def percents(records: list[dict[str, Any]], journey_id: str) -> list[list[int] | None]:
    """The percents each record that carries `journey_id` keeps beside whom it credits."""
    states = [record["state"]["assignments"] for record in records]
    return [a[journey_id].get("credit_percents") for a in states if journey_id in a]


async def test_a_desk_that_credited_the_consultant_served_for_whole_replays_as_it_ran() -> None:
    # Given a desk's history, recorded after stand-ins kept the owner and before they kept a
    # split: j1 went to A, was moved to B 50/50, and C was named to stand in for B, who was
    # away: B was credited all of it, A's half dropped
    history = load(RECORDING)
    assert marked(history, STAND_IN_KEEPS_OWNER)
    assert not marked(history, STAND_IN_KEEPS_SPLIT)
    recorded = recorded_records(history)
    assert reassigned(recorded) == [SPLIT, ("C", [("B", 100)], None, False)]
    assert credited(recorded, "j1") == ["B"]

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded: B credited whole,
    # as it ran then
    await replayed_as_recorded(history)
    # And the split's record, sent on its own, holds its percents now, the stand-in's none
    assert percents(await replayed_records(history), "j1") == [[50, 50], None]
    assert percents(recorded, "j1") == [None, None]


async def test_a_desk_that_kept_the_split_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that leaves a split as it stood without asking its history
    patched_regardless(monkeypatch, STAND_IN_KEEPS_SPLIT)
    # When the recorded history is replayed
    records = await replayed_records(load(RECORDING))
    # Then A keeps her half, unlike the run it replays
    assert reassigned(records) == [SPLIT, ("C", [("A", 50), ("B", 50)], None, False)]
    assert credited(records, "j1") == ["A", "B"]


async def test_a_desk_run_with_the_current_code_keeps_the_split_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code: j1 with A, moved to B 50/50, then C named to
    # stand in for B, who is away
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")
    assert await arrive(gateway, clinic, "j1") == "A"
    shared = moved("B", CreditRule.WRONG_ASSIGNMENT_SHARED, "note-shared")
    await gateway.override(clinic, shared, str(uuid.uuid4()))
    away = SeatCommand(DESK, "B", "note-away", status=SeatStatus.AWAY)
    await gateway.change_seat(clinic, away, str(uuid.uuid4()))
    stand_in = moved("C", CreditRule.OWNER_STAND_IN, "note-stand-in")
    await gateway.override(clinic, stand_in, str(uuid.uuid4()))
    desk = await gateway.desk(clinic)
    assert desk.assignments["j1"].consultant_id == "C"
    assert desk.assignments["j1"].credited_to == ["A", "B"]
    assert desk.assignments["j1"].credit_percents == [50, 50]
    await logged(clinic, "REASSIGNED", 2)  # its record written, so in the history

    # When its history, the change's marker in it, is replayed with the current code
    history = await history_of(client, clinic)
    assert marked(history, STAND_IN_KEEPS_SPLIT)
    records = await replayed_records(history)

    # Then no command differs (else replay raised), the records are the ones the run sent, and
    # the split stands as it was, C getting none of it
    assert records == recorded_records(history)
    assert reassigned(records) == [SPLIT, ("C", [("A", 50), ("B", 50)], None, False)]
