"""`recordFileDisclosure` and `fileDisclosures`: parts of a client's file given to someone
outside the clinic (another doctor, an insurer, a laboratory, a lawyer), and the list of them.

Seed 000: the file is shared only with the client's prior written consent, never by e-mail or
personal drives (`domain.client_file.disclosure`). A disclosure stands on the client's newest
signed DATA_SHARING consent not withdrawn; without one it is `SharingConsentMissing` and nothing
is written. Supervisors record and read them, as they hand the client their own copy
(`exportClientFile`): both are the custodian's acts. The disclosure names the clinic's records
custodian at the time (`recordsCustodian`).

A retry with the same key answers the first disclosure, even once the consent it stood on has
been withdrawn since: the disclosure was made while it stood. So does a retry whose first attempt
wrote the disclosure and lost its answer (the key claimed, never settled).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.client_file.disclosure import DisclosedPart as DisclosedPartCode
from domain.client_file.disclosure import DisclosureChannel as DisclosureChannelCode
from domain.client_file.disclosure import disclosure_problems
from domain.client_file.kinds import DISCLOSURES_READ
from domain.journey.facts import Actor
from domain.store import records
from domain.store.disclosures import FileDisclosure as DisclosureRow
from domain.store.disclosures import client_locked, current_custodian, sharing_consent
from domain.store.models import Client as ClientRow
from domain.store.records import KeyClaim
from domain.text import one_line
from schema import idempotency
from schema.audit.collector import note_access, note_write
from schema.clients.disclosure_types import (
    FileDisclosure,
    FileDisclosureConnection,
    FileDisclosureEdge,
    FileDisclosurePayload,
    FileDisclosuresResult,
    RecordFileDisclosureInput,
    RecordFileDisclosureResult,
    SharingConsentMissing,
    sharing_consent_missing,
)
from schema.clients.file_access import visible_client
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import not_authorized, not_found
from schema.pagination import MAX_PAGE, cursor_for, keyset_page, page_problems

DEFAULT_PAGE = 20
DISCLOSURE_KIND = "disclosure"  # the kind of id the disclosure derives from its key's claim


async def record_file_disclosure(
    info: Info[Context, None], input: RecordFileDisclosureInput
) -> RecordFileDisclosureResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    parts = [DisclosedPartCode(part).value for part in input.parts]
    problems = disclosure_problems(
        input.recipient_name, input.recipient_organisation, input.purpose, parts
    )
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid(problems + ([bad_key] if bad_key else []))
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("client")
        )
    consent_id, withdrawn_at = await sharing_consent(client.id)
    if consent_id is None:
        # Nothing claimed: once the client signs, the same request is taken. A request answered
        # before, or whose disclosure was written and its answer lost, goes on to its first
        # answer (the consent stood then).
        refused = await idempotency.refusal_answer(
            info,
            actor.user_id,
            input,
            sharing_consent_missing(withdrawn_at),
            went_through=_written,
        )
        if refused is not None:
            return refused
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    disclosure_id = idempotency.result_id(ledger, DISCLOSURE_KIND)
    row = await DisclosureRow.get_or_none(id=disclosure_id)
    if row is None:
        written = await _write(client, disclosure_id, input, parts, actor)
        if not isinstance(written, DisclosureRow):
            return written
        row = written
    note_write(info, client.id)
    await idempotency.settle(actor.user_id, input, row.id)
    return FileDisclosurePayload(disclosure=FileDisclosure.from_row(row))


async def _written(earlier: KeyClaim) -> bool:
    """Whether the request's first attempt wrote its disclosure (its id comes from the claim)."""
    disclosure_id = idempotency.derived_id(earlier, DISCLOSURE_KIND)
    return disclosure_id is not None and await DisclosureRow.exists(id=disclosure_id)


async def _write(
    client: ClientRow,
    disclosure_id: str,
    input: RecordFileDisclosureInput,
    parts: list[str],
    actor: Actor,
) -> DisclosureRow | SharingConsentMissing:
    """The disclosure's row, on the consent in force when it is written: checked and written
    under the client's lock, which every withdrawal of the consent takes too. An attempt of the
    same request that wrote it first is answered instead (the id comes from the key's claim)."""
    custodian = await current_custodian(client.clinic_id)
    try:
        async with client_locked(client.id) as connection:
            consent_id, withdrawn_at = await sharing_consent(client.id, connection)
            if consent_id is None:  # withdrawn since the first look
                return sharing_consent_missing(withdrawn_at)
            return await DisclosureRow.create(
                using_db=connection,
                id=disclosure_id,
                clinic_id=client.clinic_id,
                client_id=client.id,
                consent_signature_id=consent_id,
                recipient_name=one_line(input.recipient_name),
                recipient_organisation=input.recipient_organisation,
                purpose=input.purpose,
                parts=parts,
                channel=DisclosureChannelCode(input.channel).value,
                custodian_id=custodian.staff_id if custodian else None,
                recorded_by=actor.user_id,
                recorded_by_role=actor.role.value,
                recorded_at=datetime.now(UTC),
            )
    except IntegrityError:
        return await DisclosureRow.get(id=disclosure_id)


async def file_disclosures(
    info: Info[Context, None],
    client_id: Annotated[
        strawberry.ID, strawberry.argument(description="The client (a `Client` id).")
    ],
    first: Annotated[
        int, strawberry.argument(description=f"Disclosures per page, 1 to {MAX_PAGE}.")
    ] = DEFAULT_PAGE,
    after: Annotated[
        str | None, strawberry.argument(description="A cursor from the page before.")
    ] = None,
) -> FileDisclosuresResult:
    if info.context.claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    if problems:
        return invalid(problems)
    client = await visible_client(info, client_id)
    if client is None:
        return not_found("client")
    query = DisclosureRow.filter(client_id=client.id)
    rows, page_info = await keyset_page(query, "recorded_at", first, after)
    note_access(client.id, DISCLOSURES_READ)
    edges = [
        FileDisclosureEdge(cursor=cursor_for(row, "recorded_at"), node=FileDisclosure.from_row(row))
        for row in rows
    ]
    return FileDisclosureConnection(edges=edges, page_info=page_info)
