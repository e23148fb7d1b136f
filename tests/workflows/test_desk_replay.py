"""A triage desk recorded before staff words moved to desk notes replays with today's code.

Such a desk's history holds commands with the words themselves (`reason`, a policy `name`);
desks continue as new only at midnight, so one may be running when today's code is deployed.
The Replayer compares commands only, so every update's answer (the desk after the change) is
captured during the replay and compared with the answer the history recorded.
Recorded by tests/workflows/record_desk_history.py.
"""

from __future__ import annotations

import pytest
from temporalio import workflow

from domain.triage import checks
from tests.workflows.desk_replay import as_answered_today, load, recorded_replies, replay

RECORDING = "legacy_reasons"


async def test_a_desk_recorded_with_reasons_replays_to_the_same_answers() -> None:
    # Given a desk's history whose commands carry the staff's words, every update answered
    history = load(RECORDING)
    recorded = recorded_replies(history)
    assert len(recorded) == 14
    # When today's desk code replays it
    replayed = await replay(history)
    # Then no command differs (else replay raised) and every answer is the one recorded
    assert replayed == as_answered_today(recorded)
    assert recorded["p"].state is not None and recorded["p"].state.policy.label == "strict v2"


async def test_a_desk_that_ignored_the_legacy_words_would_fail_the_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a desk that no longer takes a command's own words as its reason
    monkeypatch.setattr(checks, "explained", lambda command: bool(command.note_id))
    # When the recorded history is replayed, the seat changes it accepted are refused now, so
    # the commands that followed them never come
    with pytest.raises(workflow.NondeterminismError, match="Nondeterminism error"):
        await replay(load(RECORDING))
