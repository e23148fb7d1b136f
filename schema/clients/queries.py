"""Finding clients: by id, or by a name or phone fragment."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q, Subquery

from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.client_file import ClientIdentityAmendment
from domain.store.models import Client as ClientRow
from schema.clients.types import Client
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.pagination import PageInfo, cursor_for, keyset_page, page_problems
from schema.permissions import denied


@strawberry.type
class ClientEdge:
    cursor: str
    node: Client


@strawberry.type
class ClientConnection:
    edges: list[ClientEdge]
    page_info: PageInfo


ClientLookup = Annotated[Client | NotFound | NotAuthorized, strawberry.union("ClientLookup")]
ClientsResult = Annotated[
    ClientConnection | ValidationFailed | NotAuthorized, strawberry.union("ClientsResult")
]


async def client(info: Info[Context, None], id: strawberry.ID) -> ClientLookup:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    raw_id = decode_id(id, "Client")
    row = raw_id and await ClientRow.get_or_none(id=raw_id, clinic_id=claims.clinic_id)
    return Client.from_row(row) if row else not_found("client")


async def clients(
    info: Info[Context, None], search: str | None = None, first: int = 20, after: str | None = None
) -> ClientsResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    query = ClientRow.filter(clinic_id=claims.clinic_id)
    if search and search.strip():
        term = search.strip()[:100]
        # A corrected name or phone finds the client too (and so does the one it replaced). A
        # phone number finds clients only for those who may read it: matching is reading (a
        # nurse recovered a client's number digit by digit from what the search found).
        matches = Q(full_name__icontains=term)
        if not denied("Client", "phone", claims.role):
            matches |= Q(phone__contains=term)
        # Only the clinic's own clients' amendments: every clinic's were read to pick these.
        own = ClientIdentityAmendment.filter(matches, client__clinic_id=claims.clinic_id)
        amended = own.values("client_id")
        query = query.filter(matches | Q(id__in=Subquery(amended)))
    rows, page_info = await keyset_page(query, "created_at", first, after)
    edges = [ClientEdge(cursor=cursor_for(r, "created_at"), node=Client.from_row(r)) for r in rows]
    return ClientConnection(edges=edges, page_info=page_info)
