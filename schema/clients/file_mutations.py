"""Recording entries of the client file: one mutation per part, one flow for all.

Each entry is checked (texts bounded, dates between the client's birth and the clinic's
today, the fields its topic needs), then written once under an id derived from the request's
idempotency key, and the write is noted in the audit trail.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.client_file.checks import check_entry
from domain.client_file.export import MAX_ENTRIES
from domain.client_file.kinds import EntryKind
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store import records
from domain.store.client_file import ClientEntry
from domain.store.client_file_writes import Refused, write_entry
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import file_dates, visible_client, zone_of
from schema.clients.file_inputs import (
    AddServiceCardEntryInput,
    RecordAllergyInput,
    RecordMedicalHistoryInput,
    RecordMedicationInput,
    RecordPregnancyStatusInput,
)
from schema.clients.file_reads import one_view
from schema.clients.file_types import ClientFileEntry
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)

NOT_FIELDS = {"client_id", "idempotency_key"}


@strawberry.type(description="The entry as written (or as the first attempt wrote it).")
class ClientEntryPayload:
    entry: ClientFileEntry = strawberry.field(description="The entry.")


ClientEntryResult = Annotated[
    ClientEntryPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("ClientEntryResult", description="An entry written, or why not."),
]


FILE_FULL = (
    f"her file holds {MAX_ENTRIES} entries besides the ward's records, as many as her own copy "
    "of the file carries"
)


def entry_fields(value: Any) -> dict[str, Any]:
    """An input's entry fields by their Python names."""
    return {
        f.name: getattr(value, f.name)
        for f in dataclasses.fields(value)
        if f.name not in NOT_FIELDS
    }


def invalid(problems: list[FieldProblem]) -> ValidationFailed:
    failed = from_domain(DomainValidationFailed(problems))
    assert isinstance(failed, ValidationFailed)
    return failed


async def payload(info: Info[Context, None], entry: ClientEntry) -> ClientEntryPayload:
    zone = await zone_of(info, entry.clinic_id)
    return ClientEntryPayload(entry=await one_view(info, entry, zone))


async def record_entry(info: Info[Context, None], kind: EntryKind, input: Any) -> ClientEntryResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("client")
        )
    body, problems = check_entry(kind, entry_fields(input), await file_dates(info, client))
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid([*problems, *([bad_key] if bad_key else [])])
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        note_write(info, client.id)  # the retry answers the entry again: read again
        return await payload(info, await ClientEntry.get(id=first))
    entry_id = idempotency.derived_id(ledger, "client_entry") or str(uuid.uuid4())
    entry = await write_entry(
        entry_id,
        clinic_id=client.clinic_id,
        client_id=client.id,
        kind=kind.value,
        body=body,
        author=(claims.account_id, claims.role.value),
    )
    if entry is Refused.FULL:
        return invalid([FieldProblem("clientId", FILE_FULL, Code.TOO_MANY)])
    assert isinstance(entry, ClientEntry)  # a first entry corrects and marks nothing
    note_write(info, client.id)
    await idempotency.settle(claims.account_id, input, entry.id)
    return await payload(info, entry)


async def record_medical_history(
    info: Info[Context, None], input: RecordMedicalHistoryInput
) -> ClientEntryResult:
    return await record_entry(info, EntryKind.MEDICAL_HISTORY, input)


async def record_allergy(info: Info[Context, None], input: RecordAllergyInput) -> ClientEntryResult:
    return await record_entry(info, EntryKind.ALLERGY, input)


async def record_medication(
    info: Info[Context, None], input: RecordMedicationInput
) -> ClientEntryResult:
    return await record_entry(info, EntryKind.MEDICATION, input)


async def record_pregnancy_status(
    info: Info[Context, None], input: RecordPregnancyStatusInput
) -> ClientEntryResult:
    return await record_entry(info, EntryKind.PREGNANCY_STATUS, input)


async def add_service_card_entry(
    info: Info[Context, None], input: AddServiceCardEntryInput
) -> ClientEntryResult:
    return await record_entry(info, EntryKind.SERVICE_CARD, input)
