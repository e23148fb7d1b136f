"""`Client.dataConsentGuardian`: who gave the consent to keep a minor's data at registration
(`domain.client_file.data_consent`), read from the file's `DATA_CONSENT` entry in force: the
registration's, or its latest correction (`amendClientEntry` with `dataConsentGuardian`, checked
here as `registerClient` checks the guardian)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from domain.client_file.data_consent import NAME_NEEDED, consent_body, guardian_problems
from domain.client_file.kinds import READ_CODES, EntryKind
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store.client_file import ClientEntry
from domain.store.models import Client as ClientRow
from schema.audit.collector import note_access
from schema.clients.file_access import zone_of
from schema.clients.file_types import ENTRY_ID_TYPE
from schema.context import Context
from schema.ids import encode_id
from schema.text import check_text


@strawberry.type(
    description="The guardian who consented, at the client's registration, to her data being "
    "kept: required for a client under 18."
)
class DataConsentGuardian:
    entry_id: strawberry.ID = strawberry.field(
        description="The `DATA_CONSENT` entry it is read from: the one `amendClientEntry` "
        "(`dataConsentGuardian`) corrects."
    )
    name: str = strawberry.field(description="The guardian's name, as the desk wrote it.")
    relation: str = strawberry.field(
        description="How the guardian is related to the client (mother, legal guardian...)."
    )
    recorded_at: datetime = strawberry.field(
        description="When it was recorded, in UTC: with the registration, or when corrected."
    )


async def data_consent_guardian(
    info: Info[Context, None], client_id: str
) -> DataConsentGuardian | None:
    note_access(client_id, READ_CODES[EntryKind.DATA_CONSENT])
    entries = await info.context.loaders.file_entries.load(
        (client_id, EntryKind.DATA_CONSENT.value)
    )
    corrected = {entry.amends_id for entry in entries}
    in_force = [entry for entry in entries if entry.id not in corrected] or entries
    if not in_force:
        return None
    latest = max(in_force, key=lambda entry: (entry.recorded_at, entry.id))
    return DataConsentGuardian(
        entry_id=strawberry.ID(encode_id(ENTRY_ID_TYPE, latest.id)),
        name=latest.body["guardian_name"],
        relation=latest.body["guardian_relation"],
        recorded_at=latest.recorded_at,
    )


async def corrected_guardian(
    info: Info[Context, None], original: ClientEntry, guardian_name: str, guardian_relation: str
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """A correction of the guardian of the data consent `original`: its body (each on one line)
    and what is wrong with it, checked as `registerClient` checks the guardian. A correction
    names one: the entry stands for the guardian who consented."""
    client = await ClientRow.get(id=original.client_id)
    # Her age on the clinic's calendar decides whether she is a minor, as at registration.
    day = datetime.now(await zone_of(info, client.clinic_id)).date()
    problems = check_text("guardianName", guardian_name, required=False, limit=200)
    problems += check_text("guardianRelation", guardian_relation, required=False, limit=100)
    problems += guardian_problems(client.birth_date, day, guardian_name, guardian_relation)
    body = consent_body(guardian_name, guardian_relation)
    if body is None and not problems:
        problems.append(FieldProblem("guardianName", NAME_NEEDED, Code.REQUIRED))
    return body or {}, problems
