"""`reportComplication`: the client reports a complication on a follow-up call.

The call is recorded with the outcome COMPLICATION (the journey's own event, so the treating
doctor's task is written with it, at once), and a linked RECHECK journey opens for the same
client, owned by the same consultant, beside any other journey the client has (one reception
opened while this one makes its calls), unless the client already has a recheck coming in: that
one serves (`schema.aftercare.recheck`).

The recheck opens after the call is recorded, and the key is settled after that: a retry after
a lost answer opens it if the first attempt died before. A release before this one refused the
complication while the client had another active journey (nothing recorded, the key left
unsettled: a retry now records it), and opened no recheck when a retry of a recorded call found
the client on another journey by then (the task names none and is closed by hand; every retry
of that request is answered so, from its settled key).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from domain.aftercare.tasks import TaskKind
from domain.errors import DomainError, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails
from domain.journey.stages import FollowUpOutcome
from domain.journey.table import Action
from domain.store.aftercare import FollowUpTask as TaskRow
from domain.store.aftercare import TaskChangeLog
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim
from domain.store.task_projection import task_id
from schema import idempotency
from schema.aftercare.recheck import open_linked_recheck, recheck_journey_id
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    Unavailable,
    ValidationFailed,
)
from schema.journeys.actions import JourneyPayload, run_recorded_action
from schema.journeys.aftercare import FOLLOW_UP_ID
from schema.journeys.types import Journey
from schema.text import check_text

log = logging.getLogger(__name__)


@strawberry.input(description="A complication the client reported on a follow-up call.")
class ReportComplicationInput:
    journey_id: strawberry.ID = strawberry.field(description="The treated client's journey.")
    follow_up_id: str = strawberry.field(description="The call it came up on, e.g. fu-2.")
    note: str = strawberry.field(
        description="What the client reports: symptoms, since when, what they did."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(
    description="The complication is recorded, the treating doctor has a task for it, and a "
    "recheck journey is open for the client (unless none could open: see `recheckJourney`)."
)
class ComplicationReported:
    journey: Journey = strawberry.field(description="The journey the call belongs to.")
    recheck_journey: Journey | None = strawberry.field(
        description="The recheck journey that follows the complication (RECHECK, waiting at "
        "reception for the client): one opened for it, owned by the same consultant, beside any "
        "other journey the client has (one started at reception while this one makes its "
        "calls), or one the client already had coming in; null while its first events are "
        "still being written. Also null, for good, for a call recorded by an earlier release "
        "that opened no recheck because the client had another active journey by then: the "
        "complication and the treating doctor's task stand, the task names no recheck, and "
        "every retry of the request is answered the same."
    )


ReportComplicationResult = Annotated[
    ComplicationReported
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | Unavailable,
    strawberry.union("ReportComplicationResult"),
]


async def report_complication(
    info: Info[Context, None], input: ReportComplicationInput
) -> ReportComplicationResult:
    problems = check_text("note", input.note, required=True)
    if not FOLLOW_UP_ID.fullmatch(input.follow_up_id):
        problems.append(
            FieldProblem("followUpId", "a follow-up of this journey, such as fu-1", Code.BAD_FORMAT)
        )

    def recheck_id(journey_id: str) -> str:
        return recheck_journey_id(f"{journey_id}:{input.follow_up_id}:complication")

    async def open_recheck(row: JourneyRow, _ledger: KeyClaim | None) -> None:
        actor = info.context.actor
        assert actor is not None  # run_action refuses callers without one
        doctor_task = task_id(row.id, input.follow_up_id, TaskKind.COMPLICATION)
        if await TaskRow.exists(id=doctor_task, linked_journey_id__isnull=False):
            return  # a retry: the recheck its first attempt found stands
        try:
            recheck = await open_linked_recheck(
                info.context.gateway,
                row,
                recheck_id(row.id),
                actor,
                info.context.config.follow_up_offsets,
                "complication reported on a follow-up call",
            )
        except DomainError as error:
            # Temporal answered that the recheck's workflow has closed. The call is recorded
            # and the doctor's task written: the complication stands, the task names no recheck.
            log.warning("no recheck opened for journey %s: %s", row.id, error)
            return
        # No journey event carries the link: logged, so the doctor's live list hears of it.
        async with in_transaction():
            if await TaskRow.filter(id=doctor_task).update(linked_journey_id=recheck):
                now = datetime.now(UTC)
                await TaskChangeLog.create(clinic_id=row.clinic_id, task_id=doctor_task, at=now)

    result = await run_recorded_action(
        info,
        input,
        Action.COMPLETE_FOLLOW_UP,
        problems=problems,
        details=ActionDetails(
            follow_up_id=input.follow_up_id, follow_up_outcome=FollowUpOutcome.COMPLICATION
        ),
        record_kind="complication",
        after_accepted=open_recheck,
    )
    if not isinstance(result, JourneyPayload):
        assert not isinstance(result, ContraindicationFound)  # only startTreatment is gated
        return result
    # The doctor's task names the recheck (a retry finds it there, as the first attempt left it).
    doctor_task = await TaskRow.get_or_none(
        id=task_id(result.journey.row.id, input.follow_up_id, TaskKind.COMPLICATION)
    )
    linked = doctor_task.linked_journey_id if doctor_task else None
    recheck = await JourneyRow.get_or_none(id=linked) if linked else None
    return ComplicationReported(
        journey=result.journey,
        recheck_journey=Journey.from_row(recheck) if recheck else None,
    )
