"""The read-model writer (`record_journey_change`) given a change a worker of a newer release
made, while workers of two releases share the task queue: its facts hold a field this release
does not know. Written without it, the journey's event would keep facts the newer release never
wrote (the event is append-only, and a retry finds it written); the attempt fails instead, to be
retried until a worker of that release takes it."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest
from temporalio.testing import ActivityEnvironment

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyEvent
from domain.journey.stages import Stage
from domain.store.models import JourneyEvent as EventRow
from tests.store.stage_plan import START
from tests.store.test_projection_rows import _opened
from tests.support import DESK
from workflows.activities import record_journey_change


async def test_a_change_with_facts_of_a_newer_release_is_not_written_without_them(
    database: str,
) -> None:
    # Given an open journey, and its next step as a newer release's worker sends it
    journey_id = f"newer-{uuid.uuid4()}"
    first = await _opened(journey_id)
    at = START + timedelta(minutes=5)
    moved = dataclasses.replace(
        first.facts, stage=Stage.CONSULTATION, stage_entered_at=at, event_seq=2
    )
    event = JourneyEvent(
        journey_id, 2, "assign_consultant", Stage.RECEPTION, Stage.CONSULTATION, DESK, at, "on"
    )
    sent = {"event": dataclasses.asdict(event), "facts": facts_to_json(moved)}
    sent["event"]["at"] = at.isoformat()
    sent["facts"]["a_field_of_a_newer_release"] = {"any": "value"}

    # When this release's writer takes it
    with pytest.raises(ValueError, match="a_field_of_a_newer_release"):
        await ActivityEnvironment().run(record_journey_change, sent)

    # Then the attempt fails and the step is not recorded
    assert not await EventRow.exists(journey_id=journey_id, seq=2)
