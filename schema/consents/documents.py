"""Reading signed consents: the client's list, and one document exactly as signed.

The document is rebuilt from the stored template version (which the database keeps unchanged)
and its hash computed afresh: `hashMatches` compares it with the hash stored at signing. Every
read of a client's consents leaves its audit entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.consent.templates import TemplateContent, content_hash
from domain.journey.stages import ConsentKind
from domain.store.consents import ConsentSignature as SignatureRow
from domain.store.consents import ConsentTemplateVersion as VersionRow
from domain.store.consents import ConsentWithdrawal
from domain.store.models import Client as ClientRow
from domain.store.per_client import Window
from schema.audit.collector import note_access
from schema.consents.types import (
    SIGNATURE_ID_TYPE,
    ConsentDocument,
    ConsentSignature,
    ConsentTemplateVersion,
    ConsentText,
)
from schema.context import Context
from schema.errors import NotAuthorized, NotFound, not_found
from schema.ids import decode_id
from schema.input_check import check_list_page
from schema.pagination import client_rows_after

CONSENTS_READ = "client.consents.read"
DOCUMENT_READ = "client.consent_document.read"
CONSENTS_PAGE = 100
MAX_CONSENTS_PAGE = 500

ConsentDocumentResult = Annotated[
    ConsentDocument | NotAuthorized | NotFound,
    strawberry.union(
        "ConsentDocumentResult", description="The document, or why it cannot be shown."
    ),
]


async def withdrawals_of(signature_ids: list[str]) -> dict[str, datetime]:
    rows = await ConsentWithdrawal.filter(signature_id__in=signature_ids)
    return {row.signature_id: row.withdrawn_at for row in rows}


def stored_hash(version: VersionRow) -> str:
    content = TemplateContent(
        version.template_key,
        version.procedure_type,
        ConsentKind(version.kind),
        version.version,
        version.texts,
    )
    return content_hash(content)


async def consent_document(
    info: Info[Context, None],
    id: Annotated[strawberry.ID, strawberry.argument(description="The signature's global id.")],
) -> ConsentDocumentResult:
    """A signed consent with the text exactly as signed and whether its hash still matches."""
    claims = info.context.claims
    raw_id = decode_id(id, SIGNATURE_ID_TYPE)
    if claims is None or raw_id is None:
        return not_found("consent")
    row = await SignatureRow.get_or_none(id=raw_id, clinic_id=claims.clinic_id)
    if row is None:
        return not_found("consent")
    note_access(row.client_id, DOCUMENT_READ)
    version = await VersionRow.get(id=row.template_version_id)
    withdrawn = await withdrawals_of([row.id])
    computed = stored_hash(version)
    return ConsentDocument(
        signature=ConsentSignature.from_row(row, withdrawn.get(row.id)),
        template=ConsentTemplateVersion.from_row(version),
        text=ConsentText.of(row.language, version.texts[row.language]),
        signature_data=row.signature_data,
        computed_hash=computed,
        hash_matches=computed == row.content_hash == version.content_hash,
    )


@strawberry.type
class ClientConsentFields:
    """`Client.consents` (not a GraphQL type of its own: `Client` has this field)."""

    row: strawberry.Private[ClientRow]

    @strawberry.field(
        description="The consents the client signed, oldest first, withdrawn ones included: "
        "those after the consent `after` names, at most `first` of them. A page of `first` "
        "may have more after it: ask again with the last one's `id` as `after`."
    )
    async def consents(
        self,
        info: Info[Context, None],
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_CONSENTS_PAGE}.")
        ] = CONSENTS_PAGE,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The `id` of the last consent already read."),
        ] = None,
    ) -> list[ConsentSignature] | None:
        # Bounded: a client treated for years signs consents at every visit.
        check_list_page(first, MAX_CONSENTS_PAGE)
        lists = info.context.loaders.client_lists
        if after is None:
            window = await lists.consents.load((self.row.id, Window(skip=0, take=first)))
            rows = [row for _position, row in window]
        else:
            rows = await client_rows_after(
                SignatureRow, "signed_at", self.row.id, after, SIGNATURE_ID_TYPE, first
            )
        note_access(self.row.id, CONSENTS_READ)
        withdrawn = await lists.withdrawals.load_many([row.id for row in rows])
        return [ConsentSignature.from_row(row, at) for row, at in zip(rows, withdrawn, strict=True)]
