"""A journey worker of the release before payment corrections had an update of their own, for
the tests of a rolling deploy: this release's journey code, as that release ran it.

That release's journey had no `correct_payment` handler: an update of that name is refused by
the SDK ("no such handler"), before history, as such a worker refuses it. And its `ActionDetails`
had no `corrects_a_payment`: the SDK drops a field a dataclass does not know while decoding, so
an `act` carrying it was taken as a refund without it, the client withdrawing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from temporalio import workflow
from temporalio.worker import (
    ExecuteWorkflowInput,
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

# The journey's update for a payment's correction, which that release did not have.
CORRECTION_UPDATE = "correct_payment"


class ReleaseBefore(Interceptor):
    """Makes a worker's journeys those of the release before (see the module)."""

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        return _JourneyOfTheReleaseBefore


class _JourneyOfTheReleaseBefore(WorkflowInboundInterceptor):
    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        if workflow.info().workflow_type == "Journey":
            workflow.set_update_handler(CORRECTION_UPDATE, None)
        return await super().execute_workflow(input)

    def handle_update_validator(self, input: HandleUpdateInput) -> None:
        super().handle_update_validator(_as_decoded_then(input))

    async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
        return await super().handle_update_handler(_as_decoded_then(input))


def _as_decoded_then(input: HandleUpdateInput) -> HandleUpdateInput:
    """An `act` as that release decoded it: without `corrects_a_payment`."""
    if input.update != "act" or workflow.info().workflow_type != "Journey":
        return input
    (request,) = input.args
    details = dataclasses.replace(request.details, corrects_a_payment=False)
    return dataclasses.replace(input, args=[dataclasses.replace(request, details=details)])
