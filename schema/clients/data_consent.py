"""`Client.dataConsentGuardian`: who gave the consent to keep a minor's data at registration
(`domain.client_file.data_consent`), read from the file's `DATA_CONSENT` entry."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.client_file.kinds import READ_CODES, EntryKind
from schema.audit.collector import note_access
from schema.context import Context


@strawberry.type(
    description="The guardian who consented, at the client's registration, to her data being "
    "kept: required for a client under 18."
)
class DataConsentGuardian:
    name: str = strawberry.field(description="The guardian's name, as the desk wrote it.")
    relation: str = strawberry.field(
        description="How the guardian is related to the client (mother, legal guardian...)."
    )
    recorded_at: datetime = strawberry.field(
        description="When the desk recorded it with the registration, in UTC."
    )


async def data_consent_guardian(
    info: Info[Context, None], client_id: str
) -> DataConsentGuardian | None:
    note_access(client_id, READ_CODES[EntryKind.DATA_CONSENT])
    entries = await info.context.loaders.file_entries.load(
        (client_id, EntryKind.DATA_CONSENT.value)
    )
    if not entries:
        return None
    latest = max(entries, key=lambda entry: (entry.recorded_at, entry.id))
    return DataConsentGuardian(
        name=latest.body["guardian_name"],
        relation=latest.body["guardian_relation"],
        recorded_at=latest.recorded_at,
    )
