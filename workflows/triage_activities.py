"""The desk's I/O: the read-model writer, and handing journeys to the consultant the desk chose.
Never imported by workflow code."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.journey.facts import TRIAGE_DESK_ACTOR, ActionDetails, ActionRequest
from domain.journey.table import Action
from domain.store.triage_projection import apply_desk_changes
from domain.triage.entries import DeskEntry, EntryKind
from workflows.journey import JourneyWorkflow
from workflows.triage import DeskRecord

# Entries after which the client is served by someone else: the journey must follow.
_HANDS_OVER = frozenset({EntryKind.TIMED_OUT, EntryKind.REASSIGNED})


@activity.defn(name="record_desk_changes")
async def record_desk_changes(record: DeskRecord) -> None:
    written = await apply_desk_changes(record.clinic_id, record.entries, record.state)
    if written < len(record.entries):
        activity.logger.info("%s desk entries were already recorded", len(record.entries) - written)
    for entry in record.entries:
        if entry.kind in _HANDS_OVER and entry.transfers_ownership:
            await _hand_journey_over(record.clinic_id, entry)


async def _hand_journey_over(clinic_id: str, entry: DeskEntry) -> None:
    """Makes the journey name the consultant the desk handed the client to.

    The update id is the desk entry, so a retried activity hands over once. A journey that has
    moved past the stages a consultant owns, or already names that consultant, refuses: the desk
    log and the revenue credit still record the hand-over.
    """
    if not entry.journey_id or not entry.consultant_id:
        return
    handle = activity.client().get_workflow_handle_for(JourneyWorkflow.run, entry.journey_id)
    request = ActionRequest(
        Action.REASSIGN, TRIAGE_DESK_ACTOR, ActionDetails(consultant_id=entry.consultant_id)
    )
    try:
        await handle.execute_update(
            JourneyWorkflow.act, request, id=f"desk-{clinic_id}-{entry.day}-{entry.seq}"
        )
    except (WorkflowUpdateFailedError, RPCError) as refusal:
        activity.logger.info("journey %s kept its consultant: %s", entry.journey_id, refusal)
