"""The supervisor's live board: stuck and unstuck journeys, and the counts, as they change."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from strawberry.types import Info

from domain.store.models import Journey as JourneyRow
from schema.context import Context
from schema.journeys.types import Journey
from schema.supervision.queries import board_stats, visible_clinic
from schema.supervision.types import BoardChange, BoardUpdate


async def supervisor_board(
    info: Info[Context, None], clinic_id: str
) -> AsyncGenerator[BoardUpdate | None, None]:
    clinic = await visible_clinic(info, clinic_id)
    if clinic is None:
        yield None
        return
    stuck_rows = await JourneyRow.filter(clinic_id=clinic_id, stuck=True).only("id")
    stuck_now: set[str] = {str(row.id) for row in stuck_rows}
    async for change in info.context.feed.clinic_changes(clinic_id):
        row = await JourneyRow.get(id=change.journey_id)
        if row.stuck and row.id not in stuck_now:
            change = BoardChange.STUCK
            stuck_now.add(row.id)
        elif not row.stuck and row.id in stuck_now:
            change = BoardChange.UNSTUCK
            stuck_now.discard(row.id)
        else:
            change = BoardChange.MOVED
        yield BoardUpdate(
            change=change, journey=Journey.from_row(row), stats=await board_stats(clinic)
        )
