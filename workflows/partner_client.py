"""Starts a partner's clock; a retried start converges on the running one."""

from __future__ import annotations

import logging
from datetime import datetime

from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.service import RPCError

from domain.partners.clock import PartnerClock
from workflows.client import JourneyUnavailable
from workflows.partner import PartnerWorkflow, partner_workflow_id
from workflows.request_deadline import answer_within

log = logging.getLogger(__name__)

# How long the start may wait for Temporal's answer, the SDK's own retries included: at most,
# and within the request's time left (`workflows.request_deadline`), so the caller hears
# `Unavailable` and retries with its key.
CLOCK_START_SECONDS = 10.0


async def start_partner_clock(
    client: Client, task_queue: str, partner_id: str, clinic_id: str, reported_at: datetime
) -> None:
    """Starts the clock, or finds it running. `JourneyUnavailable` when Temporal did not answer
    in time or could not be reached (the clock may have started all the same: asking again
    converges on it); `WorkflowAlreadyStartedError` once its six months have run."""
    try:
        async with answer_within(CLOCK_START_SECONDS):
            await client.start_workflow(
                PartnerWorkflow.run,
                PartnerClock(partner_id, clinic_id, reported_at),
                id=partner_workflow_id(partner_id),
                task_queue=task_queue,
                # Ids only, as on the journeys: which clinic's partner this clock is.
                memo={"clinic_id": clinic_id},
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                # The clock runs once per partner: six months after it ends, a start is refused.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
    except (RPCError, RPCTimeoutOrCancelledError, TimeoutError) as error:
        log.warning("partner %s: no answer to its clock's start: %r", partner_id, error)
        raise JourneyUnavailable("the partner's clock could not be started") from error
