"""Live journeys: every transition, timer-driven ones included, streamed to the SPA."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from domain.store.models import Journey as JourneyRow
from schema.context import Context
from schema.journeys.actions import load_visible_journey
from schema.journeys.types import Journey
from schema.loaders import Loaders


async def journey_changed(
    info: Info[Context, None], id: strawberry.ID
) -> AsyncGenerator[Journey | None, None]:
    """Yields the journey after each change; yields null once if it is not visible."""
    row = await load_visible_journey(info, id)
    if row is None:
        yield None
        return
    async for _seq in info.context.feed.changes(row.id):
        fresh = await JourneyRow.get(id=row.id)
        info.context.loaders = Loaders()  # a subscription outlives its first answers: reload all
        yield Journey.from_row(fresh)
