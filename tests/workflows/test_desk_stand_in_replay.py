"""A desk where the supervisor named a stand-in (reassignClient, OWNER_STAND_IN), recorded before
a stand-in left the revenue and the client with the owner, replays with the current code as it ran:
the same commands, the same answers and the same records to the writer, the stand-in credited and
made the owner. A desk run with the current code replays too. Recorded by
tests/workflows/record_desk_stand_in_history.py.

The reassignment's credits and owner reach only the records to the writer (an activity's input,
which the Replayer does not compare): the replay captures them and compares them with the
history's.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.revenue import CreditRule
from tests.support import SUPERVISOR
from tests.workflows.desk_replay import (
    load,
    patched_regardless,
    recorded_records,
    replayed_as_recorded,
    replayed_records,
)
from tests.workflows.test_triage_desk import arrive, clear_of_midnight, logged, open_desk
from workflows.desk_patches import STAND_IN_KEEPS_OWNER
from workflows.triage import desk_workflow_id

RECORDING = "stand_in_took_over"
STAND_IN = OverrideCommand(
    SUPERVISOR,
    OverrideKind.REASSIGN,
    "note-stand-in",
    journey_id="j1",
    consultant_id="B",
    rule=CreditRule.OWNER_STAND_IN,
)


def reassigned(records: list[dict[str, Any]]) -> list[tuple[str, list[Any], str | None, bool]]:
    """Each reassignment the records carry: to whom, the revenue's split, the owner it names and
    whether ownership moved."""
    return [
        (
            entry["consultant_id"],
            [(c["consultant_id"], c["percent"]) for c in entry["credits"]],
            entry["owner_id"],
            entry["transfers_ownership"],
        )
        for record in records
        for entry in record["entries"]
        if entry["kind"] == "REASSIGNED"
    ]


def credited(records: list[dict[str, Any]], journey_id: str) -> list[str]:
    """Whom the last record that carries `journey_id` credits with its revenue."""
    states = [record["state"]["assignments"] for record in records]
    carrying = [assignments[journey_id] for assignments in states if journey_id in assignments]
    credited_to: list[str] = carrying[-1]["credited_to"]
    return credited_to


async def test_a_desk_that_made_the_stand_in_the_owner_replays_as_it_ran() -> None:
    # Given a desk's history in which j1 went to A, and the supervisor named B to stand in: B
    # was credited all of it and made the client's owner
    history = load(RECORDING)
    recorded = recorded_records(history)
    assert reassigned(recorded) == [("B", [("B", 100)], "B", True)]
    assert credited(recorded, "j1") == ["B"]

    # When the current desk code replays it (a command that differs would raise here)
    # Then every answer and every record to the writer is the one recorded: the stand-in
    # credited and made the owner, as it ran then
    await replayed_as_recorded(history)


async def test_a_desk_that_kept_the_owner_regardless_would_not_replay_as_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that leaves the revenue with the owner without asking its history
    patched_regardless(monkeypatch, STAND_IN_KEEPS_OWNER)
    # When the recorded history is replayed
    records = await replayed_records(load(RECORDING))
    # Then A keeps the revenue and the client, unlike the run it replays
    assert reassigned(records) == [("B", [("A", 100)], None, False)]
    assert credited(records, "j1") == ["A"]


async def history_of(client: Client, clinic: str) -> WorkflowHistory:
    return await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()


async def test_a_desk_run_with_the_current_code_keeps_the_owner_and_replays(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a desk run with the current code: j1 with A, then B named to stand in for A
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")
    assert await arrive(gateway, clinic, "j1") == "A"
    await gateway.override(clinic, STAND_IN, str(uuid.uuid4()))
    desk = await gateway.desk(clinic)
    assert desk.assignments["j1"].consultant_id == "B"
    assert desk.assignments["j1"].credited_to == ["A"]
    await logged(clinic, "REASSIGNED")  # its record written, so in the history

    # When its history, the change's marker in it, is replayed with the current code
    history = await history_of(client, clinic)
    records = await replayed_records(history)

    # Then no command differs (else replay raised), the records are the ones the run sent, and
    # A keeps the revenue and the client
    assert records == recorded_records(history)
    assert reassigned(records) == [("B", [("A", 100)], None, False)]
