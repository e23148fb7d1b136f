"""Recorded journey histories replay with today's code, and end in the state they recorded.

Temporal's Replayer compares commands only: a change to the state table or an effect that
leaves the commands alone (the same local activity per action) would replay "fine" and still
put running journeys in another state. So the replayed run's return value is captured and
compared with the result recorded next to each history. Histories come from
`python -m tests.workflows.record_histories`; no database is needed (local activity results
are in the history).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import (
    ExecuteWorkflowInput,
    Interceptor,
    UnsandboxedWorkflowRunner,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from domain.journey import effects
from domain.journey.codec import facts_to_json
from domain.journey.facts import ActionDetails, JourneyFacts
from domain.journey.rules import JourneyRules
from domain.journey.table import Action
from tests.support import replayer
from workflows.journey import JourneyWorkflow

HISTORIES = sorted(Path(__file__).with_name("histories").glob("*.json"))
# Facts fields added after the recordings were made, as the recorded journeys rebuild them.
# Fields added since the histories were recorded: the procedure type version (none in journeys
# recorded before procedure types existed), the journey a recheck was opened from, and the bill
# paid against (itemised bills came later: a journey paid before them has none), and the code
# of the rule that marked it stuck (each recorded journey ends no longer stuck), and the
# clinic's allowance past a call's due time (kept by journeys handed over since).
ADDED_SINCE: dict[str, Any] = {
    "attached_records": [],
    "void_records": [],
    "linked_journey_id": None,
    "procedure_type_version_id": None,
    "bill_total_minor": None,
    "follow_up_call_windows": False,
    "stuck_reason_code": None,
    "follow_up_allowance_seconds": None,
    "billed": False,
}
# Added since as well, rebuilt from each history: the event at which the consultant the journey
# ends with first acted (None: a recheck's examiner is no consultant, and the first visit's
# consultant was named anew after the consultation and did not act as a consultant since).
FIRST_ACTS = {
    "corrected_before_treatment": 4,
    "first_call_a_day_late": 4,
    "first_visit": None,
    "handed_over_by_a_newer_api": 4,
    "photo_withdrawn": 4,
    "recheck": None,
    "refunded_before_treatment": 4,
    "started_today": 4,
    "stuck_then_refused": 4,
}


def load(name: str) -> dict[str, Any]:
    recording: dict[str, Any] = json.loads(
        Path(__file__).with_name("histories").joinpath(f"{name}.json").read_text()
    )
    return recording


class CaptureResults(Interceptor):
    """Keeps what each replayed run returned, by workflow id."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {}

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        results = self.results

        class Capture(WorkflowInboundInterceptor):
            async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
                result = await super().execute_workflow(input)
                results[workflow.info().workflow_id] = result
                return result

        return Capture


async def replay_with(recording: dict[str, Any], capture: Interceptor) -> None:
    """Replays one recorded history (raising on nondeterminism), `capture` watching the run."""
    replaying = replayer(
        JourneyWorkflow,
        interceptors=[capture],
        # Unsandboxed: the interceptor's state must be the one the test reads, and a test's
        # monkeypatch must reach the domain code the workflow runs.
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    history = WorkflowHistory.from_json(recording["workflow_id"], recording["history"])
    await replaying.replay_workflow(history)


async def replay(recording: dict[str, Any]) -> JourneyFacts:
    """Replays one recorded history (raising on nondeterminism) and returns the run's result."""
    capture = CaptureResults()
    await replay_with(recording, capture)
    facts: JourneyFacts = capture.results[recording["workflow_id"]]
    return facts


def test_the_recordings_are_there() -> None:
    assert [path.stem for path in HISTORIES] == [
        "corrected_before_treatment",
        "first_call_a_day_late",
        "first_visit",
        "handed_over_by_a_newer_api",
        "photo_withdrawn",
        "recheck",
        "refunded_before_treatment",
        "started_today",
        "stuck_then_refused",
    ]


@pytest.mark.parametrize("path", HISTORIES, ids=lambda path: path.stem)
async def test_a_recorded_journey_replays_to_its_recorded_state(path: Path) -> None:
    # Given a journey's recorded history and final state
    recording = json.loads(path.read_text())
    # When the workflow code of this release replays it
    facts = await replay(recording)
    # Then no command differs (else replay raised) and it ends in exactly the recorded state
    replayed = facts_to_json(facts)
    assert {name: replayed[name] for name in recording["result"]} == recording["result"]
    # And the fields added since it was recorded were rebuilt from the history (no records
    # were attached)
    added = {n: v for n, v in replayed.items() if n not in recording["result"]}
    first_act = FIRST_ACTS[path.stem]  # in the result of the histories recorded since it
    assert added.pop("consultant_first_acted_seq", first_act) == first_act
    assert added == {n: v for n, v in ADDED_SINCE.items() if n not in recording["result"]}


async def test_a_refund_recorded_before_corrections_still_ends_its_journey() -> None:
    # Given a journey whose 100.00 of a 600.00 deposit was given back before the treatment,
    # recorded before a refund could correct a payment (its details carry no such thing)
    recording = load("refunded_before_treatment")
    # When the workflow code of this release replays it
    facts = await replay(recording)
    # Then the refund ended the journey as it did then, counting what was given back
    assert (facts.stage.value, facts.paid_minor) == ("REFUNDED", 50_000)


async def test_a_correction_sent_as_its_own_update_replays_as_counted() -> None:
    # Given a journey whose 100.00 of a 600.00 deposit was corrected (`correct_payment`), then
    # 100.00 more given back as the client withdrawing
    recording = load("corrected_before_treatment")
    # When the workflow code of this release replays it
    facts = await replay(recording)
    # Then the correction was counted and left it going on, and the withdrawal ended it
    assert (facts.stage.value, facts.paid_minor) == ("REFUNDED", 40_000)


async def test_a_changed_effect_replays_cleanly_but_ends_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a payment effect that counts each payment twice (the commands stay the same)
    recording = load("first_visit")
    counted_once = effects.EFFECTS[Action.RECORD_PAYMENT]

    def counted_twice(facts: JourneyFacts, d: ActionDetails, now: datetime) -> str:
        facts.paid_minor += d.amount_minor or 0
        return counted_once(facts, d, now)

    monkeypatch.setitem(effects.EFFECTS, Action.RECORD_PAYMENT, counted_twice)
    # When the history is replayed, Temporal finds nothing to object to
    facts = await replay(recording)
    # Then only the state comparison catches it
    assert facts_to_json(facts) != recording["result"]
    assert (facts.paid_minor, recording["result"]["paid_minor"]) == (480_000, 240_000)


async def test_a_changed_table_fails_the_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a table in which no visit counts as a recheck any more
    monkeypatch.setattr(JourneyRules, "is_recheck", lambda self: False)
    # When the recorded recheck is replayed, the treatment it recorded is now refused, so the
    # commands the history holds for it (search attributes, the read-model write) never come
    with pytest.raises(workflow.NondeterminismError, match="Nondeterminism error"):
        await replay(load("recheck"))
