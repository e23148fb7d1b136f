"""Phone and online leads: every contact is recorded; the earliest one owns the client."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.store.models import Client as ClientRow
from domain.store.triage_models import LeadContact
from domain.store.triage_projection import current_owner
from schema.audit.collector import note_write
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    invalid,
    not_authorized,
    not_found,
)
from schema.ids import decode_id, encode_id
from schema.text import check_text
from schema.triage.desk import consultant, unknown_consultant


@strawberry.enum
class LeadChannel(str, Enum):
    PHONE = "PHONE"
    ONLINE = "ONLINE"


@strawberry.input
class LeadContactInput:
    client_id: strawberry.ID
    consultant_id: strawberry.ID = strawberry.field(description="Who spoke with the lead.")
    channel: LeadChannel
    at: datetime | None = strawberry.field(default=None, description="When; default now.")
    note: str | None = None


@strawberry.type
class LeadContactPayload:
    owner_id: strawberry.ID = strawberry.field(description="The client's owner after this contact.")


LeadContactResult = Annotated[
    LeadContactPayload | NotAuthorized | NotFound | ValidationFailed,
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
        return not_found("client")
    raw_consultant = await consultant(input.consultant_id, claims.clinic_id)
    if raw_consultant is None:
        return unknown_consultant()
    problems = check_text("note", input.note, required=False, limit=1000)
    if problems:
        return invalid("note", problems[0].message)
    at = input.at or datetime.now(UTC)
    if at.tzinfo is None or at > datetime.now(UTC):
        return invalid("at", "a past time with its UTC offset")
    await LeadContact.create(
        clinic_id=claims.clinic_id,
        client_id=client.id,
        consultant_id=raw_consultant,
        channel=input.channel.value,
        at=at,
        recorded_by=claims.account_id,
        note=input.note,
    )
    note_write(info, str(client.id))
    owner = await current_owner(str(client.id)) or raw_consultant
    return LeadContactPayload(owner_id=strawberry.ID(encode_id("StaffMember", owner)))
