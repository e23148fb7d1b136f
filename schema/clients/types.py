from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay

from domain.audit import CLIENT_READ
from domain.store.models import Client as ClientRow
from schema.audit.collector import note_access


@strawberry.type(description="A client's file: identity page (corrections come as amendments).")
class Client(relay.Node):
    id: relay.NodeID[str]
    full_name: str
    birth_date: date
    phone: str | None
    email: str | None
    occupation: str | None
    data_consent_at: datetime
    created_at: datetime

    @classmethod
    def from_row(cls, row: ClientRow) -> Client:
        note_access(row.id, CLIENT_READ)  # built only to be answered: this is the read
        return cls(
            id=row.id,
            full_name=row.full_name,
            birth_date=row.birth_date,
            phone=row.phone,
            email=row.email,
            occupation=row.occupation,
            data_consent_at=row.data_consent_at,
            created_at=row.created_at,
        )
