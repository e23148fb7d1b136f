"""Activities: the journey's only I/O, the read-model writer, which also tells the clinic's
triage desk what it must learn from the journey. Never imported by workflow code."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import activity
from temporalio.service import RPCError, RPCStatusCode

from domain.journey.codec import change_from_json
from domain.journey.facts import JourneyChange
from domain.store.projection import apply_change
from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice, notice_for
from workflows.triage import desk_workflow_id


@activity.defn(name="record_journey_change")
async def record_journey_change(change: dict[str, Any] | JourneyChange) -> None:
    # Taken as its JSON form (the SDK tries `dict` first) and decoded by hand: see the codec.
    # Whole: a newer release's worker may have sent it while a deploy rolls, and its event,
    # written without the facts this release does not know, would keep them lost (a retry
    # finds it written). The attempt fails, until a worker of that release takes it.
    if not isinstance(change, JourneyChange):
        change = change_from_json(change, whole=True)
    notice = notice_for(change.event, change.facts)
    if notice is None:
        written = await apply_change(change)
    else:
        # The write and the desk's notice do not wait for each other (the database and
        # Temporal answer side by side): the step answers when both are done. Either failing
        # fails the attempt, and a retry does both again: the write is idempotent, and the
        # desk takes a notice once.
        outcomes = await asyncio.gather(
            apply_change(change),
            _tell_desk(change.facts.clinic_id, notice),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        written = bool(outcomes[0])
    if not written:
        activity.logger.info(
            "event %s of %s was already recorded", change.event.seq, change.event.journey_id
        )


async def _tell_desk(clinic_id: str, notice: JourneyNotice) -> None:
    """The desk learns that the client is being served or has gone (the 10-minute rule stops)."""
    desk = activity.client().get_workflow_handle(desk_workflow_id(clinic_id))
    try:
        await desk.signal(JOURNEY_MOVED_SIGNAL, notice)
    except RPCError as error:
        if error.status is not RPCStatusCode.NOT_FOUND:
            raise  # retried with the write, which is idempotent
        activity.logger.debug("clinic %s runs no desk: %s not told", clinic_id, notice.action)
