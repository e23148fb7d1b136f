"""Recording the ward's records after an operation (`domain.client_file.post_op`):
`recordPostOpObservation` and `recordWardRound`.

Each is an entry of the client's file naming its surgery journey: checked against the moment the
journey's operation ended (read from the read model, never from Temporal: no workflow is asked
or changed), written once under an id derived from the request's idempotency key within the
journey's bound, and noted in the audit trail. It is read in `Client.postOpObservations` and
`Client.wardRounds`, corrected by `amendClientEntry`, marked by `markEnteredInError`, and part
of the client's copy (`exportClientFile`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from strawberry.types import Info

from domain.client_file import post_op
from domain.client_file.kinds import EntryKind
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store import records
from domain.store.client_file import ClientEntry
from domain.store.models import Journey as JourneyRow
from domain.store.post_op import NOT_OPERATED, NOT_SURGERY, append_record, operation_of
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import zone_of
from schema.clients.file_mutations import ClientEntryResult, entry_fields, invalid, payload
from schema.clients.post_op_inputs import RecordPostOpObservationInput, RecordWardRoundInput
from schema.context import Context
from schema.errors import ValidationFailed, not_authorized, not_found
from schema.journeys.actions import load_visible_journey

Check = Callable[
    [Mapping[str, Any], post_op.Operation, datetime], tuple[dict[str, Any], list[FieldProblem]]
]
CHECKS: dict[EntryKind, Check] = {
    EntryKind.POST_OP_OBSERVATION: post_op.check_observation,
    EntryKind.WARD_ROUND: post_op.check_ward_round,
}
BOUNDS: dict[EntryKind, int] = {
    EntryKind.POST_OP_OBSERVATION: post_op.MAX_OBSERVATIONS_PER_JOURNEY,
    EntryKind.WARD_ROUND: post_op.MAX_WARD_ROUNDS_PER_JOURNEY,
}
NOT_FIELDS = frozenset({"journey_id"})


def fields_of(value: Any) -> dict[str, Any]:
    """The record's fields by their Python names, the vital signs as a mapping."""
    fields = {k: v for k, v in entry_fields(value).items() if k not in NOT_FIELDS}
    if fields.get("vitals") is not None:
        fields["vitals"] = entry_fields(fields["vitals"])
    return fields


async def checked(
    info: Info[Context, None], kind: EntryKind, journey: JourneyRow, fields: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The body to store for a record of `kind` after the journey's operation, and what is
    wrong: the journey (`journeyId`: no surgery, not operated yet), else the fields."""
    operated = await operation_of(journey)
    if operated.ended_at is None:
        code = Code.INCONSISTENT if operated.refusal == NOT_SURGERY else Code.NOT_ALLOWED_NOW
        return {}, [FieldProblem("journeyId", operated.refusal or NOT_OPERATED, code)]
    zone = await zone_of(info, journey.clinic_id)
    operation = post_op.Operation(journey.id, operated.ended_at, zone, operated.anaesthesia)
    return CHECKS[kind](fields, operation, datetime.now(UTC))


async def _record(info: Info[Context, None], kind: EntryKind, input: Any) -> ClientEntryResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    journey = await load_visible_journey(info, input.journey_id)
    if journey is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("journey")
        )
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return invalid([bad_key])
    body, problems = await checked(info, kind, journey, fields_of(input))
    # A retry whose first attempt wrote its record is answered as the first time, though a
    # window has passed since (the observation's 24 hours, the round's day).
    refused = await idempotency.refusal_answer(
        info,
        claims.account_id,
        input,
        invalid(problems) if problems else None,
        went_through=_written,
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        note_write(info, journey.client_id)  # the retry answers the record again: read again
        return await payload(info, await ClientEntry.get(id=first))
    entry_id = idempotency.derived_id(ledger, "client_entry") or str(uuid.uuid4())
    if problems and not await ClientEntry.exists(id=entry_id):
        return invalid(problems)  # the key's claim was this call's: nothing went through
    entry = await append_record(
        entry_id,
        journey,
        kind=kind.value,
        body=body,
        author=(claims.account_id, claims.role.value),
        bound=BOUNDS[kind],
    )
    if entry is None:
        return _full(kind)
    note_write(info, journey.client_id)
    await idempotency.settle(claims.account_id, input, entry.id)
    return await payload(info, entry)


def _full(kind: EntryKind) -> ValidationFailed:
    what = "observations" if kind is EntryKind.POST_OP_OBSERVATION else "ward rounds"
    return invalid(
        [
            FieldProblem(
                "journeyId", f"the journey holds {BOUNDS[kind]} {what}, the most", Code.TOO_MANY
            )
        ]
    )


async def _written(ledger: KeyClaim) -> bool:
    entry_id = idempotency.derived_id(ledger, "client_entry")
    return entry_id is not None and await ClientEntry.exists(id=entry_id)


async def record_post_op_observation(
    info: Info[Context, None], input: RecordPostOpObservationInput
) -> ClientEntryResult:
    return await _record(info, EntryKind.POST_OP_OBSERVATION, input)


async def record_ward_round(
    info: Info[Context, None], input: RecordWardRoundInput
) -> ClientEntryResult:
    return await _record(info, EntryKind.WARD_ROUND, input)


async def corrected_body(
    info: Info[Context, None], original: ClientEntry, fields: Any
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """A correction of a ward record (`amendClientEntry`): checked against the operation of the
    original's journey, which the correction keeps."""
    journey = await JourneyRow.get(id=original.body["journey_id"])
    return await checked(info, EntryKind(original.kind), journey, fields_of(fields))
