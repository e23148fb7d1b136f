"""The desk's I/O: the read-model writer, and handing journeys to the consultant the desk chose.
Never imported by workflow code."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.journey.facts import TRIAGE_DESK_ACTOR, ActionDetails, ActionRequest
from domain.journey.table import Action
from domain.store.triage_projection import apply_desk_changes
from domain.triage.board_changes import BoardChange
from domain.triage.entries import DeskEntry, EntryKind
from workflows.desk_records import RECORD_DESK, RECORD_DESK_BOARD_CHANGES, DeskRecord
from workflows.journey import JourneyWorkflow

# Temporal had no room or no answer for the hand-over: the activity's retry sends it again
# (under the same update id). Any other refusal would refuse every retry too.
_FOR_NOW = frozenset(
    {RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED}
)

# Entries after which the client is served by someone else: the journey must follow.
_HANDS_OVER = frozenset({EntryKind.TIMED_OUT, EntryKind.REASSIGNED})


@activity.defn(name=RECORD_DESK_BOARD_CHANGES)
async def record_desk_board_changes(record: DeskRecord) -> bool:
    """Writes a record; answers True when the board was not at the version the record's change
    was made from, for the desk to send itself whole."""
    board = BoardChange(record.state, record.based_on, record.dropped)
    write = await apply_desk_changes(record.clinic_id, record.entries, board)
    if write.written < len(record.entries):
        already = len(record.entries) - write.written
        activity.logger.info("%s desk entries were already recorded", already)
    if write.stale:
        activity.logger.warning(
            "desk board of %s not at version %s", record.clinic_id, record.based_on
        )
    for entry in record.entries:
        if entry.kind in _HANDS_OVER and entry.transfers_ownership:
            await hand_journey_over(record.clinic_id, entry)
    return write.stale


@activity.defn(name=RECORD_DESK)
async def record_desk_changes(record: DeskRecord) -> bool:
    """The same, for desks whose run began before records went as changes (whole desks)."""
    return await record_desk_board_changes(record)


async def hand_journey_over(clinic_id: str, entry: DeskEntry) -> None:
    """Makes the journey name the consultant the desk handed the client to.

    The update id is the desk entry, so a retried activity hands over once. A journey that has
    moved past the stages a consultant owns, or already names that consultant, refuses: the desk
    log and the revenue credit still record the hand-over. A journey Temporal could not take the
    update for now (in-flight updates at their limit, a restart) fails the activity, whose retry
    records nothing twice and hands over again.
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
    except WorkflowUpdateFailedError as refusal:
        activity.logger.info("journey %s kept its consultant: %s", entry.journey_id, refusal)
    except RPCError as error:
        if error.status in _FOR_NOW:
            raise
        activity.logger.warning("journey %s kept its consultant: %s", entry.journey_id, error)
