"""`recordComplaint`, `respondToComplaint` and `resolveComplaint`: a client's complaint taken by
whoever she tells, answered and resolved by a supervisor, each an append-only row.

Every id written comes from the request's key claim, so an attempt racing its retry, or a retry
after a lost answer, finds the row its request wrote and answers it; the bounds (a client's
complaints, a complaint's entries) and a resolution already made are checked under the row's
lock, after the row of this very request is looked for. Each row is logged in `complaint_change`
in its transaction, once (a retry writes neither), for the supervisor's board. "Now" is the
server's clock (`schema.clock`), the one the board and `journeyStats` judge overdue by.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from strawberry.types import Info
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.complaints import rules
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import Actor
from domain.store import records
from domain.store.clinic_calendar import days_off_from
from domain.store.complaints import RECORDED, ComplaintChange, client_locked, complaint_locked
from domain.store.complaints import Complaint as ComplaintRow
from domain.store.complaints import ComplaintEntry as EntryRow
from domain.store.models import Client as ClientRow
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import visible_client, zone_of
from schema.clients.file_mutations import invalid
from schema.complaints.types import (
    ID_TYPE,
    Complaint,
    ComplaintPayload,
    ComplaintResult,
    RecordComplaintInput,
    ResolveComplaintInput,
    RespondToComplaintInput,
)
from schema.context import Context
from schema.errors import ValidationFailed, not_authorized, not_found
from schema.ids import decode_id
from schema.journeys.actions import load_visible_journey

COMPLAINT_KIND = "complaint"
ENTRY_KIND = "complaint-entry"


async def record_complaint(
    info: Info[Context, None], input: RecordComplaintInput
) -> ComplaintResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    now = info.context.config.clock.now()
    received = input.received_at
    if received is not None and received.tzinfo is None:
        received = received.replace(tzinfo=UTC)
    problems = rules.complaint_problems(input.description, received, now)
    # A retry whose first attempt wrote the complaint (its answer lost) answers it, though its
    # `receivedAt` has left the window since.
    refused = await _refused(info, actor, input, problems, went_through=_complaint_written)
    if refused is not None:
        return refused
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("client")
        )
    journey_id = None
    if input.journey_id is not None:
        journey = await load_visible_journey(info, input.journey_id)
        if journey is None:
            return await idempotency.refusal_or_conflict(
                info, actor.user_id, input, not_found("journey")
            )
        if journey.client_id != client.id:
            theirs = [FieldProblem("journeyId", "not a journey of this client", Code.INCONSISTENT)]
            return await idempotency.refusal_or_conflict(
                info, actor.user_id, input, invalid(theirs)
            )
        journey_id = str(journey.id)
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    complaint_id = idempotency.result_id(ledger, COMPLAINT_KIND)
    row = await ComplaintRow.get_or_none(id=complaint_id)
    if row is None:
        zone = await zone_of(info, client.clinic_id)
        at = received or now
        closed = await days_off_from(client.clinic_id, at.astimezone(zone).date())
        fields = {
            "journey_id": journey_id,
            "channel": rules.ComplaintChannel(input.channel).value,
            "category": rules.ComplaintCategory(input.category).value if input.category else None,
            "description": input.description,
            "received_at": at,
            "first_answer_due_at": rules.first_answer_due(at, zone, closed),
        }
        written = await _write(client, complaint_id, fields, actor, now)
        if isinstance(written, ValidationFailed):
            return written
        row = written
    note_write(info, client.id)
    await idempotency.settle(actor.user_id, input, row.id)
    return await _payload(row, now)


async def _complaint_written(earlier: KeyClaim) -> bool:
    """Whether the request's first attempt wrote its complaint (its id comes from the claim)."""
    complaint_id = idempotency.derived_id(earlier, COMPLAINT_KIND)
    return complaint_id is not None and await ComplaintRow.exists(id=complaint_id)


async def _refused(
    info: Info[Context, None],
    actor: Actor,
    input: object,
    problems: list[FieldProblem],
    went_through: Callable[[KeyClaim], Awaitable[bool]] | None = None,
) -> ComplaintResult | None:
    """The refusal of the input's own problems, or None: none, or this very request was
    answered before or `went_through` (its retry goes on to that answer)."""
    bad_key = records.key_problem(idempotency.key_of(input))
    if bad_key:
        return invalid([*problems, bad_key])
    if not problems:
        return None
    refusal = invalid(problems)
    return await idempotency.refusal_answer(
        info, actor.user_id, input, refusal, went_through=went_through
    )


async def _write(
    client: ClientRow,
    complaint_id: str,
    fields: Mapping[str, object],
    actor: Actor,
    now: datetime,
) -> ComplaintRow | ValidationFailed:
    try:
        async with client_locked(client.id) as connection:
            mine = await ComplaintRow.get_or_none(id=complaint_id, using_db=connection)
            if mine is not None:
                return mine
            theirs = ComplaintRow.filter(client_id=client.id).using_db(connection)
            if await theirs.count() >= rules.MAX_COMPLAINTS_PER_CLIENT:
                return invalid(
                    [FieldProblem("clientId", rules.too_many_complaints(), Code.TOO_MANY)]
                )
            row = await ComplaintRow.create(
                using_db=connection,
                id=complaint_id,
                clinic_id=client.clinic_id,
                client_id=client.id,
                recorded_by=actor.user_id,
                recorded_by_role=actor.role.value,
                recorded_at=now,
                **fields,
            )
            await _logged(connection, row, RECORDED, now)
            return row
    except IntegrityError:
        return await ComplaintRow.get(id=complaint_id)


async def respond_to_complaint(
    info: Info[Context, None], input: RespondToComplaintInput
) -> ComplaintResult:
    return await _answer(info, input, rules.ComplaintEntryKind.RESPONSE, None)


async def resolve_complaint(
    info: Info[Context, None], input: ResolveComplaintInput
) -> ComplaintResult:
    outcome = rules.ComplaintOutcome(input.outcome)
    return await _answer(info, input, rules.ComplaintEntryKind.RESOLUTION, outcome)


async def _answer(
    info: Info[Context, None],
    input: RespondToComplaintInput | ResolveComplaintInput,
    kind: rules.ComplaintEntryKind,
    outcome: rules.ComplaintOutcome | None,
) -> ComplaintResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    refused = await _refused(info, actor, input, rules.note_problems(input.note))
    if refused is not None:
        return refused
    raw_id = decode_id(input.complaint_id, ID_TYPE)
    row = raw_id and await ComplaintRow.get_or_none(id=raw_id, clinic_id=claims.clinic_id)
    if not row:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("complaint")
        )
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    entry_id = idempotency.result_id(ledger, ENTRY_KIND)
    now = info.context.config.clock.now()
    try:
        async with complaint_locked(row.id) as connection:
            if not await EntryRow.exists(id=entry_id, using_db=connection):
                entries = await EntryRow.filter(complaint_id=row.id).using_db(connection)
                problem = _entry_problem(entries)
                if problem is not None:
                    return invalid([problem])
                await EntryRow.create(
                    using_db=connection,
                    id=entry_id,
                    clinic_id=row.clinic_id,
                    complaint_id=row.id,
                    kind=kind.value,
                    outcome=outcome.value if outcome else None,
                    note=input.note,
                    recorded_by=actor.user_id,
                    recorded_by_role=actor.role.value,
                    recorded_at=now,
                )
                await _logged(connection, row, kind.value, now)
    except IntegrityError:
        pass  # an attempt of the same request wrote it first
    note_write(info, str(row.client_id))
    await idempotency.settle(actor.user_id, input, entry_id)
    return await _payload(row, now)


async def _logged(
    connection: BaseDBAsyncClient, row: ComplaintRow, kind: str, now: datetime
) -> None:
    """The change in the register's log, in the transaction that writes it."""
    await ComplaintChange.create(
        using_db=connection, clinic_id=row.clinic_id, complaint_id=row.id, kind=kind, at=now
    )


async def _payload(row: ComplaintRow, now: datetime) -> ComplaintPayload:
    """The complaint as it stands, with its answers (a retry's too: answered since, it says so)."""
    entries = await EntryRow.filter(complaint_id=row.id).order_by("recorded_at", "id")
    return ComplaintPayload(complaint=Complaint.from_row(row, entries, now))


def _entry_problem(entries: list[EntryRow]) -> FieldProblem | None:
    resolved = [e for e in entries if e.kind == rules.ComplaintEntryKind.RESOLUTION.value]
    if resolved:
        closed = rules.already_resolved(resolved[0].recorded_at)
        return FieldProblem("complaintId", closed, Code.NOT_ALLOWED_NOW)
    if len(entries) >= rules.MAX_ENTRIES_PER_COMPLAINT:
        return FieldProblem("complaintId", rules.too_many_entries(), Code.TOO_MANY)
    return None
