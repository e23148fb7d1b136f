"""The client side of the journey workflow, for the API: start a journey, take an action.

Temporal failures come back as the domain's own errors, so callers never see a gRPC message.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from temporalio.client import (
    Client,
    RPCTimeoutOrCancelledError,
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    FieldProblem,
    FieldProblemCode,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    ValidationFailed,
)
from domain.journey.bill_notes import BillNote
from domain.journey.facts import ActionRequest, ActionResult, JourneyFacts, JourneyStart
from domain.journey.stages import Stage
from domain.journey.table import Action
from workflows.journey import CORRECT_PAYMENT, JourneyWorkflow
from workflows.journey_bills import NOTE_BILL
from workflows.journey_changes import CURRENT_CHANGES
from workflows.reconnect import unreachable
from workflows.refusals import problems_from
from workflows.request_deadline import answer_within
from workflows.search_attributes import register_search_attributes, told_at_start
from workflows.update_admission import DEFAULT_JOURNEY_IN_FLIGHT, UpdateSlots, retry_while_refused

log = logging.getLogger(__name__)

# How long a step may wait for its turn and be sent again when refused for want of room, both
# together (at most: the request's time left bounds it too), so the caller hears why.
JOURNEY_ROOM_BUDGET_SECONDS = 20.0
# How long a step or a start may wait for the journey's answer in all, its turn included: a
# worker stopped or behind leaves it waiting. At most: a request's waits on Temporal share its
# time (`workflows.request_deadline`), so one that waited on the desk first, or asked whether
# its update ran, gets what is left. The caller hears `Unavailable` and retries with its key,
# which Temporal then answers by the update id, never running it twice.
JOURNEY_ANSWER_SECONDS = 20.0
# How long asking whether a journey or a desk took an update may take (at most: the request's
# time left bounds it too); a request asks at most three times (`schema.update_ids`).
UPDATE_RAN_SECONDS = 2.0
# How long an attempt that found its start's journey waits for the start's opening to be written.
OPENING_WAIT_SECONDS = 5.0
# The query by which a journey or a desk says whether a run before its current one answered an
# update id (its handlers share this name).
EARLIER_RUN_QUERY = "answered_in_earlier_run"

_BY_CODE: dict[str, type[DomainError]] = {
    ErrorCode.TRANSITION_NOT_ALLOWED.value: TransitionNotAllowed,
    ErrorCode.NOT_AUTHORIZED.value: NotAuthorized,
    ErrorCode.NOT_FOUND.value: NotFound,
    ErrorCode.CONFLICT.value: Conflict,
}


class JourneyUnavailable(Exception):
    """Temporal could not be reached or answered with something unexpected."""


class WorkersBehind(JourneyUnavailable):
    """The journey's worker has no handler for the update: a worker of a release before it,
    during a rolling deploy. It refused the update before history: nothing was done."""


def no_such_update(failure: BaseException | None, update: str) -> bool:
    """Whether `failure` is the SDK's refusal of an update whose name the worker's workflow
    has no handler for (its error, as the worker sends it, carries no other mark)."""
    return (
        isinstance(failure, ApplicationError)
        and failure.type == "RuntimeError"
        and failure.message.startswith(f"Update handler for '{update}' expected but not found")
    )


def domain_error_from(failure: ApplicationError) -> DomainError:
    if failure.type == ErrorCode.VALIDATION_FAILED.value:
        problems = problems_from(failure.details)
        unnamed = FieldProblem("input", failure.message, FieldProblemCode.INVALID)
        return ValidationFailed(problems or [unnamed])
    return _BY_CODE.get(failure.type or "", TransitionNotAllowed)(failure.message)


@dataclass
class JourneyGateway:
    client: Client
    task_queue: str
    _search_attributes_ready: bool = False
    # None: the process-wide slots of `client` (every gateway of one API process shares them).
    slots: UpdateSlots | None = field(default=None, repr=False)

    async def _ensure_search_attributes(self) -> None:
        """Journeys upsert custom search attributes: they must exist before the first start."""
        if self._search_attributes_ready:
            return
        try:
            await register_search_attributes(self.client, self.client.namespace)
        except RPCError as error:
            if unreachable(error):  # asked again at the next start, once Temporal answers
                raise JourneyUnavailable("Temporal could not be reached") from error
            # no operator rights: the deployment registers them instead
            log.warning("could not register search attributes: %s", error.message)
        self._search_attributes_ready = True

    async def start(self, start: JourneyStart) -> ActionResult:
        """Starts the journey and returns once its opening events are in the read model.

        A retry of the same start (same journey id) converges on the running workflow: its
        input is then ignored, and the retry's draft stays unattached. If that workflow has
        already closed (the caller found no journey of it in the read model: it failed or was
        terminated before its first event was written), the id cannot be started again:
        `Conflict`."""
        await self._ensure_search_attributes()
        start, told = started_today(start)
        operation = WithStartWorkflowOperation(
            JourneyWorkflow.run,
            start,
            id=start.journey_id,
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=told,
        )
        try:
            async with answer_within(JOURNEY_ANSWER_SECONDS):
                return await self.client.execute_update_with_start_workflow(
                    JourneyWorkflow.opened, start_workflow_operation=operation
                )
        except WorkflowAlreadyStartedError:
            await _read_start_outcome(operation)
            raise Conflict(
                "this journey could not be opened and has closed; start it again with a new key"
            ) from None
        except (
            RPCError,
            WorkflowUpdateFailedError,
            RPCTimeoutOrCancelledError,
            TimeoutError,
        ) as error:
            await _read_start_outcome(operation)
            # Ambiguous: the workflow may have started all the same (see reception's claim).
            log.error("journey %s: no answer to its start: %r", start.journey_id, error)
            raise JourneyUnavailable("the journey could not be started") from error

    async def act(self, journey_id: str, request: ActionRequest, update_id: str) -> ActionResult:
        """Runs one staff action. `update_id` deduplicates retries inside Temporal (and makes
        sending it again, when Temporal had no room for it, safe)."""
        handle = self.client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
        # A payment's correction has an update of its own, which a worker of a release before
        # refuses; as `act` that worker took it for the client withdrawing (`correct_payment`).
        corrects = request.action is Action.REFUND and request.details.corrects_a_payment

        async def send() -> ActionResult:
            if corrects:
                return await handle.execute_update(
                    JourneyWorkflow.correct_payment, request, id=update_id
                )
            return await handle.execute_update(JourneyWorkflow.act, request, id=update_id)

        return await self._updated(journey_id, update_id, send, CORRECT_PAYMENT)

    async def note_bill(self, journey_id: str, note: BillNote, update_id: str) -> ActionResult:
        """Tells the journey of a bill about to be written (`workflows.journey_bills`): it
        answers, or refuses the bill (paid on its plan, past its payment) as a domain error."""
        handle = self.client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)

        async def send() -> ActionResult:
            return await handle.execute_update(JourneyWorkflow.note_bill, note, id=update_id)

        return await self._updated(journey_id, update_id, send, NOTE_BILL)

    async def _updated(
        self,
        journey_id: str,
        update_id: str,
        send: Callable[[], Awaitable[ActionResult]],
        new_update: str,
    ) -> ActionResult:
        """`send`'s answer, in the journey's turn; Temporal's failures as domain errors.
        `new_update`: the update's name when a worker of a release before may not know it."""
        slots = self.slots or slots_for(self.client)
        try:
            async with answer_within(JOURNEY_ANSWER_SECONDS), contextlib.AsyncExitStack() as turn:
                waited = await wait_for_turn(turn, slots, journey_id)
                left = JOURNEY_ROOM_BUDGET_SECONDS - waited
                return await retry_while_refused(send, journey_id, budget=max(left, 0.0))
        except TimeoutError:
            # Sent, maybe taken: the update runs once its worker is back, and a retry with the
            # same id is answered with its outcome (or runs it, if it never reached the journey).
            log.warning("journey %s: no answer to update %s in time", journey_id, update_id)
            raise JourneyUnavailable("no answer from the journey in time") from None
        except WorkflowUpdateFailedError as error:
            if no_such_update(error.cause, new_update):
                log.warning("journey %s: its worker refused update %s", journey_id, update_id)
                raise WorkersBehind("the journey's workers are being upgraded") from error
            if isinstance(error.cause, ApplicationError):
                raise domain_error_from(error.cause) from None
            log.error("journey %s update failed unexpectedly: %r", journey_id, error.cause)
            raise JourneyUnavailable("the journey did not accept the action") from error
        except RPCError as error:
            if error.status is RPCStatusCode.NOT_FOUND:
                # Workflow gone: its run has ended (terminal stage) or it never existed.
                raise TransitionNotAllowed("the journey has ended") from None
            log.warning("journey %s: update %s not sent: %r", journey_id, update_id, error)
            raise JourneyUnavailable(str(error)) from error
        except RPCTimeoutOrCancelledError as error:
            log.warning("journey %s: no answer to update %s: %r", journey_id, update_id, error)
            raise JourneyUnavailable("no answer from the journey in time") from error

    async def until_opened(self, journey_id: str) -> None:
        """Returns once the journey's opening is in the read model, a walk-in's check-in
        included, as `start` does: an attempt that finds the journey's row while the start runs
        beside it then answers the journey as the start left it, not half opened. A run that has
        ended opened long ago. Should Temporal not answer in time the read model answers as it
        stands: this wait only keeps the attempts of one start in step."""
        handle = self.client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
        try:
            async with answer_within(OPENING_WAIT_SECONDS):
                await handle.execute_update(JourneyWorkflow.opened)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                log.warning("journey %s: its opening not confirmed: %r", journey_id, error)
        except (WorkflowUpdateFailedError, RPCTimeoutOrCancelledError, TimeoutError) as error:
            log.warning("journey %s: its opening not confirmed: %r", journey_id, error)

    async def update_ran(self, journey_id: str, update_id: str) -> bool:
        """Whether the journey took the update `update_id` and it succeeded, in its current run
        or in a run it has continued as new from: a retry whose answer was lost is then answered
        by it, as `act` with the same id answers. False when no run took it (never sent, refused
        by the validator) or it failed (it changed nothing); `JourneyUnavailable` when Temporal
        cannot say in time (the first attempt may still be on its way: the retry is neither
        answered nor refused)."""
        handle = self.client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
        return await update_succeeded(handle, update_id)

    async def running(self, journey_id: str) -> bool:
        """Whether the journey's workflow exists and runs (one whose start is on its way
        counts); `JourneyUnavailable` when Temporal cannot say in time."""
        handle = self.client.get_workflow_handle(journey_id)
        try:
            async with answer_within(UPDATE_RAN_SECONDS):  # the SDK's retries included
                description = await handle.describe()
        except RPCError as error:
            if error.status is RPCStatusCode.NOT_FOUND:
                return False
            raise JourneyUnavailable(str(error)) from error
        except (RPCTimeoutOrCancelledError, TimeoutError) as error:
            raise JourneyUnavailable("no answer from the journey in time") from error
        return description.status is WorkflowExecutionStatus.RUNNING

    async def facts(self, journey_id: str) -> JourneyFacts:
        handle = self.client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
        return await handle.query(JourneyWorkflow.facts)


async def update_succeeded(handle: WorkflowHandle[Any, Any], update_id: str) -> bool:
    """Whether the workflow took the update `update_id` and it succeeded (see
    `JourneyGateway.update_ran`): its current run, or a run it continued as new from, which
    hands its latest answers over (asked by the `answered_in_earlier_run` query the journey and
    the desk both answer). Waits at most `UPDATE_RAN_SECONDS` in all."""
    try:
        async with answer_within(UPDATE_RAN_SECONDS):
            return await _took_update(handle, update_id)
    except (RPCTimeoutOrCancelledError, TimeoutError) as error:
        raise JourneyUnavailable("no answer from the workflow in time") from error


async def _took_update(handle: WorkflowHandle[Any, Any], update_id: str) -> bool:
    try:
        await handle.get_update_handle(update_id).result()
        return True
    except WorkflowUpdateFailedError:
        return False  # it changed nothing
    except RPCError as error:
        if error.status is not RPCStatusCode.NOT_FOUND:
            raise JourneyUnavailable(str(error)) from error
    try:  # not the current run's: a run before it may have answered it
        return bool(await handle.query(EARLIER_RUN_QUERY, update_id))
    except WorkflowQueryFailedError:
        return False  # a worker of a release before the query: judged afresh, as it was then
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            return False  # no such workflow
        raise JourneyUnavailable(str(error)) from error


async def wait_for_turn(
    turn: contextlib.AsyncExitStack, slots: UpdateSlots, journey_id: str
) -> float:
    """Takes a turn on the journey (held until `turn` closes); the seconds it took."""
    began = time.monotonic()
    try:
        async with answer_within(JOURNEY_ROOM_BUDGET_SECONDS):
            await turn.enter_async_context(slots.turn(journey_id))
    except TimeoutError:
        log.warning(
            "journey %s: no turn for a step in %.0f s", journey_id, time.monotonic() - began
        )
        raise JourneyUnavailable("the journey had no room for the step in time") from None
    return time.monotonic() - began


_by_client: weakref.WeakKeyDictionary[Client, UpdateSlots] = weakref.WeakKeyDictionary()


def slots_for(client: Client) -> UpdateSlots:
    """The journeys' slots shared by every gateway on this client: one per API process."""
    slots = _by_client.get(client)
    if slots is None:
        slots = _by_client[client] = UpdateSlots(DEFAULT_JOURNEY_IN_FLIGHT)
    return slots


def started_today(start: JourneyStart) -> tuple[JourneyStart, TypedSearchAttributes]:
    """The start as this code sends it, with the search attributes told with it: today's
    changes listed (`journey_changes`), and visibility told where the opening ends."""
    listed = dataclasses.replace(start, started_with_changes=list(CURRENT_CHANGES))
    told = told_at_start(start.clinic_id, _opening_stage(start).value, datetime.now(UTC))
    return listed, told


def _opening_stage(start: JourneyStart) -> Stage:
    """Where the journey's opening leaves it: a walk-in is checked in at once. Told to
    visibility with the start; should the run end its opening elsewhere, it upserts its own."""
    return Stage.TRIAGE if start.checked_in else Stage.RECEPTION


async def _read_start_outcome(operation: WithStartWorkflowOperation[Any, Any]) -> None:
    """The SDK also reports a failed start on the operation's handle. Reading it marks it read:
    an unread failed future is logged when garbage-collected, at any later moment. A start
    this process gave up waiting for (`answer_within`) left the handle cancelled: reading it
    raises `CancelledError`, which must not end the request as if it were cancelled itself."""
    try:
        await asyncio.wait_for(operation.workflow_handle(), timeout=0.05)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # the request itself is being cancelled
    except Exception:
        pass  # the start's failure: the caller answers for it
