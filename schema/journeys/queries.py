"""Reading journeys: one by id, or a filtered connection of them."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.stages import Stage
from domain.store.models import Journey as JourneyRow
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    invalid,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.journeys.actions import load_visible_journey
from schema.journeys.types import Journey
from schema.pagination import PageInfo, cursor_for, keyset_page, page_problems


@strawberry.type
class JourneyEdge:
    cursor: str
    node: Journey


@strawberry.type
class JourneyConnection:
    edges: list[JourneyEdge]
    page_info: PageInfo


@strawberry.input
class JourneyFilter:
    stage: Stage | None = None
    consultant_id: strawberry.ID | None = None
    client_id: strawberry.ID | None = None
    active_only: bool = False


JourneyLookup = Annotated[Journey | NotFound | NotAuthorized, strawberry.union("JourneyLookup")]
JourneysResult = Annotated[
    JourneyConnection | ValidationFailed | NotAuthorized, strawberry.union("JourneysResult")
]


async def journey(info: Info[Context, None], id: strawberry.ID) -> JourneyLookup:
    if info.context.claims is None:
        return not_authorized()
    row = await load_visible_journey(info, id)
    return Journey.from_row(row) if row else not_found("journey")


async def journeys(
    info: Info[Context, None],
    filter: JourneyFilter | None = None,
    first: int = 20,
    after: str | None = None,
) -> JourneysResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    query = JourneyRow.filter(clinic_id=claims.clinic_id)
    filter = filter or JourneyFilter()
    if filter.stage is not None:
        query = query.filter(stage=filter.stage.value)
    if filter.active_only:
        query = query.filter(active=True)
    for field, value, type_name in (
        ("consultant_id", filter.consultant_id, "StaffMember"),
        ("client_id", filter.client_id, "Client"),
    ):
        if value is not None:
            raw_id = decode_id(value, type_name)
            if raw_id is None:
                return invalid(f"filter.{field}", f"not a {type_name} id", Code.BAD_FORMAT)
            query = query.filter(**{field: raw_id})
    rows, page_info = await keyset_page(query, "started_at", first, after)
    edges = [
        JourneyEdge(cursor=cursor_for(r, "started_at"), node=Journey.from_row(r)) for r in rows
    ]
    return JourneyConnection(edges=edges, page_info=page_info)
