"""A journey upserts its search attributes when one of their values moves, not on every step."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import Counter
from datetime import UTC, datetime

from temporalio.api.enums.v1 import EventType
from temporalio.api.failure.v1 import Failure
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from domain.journey.stages import Stage
from domain.journey.table import Action
from tests.support import CONSULTANT, assign, journey_start, replayer, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import Handle, act, begin, finished
from workflows import search_attributes
from workflows.client import JourneyGateway
from workflows.journey import JourneyWorkflow
from workflows.journey_changes import CURRENT_CHANGES

UPSERTED = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
# The SDK's names for a patch's marker and for the search attribute it keeps the patches in.
PATCH_MARKER = "core_patch"
CHANGE_VERSION = "TemporalChangeVersion"


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
    # Given a journey in consultation (opened and checked in: told with the start; assigned:
    # upserted)
    handle = await begin(client, journey_start(), TASK_QUEUE)
    await act(handle, assign())
    assert await upserted_stages(handle) == ["CONSULTATION"]

    # When the consultant records three consultations (the stage stays) and then closes it
    for _ in range(3):
        result = await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
        assert result.stage is Stage.CONSULTATION
    await act(handle, request(Action.CLOSE_NOT_CONVERTED, CONSULTANT))

    # Then only the close upserted again, with the new stage
    assert await upserted_stages(handle) == ["CONSULTATION", "NOT_CONVERTED"]
    facts = await finished(handle)
    assert (facts.stage, facts.event_seq) == (Stage.NOT_CONVERTED, 7)
    # And today's code replays the history it wrote
    await replayer(JourneyWorkflow).replay_workflow(await handle.fetch_history())


WORKFLOW_TASK_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
}


def steps_recorded(events: list[HistoryEvent]) -> Counter[int]:
    """A history's events by kind, leaving out its workflow tasks."""
    return Counter(e.event_type for e in events if e.event_type not in WORKFLOW_TASK_EVENTS)


def is_patch_marker(event: HistoryEvent) -> bool:
    return (
        event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        and event.marker_recorded_event_attributes.marker_name == PATCH_MARKER
    )


def is_version_upsert(event: HistoryEvent) -> bool:
    """An upsert of the SDK's own attribute: it sends one with the first marker of each patch."""
    attributes = event.upsert_workflow_search_attributes_event_attributes
    return (
        event.event_type == UPSERTED
        and CHANGE_VERSION in attributes.search_attributes.indexed_fields
    )


async def test_a_run_started_with_todays_changes_listed_asks_for_no_patch(client: Client) -> None:
    # Given two journeys, one with today's changes listed in its start and one without the
    # list, as runs before it were (neither tells visibility anything with its start)
    start = journey_start()
    listed = dataclasses.replace(
        start,
        journey_id=f"{start.journey_id}-listed",
        started_with_changes=list(CURRENT_CHANGES),
    )
    handles = []

    # When each in turn (a journey left waiting would meet its SLA as the test server skips
    # time) is assigned, consulted twice (the second leaves every attribute as it was: where the
    # upsert patch is asked) and closed
    for each in (listed, start):
        handle = await begin(client, each, TASK_QUEUE, as_given=True)
        await act(handle, assign())
        for _ in range(2):
            await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
        await act(handle, request(Action.CLOSE_NOT_CONVERTED, CONSULTANT))
        await finished(handle)
        handles.append(handle)
    listed_events, unlisted_events = [list((await h.fetch_history()).events) for h in handles]

    # Then the run without the list marked the two changes it met (the kept timer at its start,
    # the upsert of changes only) and upserted the SDK's attribute for each; the listed run
    # did neither
    assert sum(map(is_patch_marker, unlisted_events)) == 2
    assert sum(map(is_version_upsert, unlisted_events)) == 2
    assert not any(map(is_patch_marker, listed_events))
    assert not any(map(is_version_upsert, listed_events))
    # And both followed the same changes: the same stages upserted, the same events otherwise
    for handle in handles:
        assert await upserted_stages(handle) == [
            "RECEPTION",
            "TRIAGE",
            "CONSULTATION",
            "NOT_CONVERTED",
        ]
    # (counted by kind: how steps batch into workflow tasks depends on the machine's timing)
    without_patches = [
        e for e in unlisted_events if not (is_patch_marker(e) or is_version_upsert(e))
    ]
    assert steps_recorded(listed_events) == steps_recorded(without_patches)
    # And today's code replays both
    replaying = replayer(JourneyWorkflow)
    for handle in handles:
        await replaying.replay_workflow(await handle.fetch_history())


async def test_a_run_started_by_the_workflow_client_upserts_nothing_to_open(
    client: Client,
) -> None:
    # When reception's path starts a walk-in's journey through the workflow client
    start = journey_start(checked_in=True)
    await JourneyGateway(client, TASK_QUEUE).start(start)
    handle = client.get_workflow_handle_for(JourneyWorkflow.run, start.journey_id)

    # Then the run opened (checked in: at triage) without a patch marker or an upsert: its start
    # listed today's changes and told visibility where the opening ends
    events = list((await handle.fetch_history()).events)
    assert not any(map(is_patch_marker, events))
    assert not any(e.event_type == UPSERTED for e in events)
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(search_attributes.STAGE) == "TRIAGE"
    assert attributes.get(search_attributes.CLINIC) == start.clinic_id
    assert attributes.get(search_attributes.STUCK) is False
    assert (await handle.query(JourneyWorkflow.facts)).stage is Stage.TRIAGE

    # And the stages after it are upserted as they change, and the history replays
    await act(handle, assign())
    await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
    assert await upserted_stages(handle) == ["CONSULTATION"]
    await handle.terminate("test over")
    await replayer(JourneyWorkflow).replay_workflow(await handle.fetch_history())


async def test_a_run_whose_start_told_another_stage_upserts_its_own(client: Client) -> None:
    # Given a walk-in's start that tells visibility the journey waits at reception
    start = journey_start(checked_in=True)
    told = search_attributes.told_at_start(start.clinic_id, "RECEPTION", datetime.now(UTC))

    # When the run opens (checked in: at triage)
    handle = await begin(client, start, TASK_QUEUE, told=told)

    # Then it upserted where it really is, once
    assert await upserted_stages(handle) == ["TRIAGE"]
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(search_attributes.STAGE) == "TRIAGE"
    await handle.terminate("test over")


async def test_a_run_listing_a_change_this_worker_does_not_know_is_left_unopened(
    client: Client,
) -> None:
    # Given a start from a newer API, listing a change this worker's code does not know
    start = dataclasses.replace(
        journey_start(), started_with_changes=[*CURRENT_CHANGES, "a-change-from-the-future"]
    )

    # When it is started
    handle = await client.start_workflow(
        JourneyWorkflow.run, start, id=start.journey_id, task_queue=TASK_QUEUE
    )

    # Then the worker fails its first workflow task (Temporal retries it, for a worker that
    # knows the change), naming the change, and commits nothing
    failure = await _first_task_failure(handle)
    assert "a-change-from-the-future" in failure.message
    events = list((await handle.fetch_history()).events)
    assert not any(e.event_type in (UPSERTED, EventType.EVENT_TYPE_MARKER_RECORDED) for e in events)
    await handle.terminate("test over")


async def _first_task_failure(handle: Handle) -> Failure:
    """The failure of the run's first failed workflow task, polled for a bounded time (the
    time-skipping test server does not long-poll a history)."""
    async with asyncio.timeout(30):
        while True:
            for event in (await handle.fetch_history()).events:
                if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
                    return event.workflow_task_failed_event_attributes.failure
            await asyncio.sleep(0.05)
