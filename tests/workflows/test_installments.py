"""An installment schedule on the time-skipping server: months pass in a moment, a due date
the client missed becomes a task, one they kept does not."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.money.installments import ScheduleStart, dues_of
from domain.store.billing import Bill, InstallmentOverdue
from domain.store.receipts import NewPayment, record_payment
from workflows.installment_activities import check_installment
from workflows.installments import InstallmentScheduleWorkflow, schedule_workflow_id


async def _paid(bill: Bill, amount_minor: int) -> None:
    await record_payment(
        NewPayment(
            str(uuid.uuid4()),
            bill.clinic_id,
            bill.journey_id,
            "client-1",
            bill.id,
            "INSTALLMENT",
            "CARD",
            amount_minor,
            "EUR",
            "cashier-1",
        )
    )


async def test_a_missed_installment_raises_a_task_and_a_kept_one_does_not(
    env: WorkflowEnvironment, database: str
) -> None:
    # Given a bill of 1000.00 under a plan: 300.00 now, 350.00 in a month, 350.00 in two
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    bill = await Bill.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic,
        journey_id="journey-1",
        client_id="client-1",
        currency="EUR",
        subtotal_minor=100000,
        total_minor=100000,
        created_by="cashier-1",
        created_at=datetime.now(UTC),
    )
    now = await env.get_current_time()
    today = now.astimezone(ZoneInfo("Europe/Warsaw")).date()
    schedule = [(today + timedelta(days=30), 35000), (today + timedelta(days=60), 35000)]
    dues = dues_of(30000, schedule, ZoneInfo("Europe/Warsaw"))
    assert [d.owed_by_then_minor for d in dues] == [65000, 100000]
    # ... the first payment and the first installment paid, the second never
    await _paid(bill, 30000)
    await _paid(bill, 35000)
    queue = f"installments-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[InstallmentScheduleWorkflow],
        activities=[check_installment],
    ):
        # When the schedule runs to its end (two months pass on the time-skipping server)
        overdue = await env.client.execute_workflow(
            InstallmentScheduleWorkflow.run,
            ScheduleStart(bill.id, clinic, dues),
            id=schedule_workflow_id(bill.id),
            task_queue=queue,
        )
    # Then only the second installment is overdue, and it is a task for the clinic
    assert overdue == [2]
    (task,) = await InstallmentOverdue.filter(clinic_id=clinic)
    assert (task.bill_id, task.seq, task.owed_by_then_minor) == (bill.id, 2, 100000)
    assert task.noted_at.date() >= date.today()


def test_a_schedule_must_make_the_bill() -> None:
    from domain.money.installments import schedule_problems

    today = date(2026, 1, 10)
    good = [(date(2026, 2, 10), 350), (date(2026, 3, 10), 350)]
    assert schedule_problems(1000, 300, good, today) == []
    short = [(date(2026, 2, 10), 350)]
    assert [p.field for p in schedule_problems(1000, 300, short, today)] == ["schedule"]
    backwards = [(date(2026, 3, 10), 350), (date(2026, 2, 10), 350)]
    assert [p.field for p in schedule_problems(1000, 300, backwards, today)] == [
        "schedule[1].dueOn"
    ]
