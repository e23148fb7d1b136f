"""`catalog`: the clinic's items as they stand, in the order they were first added."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.catalog import catalog_keys, latest_versions
from schema.catalog.types import CatalogItem, CatalogItemConnection, CatalogItemEdge
from schema.context import Context
from schema.errors import ValidationFailed, from_domain
from schema.ids import decode_cursor, encode_cursor
from schema.pagination import PageInfo, page_problems

CatalogResult = Annotated[
    CatalogItemConnection | ValidationFailed,
    strawberry.union("CatalogResult", description="The items, or a bad page request."),
]


async def catalog(
    info: Info[Context, None],
    first: Annotated[int, strawberry.argument(description="How many items, 1 to 100.")] = 50,
    after: Annotated[
        str | None, strawberry.argument(description="The cursor of the last item already read.")
    ] = None,
) -> CatalogResult | None:
    """Your clinic's products and procedures, each as its latest version says."""
    claims = info.context.claims
    if claims is None:
        return None
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    position = None if after is None else decode_cursor(after)
    # One more than the page: whether another follows.
    keys, preceding = await catalog_keys(claims.clinic_id, first + 1, position)
    page = keys[:first]
    latest = await latest_versions(claims.clinic_id, [item_id for _at, item_id in page])
    edges = [
        CatalogItemEdge(
            cursor=encode_cursor(at, item_id), node=CatalogItem.from_row(latest[item_id])
        )
        for at, item_id in page
    ]
    return CatalogItemConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(keys) > first,
            has_previous_page=preceding,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
