"""Phone and online leads: every contact is recorded; the earliest one owns the client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.errors import FieldProblemCode as Code
from domain.store import records
from domain.store.models import Client as ClientRow
from domain.store.triage_models import LeadContact
from domain.store.triage_projection import current_owner
from schema import idempotency
from schema.audit.collector import note_write
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
from schema.ids import decode_id, encode_id
from schema.text import check_text
from schema.triage.desk import consultant, unknown_consultant

# The earliest contact owns the client: a contact dated years back would hand a lead to any
# consultant the recorder chose (and a year-1 time overflowed the database driver: a fault).
CONTACTS_RECORDED_WITHIN = timedelta(days=30)
AT_RULE = "a time in the last 30 days, with its UTC offset"


@strawberry.enum
class LeadChannel(str, Enum):
    PHONE = "PHONE"
    ONLINE = "ONLINE"


@strawberry.input
class LeadContactInput:
    client_id: strawberry.ID
    consultant_id: strawberry.ID = strawberry.field(description="Who spoke with the lead.")
    channel: LeadChannel
    at: datetime | None = strawberry.field(
        default=None,
        description="When the contact was; default now. Within the last 30 days, with its UTC "
        "offset: the earliest contact owns the client while the lead is followed up (a lead "
        "with no contact for 92 days has lapsed; a contact after that starts a new one).",
    )
    note: str | None = None
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type
class LeadContactPayload:
    owner_id: strawberry.ID = strawberry.field(
        description="The client's owner as it stands when answered: after this contact, and on a "
        "retry after any contact recorded since (one dated earlier takes her over)."
    )


LeadContactResult = Annotated[
    LeadContactPayload | NotAuthorized | NotFound | ValidationFailed | Conflict,
    strawberry.union("LeadContactResult"),
]


async def record_lead_contact(
    info: Info[Context, None], input: LeadContactInput
) -> LeadContactResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    raw_client = decode_id(input.client_id, "Client")
    client = raw_client and await ClientRow.get_or_none(id=raw_client, clinic_id=claims.clinic_id)
    if not client:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("client")
        )
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_problem(bad_key)
    raw_consultant = await consultant(input.consultant_id, claims.clinic_id)
    now = datetime.now(UTC)
    at = input.at or now
    refusal = None
    if raw_consultant is None:
        refusal = unknown_consultant()
    elif problems := check_text("note", input.note, required=False, limit=1000):
        refusal = from_problem(problems[0])
    elif at.tzinfo is None or not now - CONTACTS_RECORDED_WITHIN <= at <= now:
        refusal = invalid(
            "at", AT_RULE, Code.BAD_FORMAT if at.tzinfo is None else Code.OUT_OF_RANGE
        )

    # A retry of a contact that was recorded is answered as it was, though its date has left
    # the window or the consultant has left the clinic since.
    # (Its answer lost: the contact under the id its key's claim derives is there.)
    async def recorded(earlier: records.KeyClaim) -> bool:
        request_id = idempotency.derived_id(earlier, "lead_contact")
        return request_id is not None and await LeadContact.exists(request_id=request_id)

    refused = await idempotency.refusal_answer(
        info, claims.account_id, input, refusal, went_through=recorded
    )
    if refused is not None:
        return refused
    # A refusal passed: answered before, or its contact is there and only its answer is owed.
    done_before = refusal is not None
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if done_before:
        await idempotency.settle(claims.account_id, input, str(client.id))
    elif idempotency.answered(ledger) is None:
        # Unique when derived from the key: of calls racing with one key, one records it.
        request_id = idempotency.derived_id(ledger, "lead_contact")
        try:
            await LeadContact.create(
                clinic_id=claims.clinic_id,
                client_id=client.id,
                consultant_id=raw_consultant,
                channel=input.channel.value,
                at=at,
                recorded_by=claims.account_id,
                note=input.note,
                request_id=request_id,
            )
        except IntegrityError:
            if request_id is None:
                raise
        note_write(info, str(client.id))
        await idempotency.settle(claims.account_id, input, str(client.id))
    # The contact recorded here, or by the first attempt, gives the client an owner.
    owner = await current_owner(str(client.id)) or raw_consultant
    assert owner is not None
    return LeadContactPayload(owner_id=strawberry.ID(encode_id("StaffMember", owner)))
