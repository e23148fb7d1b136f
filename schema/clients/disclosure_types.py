"""The input and answers of `recordFileDisclosure` and `fileDisclosures`
(`schema.clients.disclosures`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.client_file import disclosure
from domain.errors import ErrorCode
from domain.roles import Role
from domain.store.disclosures import FileDisclosure as DisclosureRow
from schema import idempotency
from schema.consents.types import SIGNATURE_ID_TYPE
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    UserError,
    ValidationFailed,
)
from schema.ids import encode_id
from schema.pagination import PageInfo
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member

DisclosureChannel = strawberry.enum(disclosure.DisclosureChannel)
DisclosedPart = strawberry.enum(disclosure.DisclosedPart)


@strawberry.input(
    description="Parts of the client's file given to someone outside the clinic: who, why, "
    "which parts, how."
)
class RecordFileDisclosureInput:
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    recipient_name: str = strawberry.field(
        description=f"Who received it (at most {disclosure.NAME_LIMIT} characters)."
    )
    recipient_organisation: str | None = strawberry.field(
        default=None,
        description="Their practice, insurer, laboratory or law firm, if any (at most "
        f"{disclosure.NAME_LIMIT} characters).",
    )
    purpose: str = strawberry.field(
        description="Why they received it (at most "
        f"{disclosure.PURPOSE_LIMIT} characters): a second opinion, a claim, a test."
    )
    parts: list[DisclosedPart] = strawberry.field(  # type: ignore[valid-type]
        description="Which parts of the file, each once; at least one."
    )
    channel: DisclosureChannel = strawberry.field(  # type: ignore[valid-type]
        description="How it reached them: only the ways the handbook allows (never e-mail, a "
        "cloud drive or a personal drive)."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="Parts of a client's file given to someone outside the clinic.")
class FileDisclosure:
    id: strawberry.ID = strawberry.field(description="The disclosure's id.")
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    consent_id: str = strawberry.field(
        description="Raw id of the signed DATA_SHARING consent it stood on, as the client's "
        "copy names it; `signatureId` is the one `consentDocument` takes."
    )
    signature_id: strawberry.ID = strawberry.field(
        description="The signed DATA_SHARING consent it stood on (a `ConsentSignature` id, "
        "which `consentDocument` takes and `Client.consents` lists)."
    )
    recipient_name: str = strawberry.field(description="Who received it.")
    recipient_organisation: str | None = strawberry.field(description="Their organisation.")
    purpose: str = strawberry.field(description="Why they received it.")
    parts: list[DisclosedPart] = strawberry.field(  # type: ignore[valid-type]
        description="Which parts of the file."
    )
    channel: DisclosureChannel = strawberry.field(  # type: ignore[valid-type]
        description="How it reached them."
    )
    custodian_id: str | None = strawberry.field(
        description="The account id of the clinic's records custodian when it was recorded; "
        "null: none was named."
    )
    recorded_by_id: str = strawberry.field(description="The account id of who recorded it.")
    stored_role: strawberry.Private[str]
    recorded_at: datetime = strawberry.field(description="When it was recorded, in UTC.")

    @strawberry.field(description="Their role then.")
    def recorded_by_role(self) -> Role:
        return recorded_role(self.stored_role)

    @strawberry.field(
        description="Who recorded it, with the name colleagues see; null if the account is gone."
    )
    async def recorded_by(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.recorded_by_id)

    @classmethod
    def from_row(cls, row: DisclosureRow) -> FileDisclosure:
        return cls(
            id=strawberry.ID(row.id),
            client_id=strawberry.ID(encode_id("Client", str(row.client_id))),
            consent_id=row.consent_signature_id,
            signature_id=strawberry.ID(encode_id(SIGNATURE_ID_TYPE, row.consent_signature_id)),
            recipient_name=row.recipient_name,
            recipient_organisation=row.recipient_organisation,
            purpose=row.purpose,
            parts=[disclosure.DisclosedPart(p) for p in row.parts],
            channel=disclosure.DisclosureChannel(row.channel),
            custodian_id=row.custodian_id,
            recorded_by_id=row.recorded_by,
            stored_role=row.recorded_by_role,
            recorded_at=row.recorded_at,
        )


@strawberry.type(description="The disclosure recorded (a retry's answer names the same one).")
class FileDisclosurePayload:
    disclosure: FileDisclosure = strawberry.field(description="The disclosure as recorded.")


@strawberry.type(
    description="The client has no signed DATA_SHARING consent in force (none signed, or "
    "withdrawn): the file is shared only with the client's written consent. Nothing recorded."
)
class SharingConsentMissing(UserError):
    withdrawn_at: datetime | None = strawberry.field(
        description="When the client withdrew their latest one; null: none was ever signed."
    )


def sharing_consent_missing(withdrawn_at: datetime | None) -> SharingConsentMissing:
    message = (
        disclosure.no_sharing_consent()
        if withdrawn_at is None
        else disclosure.sharing_consent_withdrawn(withdrawn_at)
    )
    return SharingConsentMissing(
        code=ErrorCode.SHARING_CONSENT_MISSING, message=message, withdrawn_at=withdrawn_at
    )


RecordFileDisclosureResult = Annotated[
    FileDisclosurePayload
    | SharingConsentMissing
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict,
    strawberry.union("RecordFileDisclosureResult"),
]


@strawberry.type(description="One disclosure in a page.")
class FileDisclosureEdge:
    cursor: str = strawberry.field(description="Where the next page starts after this one.")
    node: FileDisclosure = strawberry.field(description="The disclosure.")


@strawberry.type(description="A page of a client's disclosures, newest first.")
class FileDisclosureConnection:
    edges: list[FileDisclosureEdge] = strawberry.field(description="The disclosures.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow.")


FileDisclosuresResult = Annotated[
    FileDisclosureConnection | ValidationFailed | NotAuthorized | NotFound,
    strawberry.union(
        "FileDisclosuresResult",
        description="The page, or why not: not a supervisor, no such client in your clinic, or "
        "a bad `first`/`after`.",
    ),
]
