"""Starts a partner's clock; a retried start converges on the running one."""

from __future__ import annotations

from datetime import datetime

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from domain.partners.clock import PartnerClock
from workflows.partner import PartnerWorkflow, partner_workflow_id


async def start_partner_clock(
    client: Client, task_queue: str, partner_id: str, clinic_id: str, reported_at: datetime
) -> None:
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
