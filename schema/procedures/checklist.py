"""`completeChecklistItem`, and the check `startTreatment` makes before asking the journey.

A completion is written to the database only (it carries a result text, which never travels
through Temporal); treatment then cannot start while an item is open. Items can be completed
until treatment starts, in any stage before it (labs are often done days ahead).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain import errors as domain_errors
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.codec import facts_from_json
from domain.journey.stages import Stage
from domain.procedures.checklist import SHOWN_BY_PHOTO, may_complete, result_problem
from domain.store import records
from domain.store.models import Journey as JourneyRow
from domain.store.photos import Photo
from domain.store.procedures import ChecklistCompletion
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import zone_of
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.journeys.actions import load_visible_journey
from schema.journeys.types import Journey
from schema.procedures.journey_type import journey_procedure
from schema.procedures.types import ChecklistIncomplete, checklist_incomplete
from schema.text import check_text

RESULT_LIMIT = 2000


@strawberry.input(description="A pre-treatment check done, with its result where it needs one.")
class CompleteChecklistItemInput:
    journey_id: strawberry.ID = strawberry.field(description="The journey.")
    item_code: str = strawberry.field(
        description="The item's code in the journey's checklist. `preop_photos` is completed "
        "only once the journey's BEFORE photo is uploaded (`uploadPhoto`)."
    )
    result: str | None = strawberry.field(
        default=None, description="The result (a lab's finding, the assessment); up to 2000."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The journey with its checklist after the completion.")
class ChecklistItemPayload:
    journey: Journey = strawberry.field(description="The journey; see `checklist`.")


CompleteChecklistItemResult = Annotated[
    ChecklistItemPayload
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict,
    strawberry.union("CompleteChecklistItemResult", description="Recorded, or why not."),
]


def _not_now(row: JourneyRow, message: str) -> TransitionNotAllowed:
    refused = from_domain(domain_errors.TransitionNotAllowed(message), Stage(row.stage), [])
    assert isinstance(refused, TransitionNotAllowed)
    return refused


async def complete_checklist_item(
    info: Info[Context, None], input: CompleteChecklistItemInput
) -> CompleteChecklistItemResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems: list[FieldProblem] = check_text(
        "result", input.result, required=False, limit=RESULT_LIMIT
    )
    problems += check_text("itemCode", input.item_code, required=True, limit=50)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid([*problems, *([bad_key] if bad_key else [])])
    row = await load_visible_journey(info, input.journey_id)
    if row is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("journey")
        )
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger) or idempotency.answered(ledger) not in (None, row.id):
        return idempotency.conflict()
    if idempotency.answered(ledger) is not None:
        return ChecklistItemPayload(journey=Journey.from_row(row))
    row_id = idempotency.derived_id(ledger, "checklist") or str(uuid.uuid4())
    # This request's own completion, written by an attempt whose answer was lost, is its
    # answer, though the treatment began since.
    written = await ChecklistCompletion.exists(id=row_id)
    if not written and not may_complete(input.item_code, claims.role):
        return not_authorized("this item is completed by a doctor (the anesthetist's assessment)")
    procedure = await journey_procedure(row)
    if procedure is None:
        return _not_now(row, "the journey's plan names no procedure type: it has no checklist")
    ended = facts_from_json(row.facts).treatment_started or Stage(row.stage).is_terminal
    if ended and not written:
        return _not_now(row, "treatment has started or the journey has ended")
    item = next((i for i in procedure.content.checklist if i.code == input.item_code), None)
    why = result_problem(item, input.result)
    if why is not None:
        if item is None:
            return invalid([FieldProblem("itemCode", why, Code.UNKNOWN_VALUE)])
        return invalid([FieldProblem("result", why, Code.REQUIRED)])
    photo_stage = SHOWN_BY_PHOTO.get(input.item_code)
    if not written and photo_stage and not await Photo.exists(journey_id=row.id, stage=photo_stage):
        why = f"upload the journey's {photo_stage} photo first (uploadPhoto)"
        return invalid([FieldProblem("itemCode", why, Code.NOT_ALLOWED_NOW)])
    try:
        await ChecklistCompletion.create(
            id=row_id,
            clinic_id=row.clinic_id,
            journey_id=row.id,
            version_id=procedure.version.id,
            item_code=input.item_code,
            result=(input.result or "").strip() or None,
            completed_by=claims.account_id,
            completed_at=datetime.now(UTC),
        )
    except IntegrityError:
        if not await ChecklistCompletion.exists(id=row_id):  # not this request's own retry
            raise
    note_write(info, row.client_id)
    await idempotency.settle(claims.account_id, input, row.id)
    return ChecklistItemPayload(journey=Journey.from_row(row))


@dataclass(frozen=True)
class ChecklistGate:
    has_procedure_type: bool = False
    refusal: ChecklistIncomplete | None = None
    # The version is complex and the treatment has not begun (`schema.procedures.complex_gate`).
    complex: bool = False


async def checklist_gate(info: Info[Context, None], journey_id: str) -> ChecklistGate:
    """Asked by `startTreatment` before the journey is: whether the journey has a procedure
    type (its checklist then decides) and, if items are open, the refusal naming them. A
    journey the caller cannot see passes: the action itself answers NotFound."""
    row = await load_visible_journey(info, journey_id)
    procedure = await journey_procedure(row) if row is not None else None
    if row is None or procedure is None:
        return ChecklistGate()
    if facts_from_json(row.facts).treatment_started:
        return ChecklistGate(True)  # a retry of the start: the journey answers it
    open_codes = procedure.open_items(await zone_of(info, row.clinic_id))
    refusal = checklist_incomplete(open_codes) if open_codes else None
    return ChecklistGate(True, refusal, procedure.content.complex)
