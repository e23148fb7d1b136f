"""Corrections to what staff recorded: amendments that point at the original, never edits.

The original stays readable; the journey's history shows it with its amendments in order
(record-keeping rule of seed 000: "no edits: a correction is an amendment"). Amendments are
records, not journey events, so a journey closed long ago can still be corrected.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.aftercare.recheck_booking import correction_problem as booking_correction_problem
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.validation import MAX_AMENDMENTS_PER_JOURNEY
from domain.roles import Role
from domain.store import records
from domain.store.bounded_append import AlongWith, append_within
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent, JourneyRecord
from domain.store.recheck_tasks import HANDOVER_RECORD, follow_booking_correction
from domain.store.records import KeyClaim
from domain.text import unreadable_problem
from schema import idempotency
from schema.audit.collector import note_write
from schema.body import names_on_one_line
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_problem,
    invalid,
    not_authorized,
    not_found,
)
from schema.journeys.actions import load_visible_journey
from schema.journeys.events import Amendment, amendment_view
from schema.journeys.needs_corrections import needs_correction_refusal
from schema.journeys.plan_corrections import plan_correction_refusal
from schema.journeys.prescription_corrections import prescription_correction_refusal
from schema.text import check_text

MAX_CORRECTION_BYTES = 16_000


@strawberry.input
class AmendRecordInput:
    journey_id: strawberry.ID
    seq: int = strawberry.field(description="The history event whose record is corrected.")
    reason: str
    correction: JSON = strawberry.field(
        description="The corrected fields, as an object. A handover's `next_recheck_at` (an "
        "ISO 8601 time) is checked as `handOver` checks `nextRecheckAt` and moves the booked "
        "recheck and its open reminder. The expert's approval's `final_plan` (an object of the "
        "plan's corrected fields, as the record keeps them: `price_lines` [{price_item_id, "
        "quantity}], `catalog_item_ids`, or its words) is the approving expert's alone to "
        "correct (`NotAuthorized` for anyone else), checked as the approval checked them; "
        "`createBill` and the start of treatment read the plan as corrected. Its price, "
        "currency, requires_anesthesia and procedure_type were taken at the approval and are "
        "refused. A handover's `prescriptions` (the whole list, [{medicine, dose, frequency, "
        "days, note}]) and `no_prescription_reason` are checked as `handOver` checks them, on "
        "the record as it then reads (a surgery's names the medicines or why none, not both: "
        "clear the other with null or []); a surgery's is its doctor's to correct. Her "
        "leaflet and her copy read them as corrected. A consultation's `needs` "
        "(`earlier_treatments` [{what, when, effect}], `no_earlier_treatments`) are checked as "
        "`recordConsultation` checks them, on the needs as they then read: her treatments "
        "named or none, not both (clear the other with null or false)."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type
class AmendmentPayload:
    amendment: Amendment


AmendRecordResult = Annotated[
    AmendmentPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("AmendRecordResult"),
]


def _correction_problem(correction: Any) -> FieldProblem | None:
    if not isinstance(correction, dict) or not correction:
        return _correction("an object with the corrected fields", Code.BAD_FORMAT)
    if len(json.dumps(correction)) > MAX_CORRECTION_BYTES:
        return _correction(f"at most {MAX_CORRECTION_BYTES} bytes", Code.TOO_LONG)
    return _value_problem(correction)


def _correction(message: str, code: Code) -> FieldProblem:
    return FieldProblem("correction", message, code)


# Whole numbers a browser reads exactly (a JavaScript number): a record read back in an SPA
# must say what was written.
MAX_EXACT_INTEGER = 2**53 - 1


def _value_problem(value: Any) -> FieldProblem | None:
    """What in a corrected value (its keys included) staff text may not hold, or None. The
    input check bounds its nesting, the size check above its length."""
    if isinstance(value, str):
        unreadable = unreadable_problem(value)
        return _correction(unreadable, Code.BAD_FORMAT) if unreadable else None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_EXACT_INTEGER:
        beyond = f"a whole number beyond {MAX_EXACT_INTEGER:,} either way"
        return _correction(beyond, Code.OUT_OF_RANGE)
    if isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        parts = value
    else:
        return None
    return next((found for part in parts if (found := _value_problem(part))), None)


def _amendments_of(journey_id: str) -> dict[str, Any]:
    return {"journey_id": journey_id, "amends_id__isnull": False}


async def _full(journey_id: str) -> bool:
    """Asked before the key is claimed, so a full journey costs nothing more; the write counts
    again under the journey's lock."""
    amended = await JourneyRecord.filter(**_amendments_of(journey_id)).count()
    return amended >= MAX_AMENDMENTS_PER_JOURNEY


def _full_answer() -> ValidationFailed:
    return invalid(
        "seq",
        f"the journey's records hold {MAX_AMENDMENTS_PER_JOURNEY} amendments, the most "
        "a journey takes",
        Code.TOO_MANY,
    )


async def _written(ledger: KeyClaim) -> bool:
    """Whether an earlier attempt of the request whose key's claim is `ledger` wrote its
    amendment (under the id the claim derives), its answer lost."""
    amendment_id = idempotency.derived_id(ledger, "amendment")
    return amendment_id is not None and await JourneyRecord.exists(id=amendment_id)


def _kind_problem(
    original: JourneyRecord, event: JourneyEvent, correction: Any
) -> FieldProblem | None:
    """A correction of a field the read model acts on is checked as the action checked it: the
    recheck a handover booked (its reminder moves with it), still ahead as at the handover."""
    if original.kind == HANDOVER_RECORD and isinstance(correction, dict):
        return booking_correction_problem(correction, event.at, datetime.now(UTC))
    return None


def _what_follows(
    journey: JourneyRow, event: JourneyEvent, original: JourneyRecord
) -> AlongWith | None:
    """What the amendment moves, written with it (once: a retry finds the amendment written)."""
    if original.kind != HANDOVER_RECORD:
        return None

    async def move_reminder(amendment: JourneyRecord) -> None:
        await follow_booking_correction(journey, event, original, amendment.created_at)

    return move_reminder


async def amend_record(info: Info[Context, None], input: AmendRecordInput) -> AmendRecordResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    journey: JourneyRow | None = await load_visible_journey(info, input.journey_id)
    if journey is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("journey")
        )
    event = await JourneyEvent.get_or_none(journey_id=journey.id, seq=input.seq)
    original = event and event.record_id and await JourneyRecord.get_or_none(id=event.record_id)
    if event is None or not original:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("recorded action at that step")
        )
    if claims.role is not Role.SUPERVISOR and claims.account_id != original.author_id:
        return not_authorized("only its author or a supervisor may amend a record")
    problems = check_text("reason", input.reason, required=True)
    if problems:
        return from_problem(problems[0])
    problem = _correction_problem(input.correction)
    if problem:
        return from_problem(problem)
    # A retry of an amendment taken before is answered as the first time: a release before
    # took it unchecked, or its recheck, ahead then, has passed since.
    # (An earlier attempt taken: its answer recorded, or its amendment written, as one is
    # only under its key's claim.)
    problem = _kind_problem(original, event, input.correction)
    refusal = (
        from_problem(problem)
        if problem
        else await plan_correction_refusal(info, original, input.correction)
        or await prescription_correction_refusal(info, journey, event, original, input.correction)
        or await needs_correction_refusal(original, event, input.correction)
    )
    if refusal is None and await _full(journey.id):
        refusal = _full_answer()
    refused = await idempotency.refusal_answer(
        info, claims.account_id, input, refusal, went_through=_written
    )
    if refused is not None:
        return refused
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_problem(bad_key)
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        note_write(info, journey.client_id)  # the retry answers the correction again
        return AmendmentPayload(amendment=amendment_view(await JourneyRecord.get(id=first)))
    # Every attempt with one key names one amendment: of calls racing with it, one writes it.
    amendment_id = idempotency.derived_id(ledger, "amendment") or str(uuid.uuid4())
    corrected = names_on_one_line(cast(dict[str, Any], input.correction))  # a checked object
    # Counted again under the journey's lock: of requests racing for the last room, one gets it.
    amendment = await append_within(
        JourneyRecord,
        amendment_id,
        {
            "journey_id": journey.id,
            "kind": f"{original.kind}_amendment",
            "body": {"reason": input.reason.strip(), "correction": corrected},
            "author_id": claims.account_id,
            "amends_id": original.id,
        },
        owner=(JourneyRow, journey.id),
        counted=_amendments_of(journey.id),
        bound=MAX_AMENDMENTS_PER_JOURNEY,
        along_with=_what_follows(journey, event, original),
    )
    if amendment is None:
        return _full_answer()
    note_write(info, journey.client_id)
    await idempotency.settle(claims.account_id, input, amendment.id)
    return AmendmentPayload(amendment=amendment_view(amendment))
