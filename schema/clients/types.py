from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain.audit import CLIENT_READ
from domain.store.models import Client as ClientRow
from schema.audit.collector import note_access
from schema.clients.data_consent import DataConsentGuardian, data_consent_guardian
from schema.clients.file_fields import ClientFileFields
from schema.complaints.queries import ClientComplaintFields
from schema.consents.documents import ClientConsentFields
from schema.context import Context
from schema.photos.fields import ClientPhotoFields


@strawberry.type(
    description="A client's file: the identity page (corrections come as amendments, see "
    "`identityHistory`) and the parts of the record, each an append-only list of entries."
)
class Client(
    ClientFileFields, ClientConsentFields, ClientPhotoFields, ClientComplaintFields, relay.Node
):
    id: relay.NodeID[str]
    birth_date: date
    occupation: str | None
    data_consent_at: datetime
    created_at: datetime

    @strawberry.field(
        description="The name as it stands: the latest amendment's, else as registered."
    )
    async def full_name(self, info: Info[Context, None]) -> str:
        amended = await info.context.loaders.identity.load(self.row.id)
        return amended.full_name if amended else self.row.full_name

    @strawberry.field(description="The phone as it stands (amended numbers in international form).")
    async def phone(self, info: Info[Context, None]) -> str | None:
        amended = await info.context.loaders.identity.load(self.row.id)
        return amended.phone if amended else self.row.phone

    @strawberry.field(description="The e-mail as it stands.")
    async def email(self, info: Info[Context, None]) -> str | None:
        amended = await info.context.loaders.identity.load(self.row.id)
        return amended.email if amended else self.row.email

    @strawberry.field(
        description="Who consented to the data being kept, when not the client: the guardian "
        "named at registration (always for a client registered under 18); null otherwise."
    )
    async def data_consent_guardian(self, info: Info[Context, None]) -> DataConsentGuardian | None:
        return await data_consent_guardian(info, self.row.id)

    @classmethod
    def from_row(cls, row: ClientRow) -> Client:
        note_access(row.id, CLIENT_READ)  # built only to be answered: this is the read
        return cls(
            id=row.id,
            birth_date=row.birth_date,
            occupation=row.occupation,
            data_consent_at=row.data_consent_at,
            created_at=row.created_at,
            row=row,
        )
