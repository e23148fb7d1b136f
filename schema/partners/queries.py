"""`partners`: the clinic's partner salons, for the liaison work and the lapsed ones."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.store.partner_reads import clinic_partners
from schema.context import Context
from schema.partners.types import Partner

MAX_PARTNERS = 500


async def partners(
    info: Info[Context, None],
    lapsed_only: Annotated[
        bool, strawberry.argument(description="Only partners that missed a deadline.")
    ] = False,
) -> list[Partner] | None:
    """Your clinic's partners by name (at most 500), each in its registration in force."""
    claims = info.context.claims
    if claims is None:
        return None
    rows = await clinic_partners(claims.clinic_id, limit=MAX_PARTNERS, lapsed_only=lapsed_only)
    return await Partner.from_rows(rows)
