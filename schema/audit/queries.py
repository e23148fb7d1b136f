"""`auditLog`: a client's audit entries for a supervisor of the client's clinic, newest first.

Pages follow the clinic chain's own order (seq), so entries recorded in one request (which share
their time) come in the order they were chained, and a page never skips or repeats an entry
while new ones are appended.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.audit import AUDIT_READ
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.audit_models import AuditEntry as AuditEntryRow
from domain.store.models import Client as ClientRow
from schema.audit.collector import note_access
from schema.audit.types import AuditEntry, AuditLogConnection, AuditLogEdge
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.ids import decode_cursor, decode_id, encode_cursor, whole_number
from schema.pagination import MAX_PAGE, PageInfo, page_problems

DEFAULT_PAGE = 20

AuditLogResult = Annotated[
    AuditLogConnection | ValidationFailed | NotAuthorized | NotFound,
    strawberry.union(
        "AuditLogResult",
        description="The page, or why not: not a supervisor, no such client in your clinic, or "
        "a bad `first`/`after`.",
    ),
]


def _seq_after(after: str | None) -> int | None:
    position = decode_cursor(after) if after is not None else None
    raw = position[1] if position else ""
    return whole_number(raw)


async def audit_log(
    info: Info[Context, None],
    client_id: Annotated[
        strawberry.ID, strawberry.argument(description="The client (a `Client` id).")
    ],
    first: Annotated[
        int, strawberry.argument(description=f"Entries per page, 1 to {MAX_PAGE}.")
    ] = DEFAULT_PAGE,
    after: Annotated[
        str | None, strawberry.argument(description="A cursor from the page before.")
    ] = None,
) -> AuditLogResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    before_seq = _seq_after(after)
    if after is not None and before_seq is None and not problems:
        problems.append(FieldProblem("after", "not a cursor from this API", Code.BAD_FORMAT))
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    raw_client = decode_id(client_id, "Client")
    if not raw_client or not await ClientRow.exists(id=raw_client, clinic_id=claims.clinic_id):
        return not_found("client")
    query = AuditEntryRow.filter(clinic_id=claims.clinic_id, client_id=raw_client)
    if before_seq is not None:
        query = query.filter(seq__lt=before_seq)
    rows = await query.order_by("-seq").limit(first + 1)
    page = rows[:first]
    note_access(raw_client, AUDIT_READ)
    edges = [
        AuditLogEdge(cursor=encode_cursor(r.at, str(r.seq)), node=AuditEntry.from_row(r))
        for r in page
    ]
    page_info = PageInfo(
        has_next_page=len(rows) > first,
        # Newer entries precede the page when it starts after a cursor (seq counts up from 1).
        has_previous_page=before_seq is not None
        and await AuditEntryRow.exists(
            clinic_id=claims.clinic_id, client_id=raw_client, seq__gte=before_seq
        ),
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return AuditLogConnection(edges=edges, page_info=page_info)
