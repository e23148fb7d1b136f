"""Correcting the client file without changing it (seed 000: "no edits").

- `amendClientEntry`: a new entry of the same part, pointing at the original, with the reason.
  The original stays readable, marked corrected (`amendedById`). Each entry is corrected at
  most once (a unique column), so corrections form one chain: correct the latest one.
- `markEnteredInError`: a mark beside the entry, which stays in every list, marked. Only an
  entry not corrected: the latest of its chain is the one in force, and the one to mark.
Who may do either: the entry's author or a supervisor (`file_access.correction_refusal`); a
medication's stop, also any clinician who records medications, the rest of the entry staying
its earlier author's (`medication_stops`).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from strawberry.types import Info

from domain.client_file.checks import check_entry
from domain.client_file.kinds import EntryKind
from domain.errors import ErrorCode, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store import records
from domain.store.bounded_append import AlongWith
from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.client_file_writes import Refused, correction_of, mark_in_error, write_entry
from domain.store.models import Client as ClientRow
from domain.store.ward_reopening import reopen_ward_tasks
from domain.store.ward_tasks import settle_ward_tasks
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.data_consent import corrected_guardian
from schema.clients.file_access import correction_refusal, file_dates, visible_entry
from schema.clients.file_inputs import AmendClientEntryInput, MarkEnteredInErrorInput
from schema.clients.file_mutations import (
    FILE_FULL,
    ClientEntryResult,
    entry_fields,
    invalid,
    payload,
)
from schema.clients.medication_stops import (
    content_author,
    records_a_stop,
    stop_problems,
)
from schema.clients.post_op import corrected_body
from schema.context import Context
from schema.errors import Conflict, ValidationFailed, not_authorized, not_found
from schema.text import check_text

# The input field that carries each part's corrected fields.
PART_FIELD: dict[EntryKind, tuple[str, str]] = {
    EntryKind.MEDICAL_HISTORY: ("medical_history", "medicalHistory"),
    EntryKind.ALLERGY: ("allergy", "allergy"),
    EntryKind.MEDICATION: ("medication", "medication"),
    EntryKind.PREGNANCY_STATUS: ("pregnancy_status", "pregnancyStatus"),
    EntryKind.SERVICE_CARD: ("service_card", "serviceCard"),
    EntryKind.POST_OP_OBSERVATION: ("post_op_observation", "postOpObservation"),
    EntryKind.WARD_ROUND: ("ward_round", "wardRound"),
    EntryKind.DATA_CONSENT: ("data_consent_guardian", "dataConsentGuardian"),
}
REASON_LIMIT = 1000


def _conflict(message: str) -> Conflict:
    return Conflict(code=ErrorCode.CONFLICT, message=message)


_REFUSED = {
    Refused.CORRECTED: "the entry is already corrected: correct or mark the latest correction",
    Refused.MARKED: "the entry was marked entered in error: record a new entry instead",
}


def _refused(refused: Refused) -> Conflict | ValidationFailed:
    """The answer to a write refused under the lock it is made under (the client's row, or a
    ward record's journey's: `client_file_writes.Refused`)."""
    if refused is Refused.FULL:
        return invalid([FieldProblem("entryId", FILE_FULL, Code.TOO_MANY)])
    return _conflict(_REFUSED[refused])


def _corrected_fields(
    input: AmendClientEntryInput, kind: EntryKind
) -> tuple[Any, list[FieldProblem]]:
    python_name, api_name = PART_FIELD[kind]
    given = [name for name, _ in PART_FIELD.values() if getattr(input, name) is not None]
    if given != [python_name]:
        code = Code.INCONSISTENT if python_name in given else Code.REQUIRED
        return None, [FieldProblem(api_name, f"give exactly `{api_name}`: the entry's part", code)]
    return getattr(input, python_name), []


async def amend_client_entry(
    info: Info[Context, None], input: AmendClientEntryInput
) -> ClientEntryResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    original = await visible_entry(info, input.entry_id, consent=True)
    if original is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("entry")
        )
    refusal = correction_refusal(claims, original, await content_author(original))
    if refusal and not await records_a_stop(info, claims, original, input):
        # Whether the caller may amend now depends on the input (a stop alone, or more): the
        # same key sent with another input is a Conflict, as it is for the author.
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_authorized(refusal)
        )
    kind = EntryKind(original.kind)
    fields, problems = _corrected_fields(input, kind)
    problems += check_text("reason", input.reason, required=True, limit=REASON_LIMIT)
    body: dict[str, Any] = {}
    if fields is not None and kind is EntryKind.DATA_CONSENT:
        name, relation = fields.guardian_name, fields.guardian_relation
        body, found = await corrected_guardian(info, original, name, relation)
        prefix = PART_FIELD[kind][1]
        problems += [replace(p, field=f"{prefix}.{p.field}") for p in found]
    elif fields is not None and kind.post_op:  # the journey's operation decides, kept as it was
        body, found = await corrected_body(info, original, fields)
        prefix = PART_FIELD[kind][1]
        problems += [replace(p, field=f"{prefix}.{p.field}") for p in found]
    elif fields is not None:
        client = await ClientRow.get(id=original.client_id)
        dates = await file_dates(info, client)
        body, found = check_entry(kind, entry_fields(fields), dates)
        prefix = PART_FIELD[kind][1]
        problems += [replace(p, field=f"{prefix}.{p.field}") for p in found]
        if not found:
            problems += await stop_problems(original, body, dates.today, by_author=not refusal)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid([*problems, *([bad_key] if bad_key else [])])
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        note_write(info, original.client_id)  # the retry answers the correction again
        return await payload(info, await ClientEntry.get(id=first))
    amendment_id = idempotency.derived_id(ledger, "client_entry") or str(uuid.uuid4())
    # This request's own correction, written by an attempt whose answer was lost, is its
    # answer, though the entry was marked in error since.
    ahead = await correction_of(original.id)
    mine = ahead is not None and ahead.id == amendment_id
    if not mine and await ClientEntryError.exists(entry_id=original.id):
        return _conflict("the entry was marked entered in error: record a new entry instead")
    if ahead is not None and not mine:
        return _conflict("the entry is already corrected: amend the latest correction")
    amendment = ahead or await write_entry(
        amendment_id,
        clinic_id=original.clinic_id,
        client_id=original.client_id,
        kind=original.kind,
        body=body,
        author=(claims.account_id, claims.role.value),
        amends_id=original.id,
        reason=input.reason.strip(),
        along_with=_resettling(original) if kind.post_op else None,
    )
    if isinstance(amendment, Refused):  # read again under her row's or the journey's lock
        return _refused(amendment)
    note_write(info, original.client_id)
    await idempotency.settle(claims.account_id, input, amendment.id)
    return await payload(info, amendment)


def _resettling(original: ClientEntry) -> AlongWith:
    """A ward record's correction, with the correction: the reading put in its hour answers
    that hour's task, and the hour it left is owed again unless something else answers it."""

    async def resettle(correction: ClientEntry) -> None:
        await reopen_ward_tasks(original)
        kind = EntryKind(original.kind)
        await settle_ward_tasks(original.body["journey_id"], kind, correction.body)

    return resettle


def _reopening(entry: ClientEntry) -> AlongWith | None:
    """A ward's record marked in error gives back the tasks it settled, with the mark."""
    if not EntryKind(entry.kind).post_op:
        return None

    async def reopen(_mark: ClientEntryError) -> None:
        await reopen_ward_tasks(entry)

    return reopen


async def mark_entered_in_error(
    info: Info[Context, None], input: MarkEnteredInErrorInput
) -> ClientEntryResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    entry = await visible_entry(info, input.entry_id)
    if entry is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("entry")
        )
    refusal = correction_refusal(claims, entry, await content_author(entry))
    if refusal:
        return not_authorized(refusal)
    problems = check_text("reason", input.reason, required=True, limit=REASON_LIMIT)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid([*problems, *([bad_key] if bad_key else [])])
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if idempotency.answered(ledger) is None:
        mark_id = idempotency.derived_id(ledger, "entry_error") or str(uuid.uuid4())
        # A corrected entry is out of force already, and its correction stands whatever marks
        # it: the mark would retract nothing. A retry whose mark was written is answered.
        corrected = await correction_of(entry.id)
        if corrected is not None and not await ClientEntryError.exists(id=mark_id):
            return _conflict("the entry is already corrected: mark the latest correction")
        mark = await mark_in_error(
            mark_id,
            entry.id,
            reason=input.reason.strip(),
            author=(claims.account_id, claims.role.value),
            along_with=_reopening(entry),
        )
        if isinstance(mark, Refused):
            return _refused(mark)
        note_write(info, entry.client_id)
        await idempotency.settle(claims.account_id, input, mark.id)
    else:
        note_write(info, entry.client_id)  # the retry answers the entry again: read again
    return await payload(info, entry)
