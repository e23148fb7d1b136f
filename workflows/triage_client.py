"""The client side of the triage desk, for the API: every call starts the desk if it is not running.

Every update passes the desk's admission (``workflows.desk_admission``): a crowd queues, and
the API's arrivals go in rounds (`queue_arrival`): those waiting together share one update.

Temporal failures come back as the domain's own errors, so callers never see a gRPC message.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from temporalio.client import Client, RPCTimeoutOrCancelledError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.triage.batch import ArrivalAnswer, ArriveBatch
from domain.triage.commands import (
    AcceptCommand,
    ArriveCommand,
    DeskReply,
    OrderCommand,
    OverrideCommand,
    SeatCommand,
)
from domain.triage.desk import DeskState
from workflows.arrival_rounds import ArrivalPlace, ArrivalRounds, DeskCrowded
from workflows.client import JourneyUnavailable, domain_error_from, update_succeeded
from workflows.desk_admission import DeskAdmission, admission_for, retry_while_refused_by_desk
from workflows.request_deadline import answer_within, no_request_deadline
from workflows.triage import DeskStart, TriageDeskWorkflow, desk_workflow_id

log = logging.getLogger(__name__)

# How long a desk change waits for the desk's answer in all: its turn, the desk's start and the
# retries of a refused update included (a worker stopped or behind leaves it waiting). At most,
# as the journey's (`workflows.client.JOURNEY_ANSWER_SECONDS`): a request's waits share its time
# (`workflows.request_deadline`), and `autoAssign` waits on the journey after the desk. The
# caller hears `Unavailable` and retries with its key, which the desk then answers by the
# update id (an arrival: by its journey), never twice.
DESK_ANSWER_SECONDS = 20.0


@dataclass
class TriageGateway:
    client: Client
    task_queue: str
    timezone: str = "UTC"
    # None: the process-wide admission of `client` (every gateway of one API process shares it).
    admission: DeskAdmission | None = field(default=None, repr=False)

    async def arrive(self, clinic_id: str, command: ArriveCommand, update_id: str) -> DeskReply:
        """One arrival in an update of its own."""
        return await self._update(clinic_id, TriageDeskWorkflow.arrive, command, update_id)

    def arrival_place(
        self, clinic_id: str
    ) -> contextlib.AbstractContextManager[ArrivalPlace | None]:
        """A place among the arrivals waiting at this process for the desk, for `queue_arrival`
        (`ArrivalRounds.place`): None when the desk has too many waiting."""
        return self._rounds(clinic_id).place()

    async def queue_arrival(
        self, clinic_id: str, command: ArriveCommand, place: ArrivalPlace | None = None
    ) -> DeskReply:
        """One arrival, decided in the next round with the others waiting at this process for
        the same desk (one update for the round), in its `place` if it took one. The same
        answer or refusal as `arrive`."""
        rounds = self._rounds(clinic_id)
        try:
            # Its round may wait behind another one: the caller's wait is bounded on its own,
            # and by its request's time left (an arrival with none left is not queued at all).
            # An arrival not waited for leaves unsent, or if sent the desk decides it once.
            async with answer_within(DESK_ANSWER_SECONDS):
                answer = await rounds.decide(command, place)
        except TimeoutError:
            log.warning("desk of %s: no answer to an arrival in time", clinic_id)
            raise JourneyUnavailable("no answer from the triage desk in time") from None
        except DeskCrowded as crowded:
            # Refused before queuing: the desk heard nothing, and the retry is sent afresh.
            log.warning("desk of %s: arrival refused, %s", clinic_id, crowded)
            raise JourneyUnavailable("the triage desk has too many arrivals waiting") from None
        if answer.refusal is not None:
            raise answer.refusal.error()
        assert answer.reply is not None
        return answer.reply

    def _rounds(self, clinic_id: str) -> ArrivalRounds:
        """The rounds of arrivals of this process for the clinic's desk."""
        admission = self.admission or admission_for(self.client)

        async def send(commands: list[ArriveCommand]) -> list[ArrivalAnswer]:
            batch = ArriveBatch(commands)
            update = TriageDeskWorkflow.arrive_batch
            # The round is every waiting caller's: the request that happened to open it (its
            # task runs in that request's context) must not cut it short for the others.
            with no_request_deadline():
                answers: list[ArrivalAnswer] = await self._send_update(
                    clinic_id, update, batch, str(uuid.uuid4())
                )
            return answers

        # A round is given as long as its callers wait: past that none of them is left.
        return admission.arrivals(desk_workflow_id(clinic_id), send, DESK_ANSWER_SECONDS)

    async def accept(self, clinic_id: str, command: AcceptCommand, update_id: str) -> DeskReply:
        return await self._update(clinic_id, TriageDeskWorkflow.accept, command, update_id)

    async def change_seat(self, clinic_id: str, command: SeatCommand, update_id: str) -> DeskReply:
        return await self._update(clinic_id, TriageDeskWorkflow.change_seat, command, update_id)

    async def set_order(self, clinic_id: str, command: OrderCommand, update_id: str) -> DeskReply:
        return await self._update(clinic_id, TriageDeskWorkflow.set_order, command, update_id)

    async def override(self, clinic_id: str, command: OverrideCommand, update_id: str) -> DeskReply:
        return await self._update(clinic_id, TriageDeskWorkflow.override, command, update_id)

    async def update_ran(self, clinic_id: str, update_id: str) -> bool:
        """Whether the desk took the update `update_id` and it succeeded, in its current run or
        one it continued as new from (see `JourneyGateway.update_ran`); False for no desk."""
        handle = self.client.get_workflow_handle(desk_workflow_id(clinic_id))
        return await update_succeeded(handle, update_id)

    async def desk(self, clinic_id: str) -> DeskState:
        handle = self.client.get_workflow_handle_for(
            TriageDeskWorkflow.run, desk_workflow_id(clinic_id)
        )
        return await handle.query(TriageDeskWorkflow.desk)

    async def _update(self, clinic_id: str, update: Any, command: Any, update_id: str) -> DeskReply:
        reply: DeskReply = await self._send_update(clinic_id, update, command, update_id)
        return reply

    async def _send_update(self, clinic_id: str, update: Any, command: Any, update_id: str) -> Any:
        workflow_id = desk_workflow_id(clinic_id)
        handle = self.client.get_workflow_handle(workflow_id)
        admission = self.admission or admission_for(self.client)

        async def send() -> Any:
            return await handle.execute_update(update, command, id=update_id)

        try:
            async with answer_within(DESK_ANSWER_SECONDS), admission.turn(workflow_id):
                try:
                    return await retry_while_refused_by_desk(send, workflow_id)
                except RPCError as error:
                    if error.status is not RPCStatusCode.NOT_FOUND:
                        raise
                    await self._start(clinic_id)  # the first change of a clinic's desk opens it
                    return await retry_while_refused_by_desk(send, workflow_id)
        except WorkflowUpdateFailedError as error:
            if isinstance(error.cause, ApplicationError):
                raise domain_error_from(error.cause) from None
            log.error("desk of %s: update failed unexpectedly: %r", clinic_id, error.cause)
            raise JourneyUnavailable("the triage desk did not accept the change") from error
        except RPCError as error:
            log.error("desk of %s unreachable: %r", clinic_id, error)
            raise JourneyUnavailable("the triage desk could not be reached") from error
        except TimeoutError:
            # Sent, maybe taken: the desk runs it once its worker is back, and a retry with the
            # same update id is answered with its outcome.
            log.warning("desk of %s: no answer to update %s in time", clinic_id, update_id)
            raise JourneyUnavailable("no answer from the triage desk in time") from None
        except RPCTimeoutOrCancelledError as error:
            log.warning("desk of %s: no answer to update %s: %r", clinic_id, update_id, error)
            raise JourneyUnavailable("no answer from the triage desk in time") from error

    async def _start(self, clinic_id: str) -> None:
        # Two first callers may race here: the loser finds the desk already running.
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await self.client.start_workflow(
                TriageDeskWorkflow.run,
                DeskStart(clinic_id, self.timezone),
                id=desk_workflow_id(clinic_id),
                task_queue=self.task_queue,
            )
