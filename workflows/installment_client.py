"""Starts a bill's installment schedule; a retried start converges on the running one."""

from __future__ import annotations

import logging

from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError

from domain.money.installments import ScheduleStart
from workflows.client import JourneyUnavailable
from workflows.installments import InstallmentScheduleWorkflow, schedule_workflow_id
from workflows.request_deadline import answer_within

log = logging.getLogger(__name__)

# How long the start may wait for Temporal's answer, the SDK's own retries included: it comes
# after the payment's journey step (`workflows.client.JOURNEY_ANSWER_SECONDS`) and gets at most
# the request's time left (`workflows.request_deadline`), so the caller hears `Unavailable`, not
# a stopped request.
SCHEDULE_START_SECONDS = 5.0


async def start_installment_schedule(client: Client, task_queue: str, start: ScheduleStart) -> None:
    """Starts the schedule, or finds it running. `JourneyUnavailable` when Temporal did not
    answer in time or could not be reached (it may have started all the same: starting it
    again converges on it)."""
    try:
        async with answer_within(SCHEDULE_START_SECONDS):
            await client.start_workflow(
                InstallmentScheduleWorkflow.run,
                start,
                id=schedule_workflow_id(start.bill_id),
                task_queue=task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            )
    except (RPCError, RPCTimeoutOrCancelledError, TimeoutError) as error:
        log.warning("bill %s: no answer to its schedule's start: %r", start.bill_id, error)
        raise JourneyUnavailable("the installment schedule could not be started") from error
