"""How a journey writes its changes to the read model: at once in the step, or later.

The fast path rides in the update as a local activity; if the database is away for longer than
its retries, the change is kept and written later by a regular activity, in order, so no step
is lost (`JourneyWorkflow._record`, `_flush_unrecorded`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, FailureError

with workflow.unsafe.imports_passed_through():
    from domain.journey.facts import JourneyChange

# Activity names, not imports: the activities use Tortoise, which must stay out of the sandbox.
RECORD_CHANGE = "record_journey_change"
RECORD_TIMEOUT = timedelta(seconds=10)
# The fast path rides in the update as a local activity; if the database is away for longer than
# this, the change is kept and written later by a regular activity, so no step is lost.
LOCAL_RETRIES = RetryPolicy(maximum_attempts=3, initial_interval=timedelta(milliseconds=200))


async def written_at_once(change: JourneyChange, defers_any_failure: Callable[[], bool]) -> bool:
    """Writes `change` by a local activity; False when the write is deferred (the caller keeps
    the change for `write_deferred`). `defers_any_failure`: asked only of a failure that is not
    an `ActivityError` (`journey_changes.DEFER_ANY_WRITE_FAILURE`); no, and it fails the task."""
    try:
        await workflow.execute_local_activity(
            RECORD_CHANGE,
            change,
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=LOCAL_RETRIES,
        )
    except FailureError as failure:
        if not isinstance(failure, ActivityError) and not defers_any_failure():
            raise
        workflow.logger.warning("read model write deferred for event %s", change.event.seq)
        return False
    return True


async def write_deferred(unrecorded: list[JourneyChange]) -> None:
    """Writes the deferred changes, oldest first, each taken off the list once written."""
    while unrecorded:
        await workflow.execute_activity(
            RECORD_CHANGE, unrecorded[0], start_to_close_timeout=RECORD_TIMEOUT
        )
        unrecorded.pop(0)
