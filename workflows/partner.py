"""A partner's durable clock (seed 003): at each deadline it asks the read model whether the
partner made it in time, and flags a lapse when not. Ids and codes only cross Temporal."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

# Passed through the sandbox: its dataclasses must be the same classes (with the real
# `datetime`) that the client and the activity use.
with workflow.unsafe.imports_passed_through():
    from domain.partners.clock import MilestoneCheck, PartnerClock, PartnerClockState
    from domain.partners.deadlines import schedule


CHECK_TIMEOUT = timedelta(seconds=30)


def partner_workflow_id(partner_id: str) -> str:
    return f"partner-{partner_id}"


@workflow.defn(name="PartnerClock")
class PartnerWorkflow:
    def __init__(self) -> None:
        self.state = PartnerClockState("", "")

    @workflow.run
    async def run(self, clock: PartnerClock) -> PartnerClockState:
        self.state = PartnerClockState(clock.partner_id, clock.clinic_id)
        for milestone, due in schedule(clock.reported_at):
            wait = due - workflow.now()
            if wait > timedelta(0):
                await workflow.sleep(wait)
            check = MilestoneCheck(clock.partner_id, clock.clinic_id, milestone.value, due)
            missed = await workflow.execute_activity(
                "check_partner_milestone",
                check,
                result_type=bool,
                start_to_close_timeout=CHECK_TIMEOUT,
            )
            self.state.checked.append(milestone.value)
            if missed:
                self.state.lapsed.append(milestone.value)
        return self.state

    @workflow.query
    def standing(self) -> PartnerClockState:
        return self.state
