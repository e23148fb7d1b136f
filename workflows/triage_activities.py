"""The desk's I/O: the read-model writer, and handing journeys to the consultant the desk chose.
Never imported by workflow code."""

from __future__ import annotations

import asyncio
import logging

from temporalio import activity
from temporalio.client import RPCTimeoutOrCancelledError, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.journey.facts import TRIAGE_DESK_ACTOR, ActionDetails, ActionRequest
from domain.journey.table import Action
from domain.store.triage_projection import apply_desk_changes
from domain.triage.board_changes import BoardChange
from domain.triage.entries import DeskEntry, EntryKind
from domain.triage.notices import hands_journey_over
from workflows.desk_records import (
    RECORD_DESK,
    RECORD_DESK_BOARD_CHANGES,
    DeskRecord,
    hand_over_update_id,
)
from workflows.journey import JourneyWorkflow
from workflows.update_admission import retry_while_refused

# Temporal had no room for the hand-over (in-flight updates at their limit) or aborted it: sent
# again under the same update id while the record's time for hand-overs lasts.
_FOR_NOW = frozenset({RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE})
# All the hand-overs of one record, waiting and sending again included: the desk's records (and
# its whole loop) wait for this activity, whose attempt has 10 s (`desk_records.RECORD_TIMEOUT`).
HAND_OVERS_BUDGET_SECONDS = 5.0


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
    deadline = asyncio.get_running_loop().time() + HAND_OVERS_BUDGET_SECONDS
    for entry in record.entries:
        if hands_journey_over(entry):
            await hand_journey_over(record.clinic_id, entry, deadline)
        elif entry.kind is EntryKind.RELEASED and entry.back_to_triage:
            await hand_journey_over(record.clinic_id, entry, deadline, Action.RETURN_TO_TRIAGE)
    return write.stale


@activity.defn(name=RECORD_DESK)
async def record_desk_changes(record: DeskRecord) -> bool:
    """The same, for desks whose run began before records went as changes (whole desks)."""
    return await record_desk_board_changes(record)


async def hand_journey_over(
    clinic_id: str, entry: DeskEntry, deadline: float, action: Action = Action.REASSIGN
) -> None:
    """Makes the journey name the consultant the desk handed the client to (`REASSIGN`), or,
    for a client the day's end released, name nobody and wait at triage (`RETURN_TO_TRIAGE`,
    refused by a journey whose consultant took the client or which was handed on since).

    The update id is the desk entry, so a retried activity hands over once. A journey that has
    moved past the stages a consultant owns, already names that consultant, or no longer names
    the one the desk handed the client from (the supervisor moved her: the desk follows that
    when the journey's notice comes, `notices.journey_moved`), refuses: the desk log and the
    revenue credit still record the hand-over. A journey Temporal has no room for is
    sent the hand-over again until `deadline` (the event loop's clock); one not answered by
    then keeps its consultant too, said at ERROR: the desk must not wait on one crowded journey.
    (An update Temporal had admitted may still be applied later.)
    """
    if not entry.journey_id or not entry.consultant_id:
        return
    handle = activity.client().get_workflow_handle_for(JourneyWorkflow.run, entry.journey_id)
    request = hand_over_request(entry, action)
    update_id = hand_over_update_id(clinic_id, entry.day, entry.seq)

    async def send() -> object:
        return await handle.execute_update(JourneyWorkflow.act, request, id=update_id)

    left = deadline - asyncio.get_running_loop().time()
    try:
        # The SDK answers the timeout's cancellation as its own RPCTimeoutOrCancelledError.
        async with asyncio.timeout_at(deadline):
            await retry_while_refused(send, entry.journey_id, budget=left, retried=_FOR_NOW)
    except (TimeoutError, RPCTimeoutOrCancelledError):
        activity.logger.error(
            "could not hand journey %s over, it keeps its consultant: no answer in time",
            entry.journey_id,
        )
    except WorkflowUpdateFailedError as refusal:
        activity.logger.info("journey %s kept its consultant: %s", entry.journey_id, refusal)
    except RPCError as error:
        level = logging.ERROR if error.status in _FOR_NOW else logging.WARNING
        activity.logger.log(
            level,
            "could not hand journey %s over, it keeps its consultant: %s",
            entry.journey_id,
            error,
        )


def hand_over_request(entry: DeskEntry, action: Action = Action.REASSIGN) -> ActionRequest:
    """The journey's step for `entry` (`hand_journey_over`): a hand-over names the consultant it
    takes the client from, for a journey moved since to keep its consultant; ids only."""
    handed_from = entry.from_consultant_id if action is Action.REASSIGN else None
    details = ActionDetails(consultant_id=entry.consultant_id, from_consultant_id=handed_from)
    return ActionRequest(action, TRIAGE_DESK_ACTOR, details)
