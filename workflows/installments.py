"""A bill's installment schedule: one durable run per plan, a timer per due date.

At the end of each due day the run asks the read model whether the bill has been paid up to
that installment; an unpaid one becomes a task (an overdue row the supervisor's cockpit counts).
The run ends after the last due date. Ids, instants and amounts only cross into it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.money.installments import DueCheck, ScheduleStart

# An activity name, not an import: the activity uses Tortoise, which stays out of the sandbox.
CHECK_INSTALLMENT = "check_installment"
CHECK_TIMEOUT = timedelta(seconds=10)


def schedule_workflow_id(bill_id: str) -> str:
    return f"installments-{bill_id}"


@workflow.defn(name="InstallmentSchedule")
class InstallmentScheduleWorkflow:
    @workflow.run
    async def run(self, start: ScheduleStart) -> list[int]:
        """The installments found overdue, by number."""
        overdue = []
        for due in start.dues:
            wait = due.due_at - workflow.now()
            if wait > timedelta(0):
                await workflow.sleep(wait)
            check = DueCheck(start.bill_id, due.seq, due.owed_by_then_minor)
            late = await workflow.execute_activity(
                CHECK_INSTALLMENT, check, result_type=bool, start_to_close_timeout=CHECK_TIMEOUT
            )
            if late:
                overdue.append(due.seq)
        return overdue
