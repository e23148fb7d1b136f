"""A journey upserts its search attributes when one of their values moves, not on every step."""

from __future__ import annotations

import json

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.worker import Replayer

from domain.journey.stages import Stage
from domain.journey.table import Action
from tests.support import CONSULTANT, assign, journey_start, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin, finished
from workflows import search_attributes
from workflows.journey import JourneyWorkflow

UPSERTED = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES


async def upserted_stages(handle: Handle) -> list[str]:
    """The stage each upsert of the journey's own attributes set, in order (the SDK upserts
    `TemporalChangeVersion` by itself the first time a patch is taken)."""
    stages = []
    for event in (await handle.fetch_history()).events:
        if event.event_type != UPSERTED:
            continue
        fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes
        if search_attributes.STAGE.name in fields.indexed_fields:
            # The SDK writes search attribute values as JSON text
            stages.append(json.loads(fields.indexed_fields[search_attributes.STAGE.name].data))
    return stages


async def test_steps_that_keep_the_stage_upsert_nothing_and_the_history_replays(
    client: Client,
) -> None:
    # Given a journey in consultation (opened, checked in, assigned: three stages upserted)
    handle = await begin(client, journey_start(), TASK_QUEUE)
    await act(handle, assign())
    assert await upserted_stages(handle) == ["RECEPTION", "TRIAGE", "CONSULTATION"]

    # When the consultant records three consultations (the stage stays) and then closes it
    for _ in range(3):
        result = await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
        assert result.stage is Stage.CONSULTATION
    await act(handle, request(Action.CLOSE_NOT_CONVERTED, CONSULTANT))

    # Then only the close upserted again, with the new stage
    assert await upserted_stages(handle) == ["RECEPTION", "TRIAGE", "CONSULTATION", "NOT_CONVERTED"]
    facts = await finished(handle)
    assert (facts.stage, facts.event_seq) == (Stage.NOT_CONVERTED, 7)
    # And today's code replays the history it wrote
    await Replayer(workflows=[JourneyWorkflow]).replay_workflow(await handle.fetch_history())
