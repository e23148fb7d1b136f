"""Publishing procedure type versions (supervisors) and listing them (the clinic's staff).

Like consent templates: each `setProcedureType` is a new version numbered after the type's
latest; two supervisors publishing at once race for the number, the database's uniqueness
decides and the loser takes the next one. Running journeys keep the version they named.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.procedures.template import ProcedureContent, check_content, content_hash
from domain.store import records
from domain.store.key_order import by_key
from domain.store.procedures import TYPE_KEY_MAX_LENGTH
from domain.store.procedures import ProcedureTypeVersion as VersionRow
from domain.store.records import KeyClaim
from domain.store.sql import columns_of
from domain.store.version_lists import newest_versions
from schema import idempotency
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, not_authorized
from schema.procedures.inputs import SetProcedureTypeInput, to_content
from schema.procedures.types import CONTENT_FIELDS, ProcedureTypeVersion
from schema.selection import asks_any

PUBLISH_ATTEMPTS = 5
PROCEDURE_TYPE_KIND = "procedure_type"  # the kind of id a version derives from its claim
# At most this many versions in one answer, newest of each type first.
LISTED = 500


@strawberry.type(description="The version as published (or as the first attempt published it).")
class ProcedureTypePayload:
    procedure_type: ProcedureTypeVersion = strawberry.field(description="The new version.")


SetProcedureTypeResult = Annotated[
    ProcedureTypePayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("SetProcedureTypeResult", description="Published, or why not."),
]


async def set_procedure_type(
    info: Info[Context, None], input: SetProcedureTypeInput
) -> SetProcedureTypeResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    content, problems = to_content(input)
    problems += check_content(input.type_key, content)
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return invalid([*problems, bad_key])

    async def published(earlier: KeyClaim) -> bool:
        derived = idempotency.derived_id(earlier, PROCEDURE_TYPE_KIND)
        return derived is not None and await VersionRow.exists(id=derived)

    # A retry of a version published before a newer rule (a check the template gained since)
    # is answered as it was, its answer lost or not; only a new publication meets the rules.
    refused = await idempotency.refusal_answer(
        info,
        claims.account_id,
        input,
        invalid(problems) if problems else None,
        went_through=published,
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        row = await VersionRow.get(id=first)
        return ProcedureTypePayload(procedure_type=ProcedureTypeVersion.from_row(row))
    row_id = idempotency.derived_id(ledger, PROCEDURE_TYPE_KIND) or str(uuid.uuid4())
    found = await VersionRow.get_or_none(id=row_id)  # an unfinished first attempt's version
    for _ in range(PUBLISH_ATTEMPTS):
        if found is not None:
            break
        found = await publish_version(
            row_id, claims.clinic_id, claims.account_id, input.type_key, content
        )
    if found is None:
        return idempotency.conflict()
    await idempotency.settle(claims.account_id, input, found.id)
    return ProcedureTypePayload(procedure_type=ProcedureTypeVersion.from_row(found))


async def publish_version(
    row_id: str, clinic_id: str, account_id: str, type_key: str, content: ProcedureContent
) -> VersionRow | None:
    """Writes the type's next version; None when another publication took the number."""
    latest = (
        await VersionRow.filter(clinic_id=clinic_id, type_key=type_key).order_by("-version").first()
    )
    version = (latest.version if latest else 0) + 1
    try:
        return await VersionRow.create(
            id=row_id,
            clinic_id=clinic_id,
            type_key=type_key,
            version=version,
            category=content.category.value,
            anaesthesia=content.anaesthesia.value,
            content=content.to_json(),
            content_hash=content_hash(type_key, version, content),
            published_by=account_id,
            published_at=datetime.now(UTC),
        )
    except IntegrityError:
        # Another publication took this number (try the next), or this request's own retry
        # wrote the row under its id.
        return await VersionRow.get_or_none(id=row_id)


async def procedure_types(
    info: Info[Context, None],
    type_key: Annotated[
        str | None, strawberry.argument(description="Only this type's versions.")
    ] = None,
    latest_only: Annotated[
        bool,
        strawberry.argument(
            description="Only each type's newest version, however many versions came before "
            "(up to 500 types; the full list stops at 500 versions)."
        ),
    ] = False,
) -> list[ProcedureTypeVersion] | None:
    """Your clinic's procedure type versions: by type key in code point order (as Python
    sorts, with `latestOnly` or without: `key_order`), newest version first."""
    claims = info.context.claims
    if claims is None:
        return []
    if type_key is not None and len(type_key) > TYPE_KEY_MAX_LENGTH:
        return []  # names no type (cut to the column, it named the type of its first 100)
    # The content (names, checklist, plans, texts in every language) is read only when asked.
    with_content = asks_any(info, CONTENT_FIELDS)
    columns = [c for c in columns_of(VersionRow) if with_content or c != "content"]
    if latest_only:
        rows = await newest_versions(
            VersionRow,
            claims.clinic_id,
            "type_key",
            limit=LISTED,
            columns=columns,
            equal={"type_key": type_key},
        )
    else:
        query = VersionRow.filter(clinic_id=claims.clinic_id)
        if type_key is not None:
            query = query.filter(type_key=type_key)
        rows = await by_key(query, VersionRow, "type_key", "-version").limit(LISTED).only(*columns)
    return [ProcedureTypeVersion.from_row(row, with_content=with_content) for row in rows]


async def latest_version(clinic_id: str, type_key: str) -> VersionRow | None:
    return (
        await VersionRow.filter(clinic_id=clinic_id, type_key=type_key).order_by("-version").first()
    )
