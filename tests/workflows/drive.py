"""Driving journey workflows from a test, and reading back what they left in the read model."""

from __future__ import annotations

from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.common import TypedSearchAttributes

from domain.journey.codec import facts_to_json
from domain.journey.facts import ActionRequest, ActionResult, JourneyFacts, JourneyStart
from domain.journey.stages import Stage
from domain.store.models import Journey, JourneyEvent
from workflows.client import started_today
from workflows.journey import JourneyWorkflow

Handle = WorkflowHandle[JourneyWorkflow, JourneyFacts]
Line = tuple[str, str | None, str, str]  # action, from stage, to stage, actor role
WORKFLOW_TASK_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
}


async def begin(
    client: Client,
    start: JourneyStart,
    task_queue: str,
    *,
    as_given: bool = False,
    told: TypedSearchAttributes | None = None,
) -> Handle:
    """Starts the journey as the workflow client starts one (its changes listed, its opening's
    search attributes told), or exactly `as_given` (as runs were started before: the run asks
    `workflow.patched` for what its start does not list, and upserts as it opens), and waits
    until its opening events are in the read model. `told` replaces the search attributes the
    start tells visibility (a start that tells the wrong stage)."""
    attributes = None
    if not as_given:
        start, attributes = started_today(start)
    handle = await client.start_workflow(
        JourneyWorkflow.run,
        start,
        id=start.journey_id,
        task_queue=task_queue,
        search_attributes=told or attributes,
    )
    await handle.execute_update(JourneyWorkflow.opened)
    return handle


async def act(handle: Handle, step: ActionRequest, **kw: Any) -> ActionResult:
    return await handle.execute_update(JourneyWorkflow.act, step, **kw)


async def walk(handle: Handle, steps: list[tuple[ActionRequest, Stage]]) -> None:
    for step, stage in steps:
        result = await act(handle, step)
        assert result.stage is stage, f"{step.action} landed in {result.stage}, not {stage}"


def lines_of(steps: list[tuple[ActionRequest, Stage]], start: Stage = Stage.TRIAGE) -> list[Line]:
    """The log lines a walk along `steps` should leave."""
    lines: list[Line] = []
    current = start
    for step, stage in steps:
        lines.append((step.action.value, current.value, stage.value, step.actor.role.value))
        current = stage
    return lines


OPENING: list[Line] = [
    ("start_journey", None, "RECEPTION", "FRONT_DESK"),
    ("check_in", "RECEPTION", "TRIAGE", "FRONT_DESK"),
]


async def journey_log(journey_id: str) -> list[Line]:
    rows = await JourneyEvent.filter(journey_id=journey_id).order_by("seq")
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    return [(r.action, r.from_stage, r.to_stage, r.actor_role) for r in rows]


async def follow_ups(journey_id: str) -> list[dict[str, Any]]:
    row = await Journey.get(id=journey_id)
    return list(row.facts["follow_ups"])


async def history_size(handle: Handle, *, skip_workflow_tasks: bool = False) -> int:
    """Events in the workflow's history (optionally not counting workflow-task bookkeeping)."""
    events = (await handle.fetch_history()).events
    if skip_workflow_tasks:
        events = [e for e in events if e.event_type not in WORKFLOW_TASK_EVENTS]
    return len(events)


async def finished(handle: Handle) -> JourneyFacts:
    """The workflow's result, checked against the read model it wrote."""
    result = await handle.result()
    row = await Journey.get(id=handle.id)
    assert row.facts == facts_to_json(result)
    assert (row.stage, row.active, row.last_event_seq) == (
        result.stage.value,
        False,
        result.event_seq,
    )
    assert await JourneyEvent.filter(journey_id=handle.id).count() == result.event_seq
    return result
