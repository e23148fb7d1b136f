"""A partner's deadlines run on Temporal's durable timers: six months pass in the time-skipping
server, and each milestone missed by its deadline is flagged in the read model, once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.partners.clock import PartnerClock
from domain.store.partners import PartnerLapse, PartnerReferral, PartnerRegistration
from workflows.partner import PartnerWorkflow, partner_workflow_id
from workflows.partner_activities import check_partner_milestone

QUEUE = "partner-clock-test"


async def _register(partner_id: str, clinic_id: str, *, complete: bool) -> None:
    await PartnerRegistration.create(
        id=str(uuid.uuid4()),
        partner_id=partner_id,
        clinic_id=clinic_id,
        version=1,
        name="Salon",
        agreement_reference="AG-1" if complete else None,
        bank_details="PL61 1090 1014 0000 0712 1981 2874" if complete else None,
        premises_photo_ids=["photo-1"] if complete else [],
        registered_by="sup-1",
        registered_at=datetime.now(UTC),
    )


async def test_missed_deadlines_are_flagged_after_months_on_the_timer(
    env: WorkflowEnvironment, database: str
) -> None:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    # Given one partner that never completes its papers and one that registers fully and sends
    # a client (who never pays)
    idle, active = str(uuid.uuid4()), str(uuid.uuid4())
    await _register(idle, clinic_id, complete=False)
    await _register(active, clinic_id, complete=True)
    await PartnerReferral.create(
        clinic_id=clinic_id,
        partner_id=active,
        journey_id=str(uuid.uuid4()),
        client_id=str(uuid.uuid4()),
        recorded_by="desk-1",
        at=datetime.now(UTC),
    )
    async with Worker(
        env.client,
        task_queue=QUEUE,
        workflows=[PartnerWorkflow],
        activities=[check_partner_milestone],
    ):
        started = datetime.now(UTC)
        handles = [
            await env.client.start_workflow(
                PartnerWorkflow.run,
                PartnerClock(partner_id, clinic_id, started),
                id=partner_workflow_id(partner_id),
                task_queue=QUEUE,
            )
            for partner_id in (idle, active)
        ]
        # When six months pass on the workflows' timers
        idle_result, active_result = [await h.result() for h in handles]
    # Then the idle partner missed all three, the active one only the first deal
    assert idle_result.lapsed == ["REGISTERED", "FIRST_CONSULTATION", "FIRST_DEAL"]
    assert active_result.lapsed == ["FIRST_DEAL"]
    assert active_result.checked == ["REGISTERED", "FIRST_CONSULTATION", "FIRST_DEAL"]
    lapses = await PartnerLapse.filter(partner_id__in=[idle, active])
    assert sorted((r.partner_id == idle, r.milestone) for r in lapses) == [
        (False, "FIRST_DEAL"),
        (True, "FIRST_CONSULTATION"),
        (True, "FIRST_DEAL"),
        (True, "REGISTERED"),
    ]
    # The deadlines are 1 month + 5 days, 3 months and 6 months after the clock started
    due = {r.milestone: r.due_at for r in lapses if r.partner_id == idle}
    # (a month is 28 to 31 days; six months 181 to 184)
    assert timedelta(days=33) <= due["REGISTERED"] - started <= timedelta(days=37)
    assert timedelta(days=89) <= due["FIRST_CONSULTATION"] - started <= timedelta(days=93)
    assert timedelta(days=181) <= due["FIRST_DEAL"] - started <= timedelta(days=185)
