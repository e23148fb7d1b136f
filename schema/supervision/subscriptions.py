"""The supervisor's live board: stuck and unstuck journeys, and the counts, as they change.

Pushed from the shared change feed (schema.feed). A subscriber that falls `QUEUE_LIMIT`
changes behind gets one `RESYNC` update with the counts as they are, and no journey: the
changes it missed are dropped, and the client reads the board again.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from domain.store.models import Journey as JourneyRow
from domain.store.snapshots import journey_at
from schema.context import Context
from schema.feed import ClinicChange
from schema.journeys.types import Journey
from schema.live_errors import nothing_to_watch
from schema.mailbox import Resync
from schema.supervision.queries import board_stats, visible_clinic
from schema.supervision.types import BoardChange, BoardUpdate


async def _stuck_now(clinic_id: str) -> set[str]:
    rows = await JourneyRow.filter(clinic_id=clinic_id, stuck=True).only("id")
    return {str(row.id) for row in rows}


async def supervisor_board(
    info: Info[Context, None], clinic_id: strawberry.ID
) -> AsyncGenerator[BoardUpdate, None]:
    clinic = await visible_clinic(info, clinic_id)
    if clinic is None:
        raise nothing_to_watch("clinic")
    async with info.context.feed.clinic(clinic.id) as changes:
        stuck_now = await _stuck_now(clinic.id)
        while True:
            change = await changes.get()
            if isinstance(change, Resync):
                stuck_now = await _stuck_now(clinic.id)
                stats = await board_stats(clinic)
                yield BoardUpdate(change=BoardChange.RESYNC, journey=None, stats=stats)
                continue
            if not isinstance(change, ClinicChange):
                continue  # a task changed without its journey moving: not the board's news
            # As the change's event left it: a subscriber behind by two events (stuck, then
            # moved on) is told of each, not twice of where the journey is now.
            row, _event = await journey_at(change.journey_id, change.seq)
            if row.stuck and row.id not in stuck_now:
                kind = BoardChange.STUCK
                stuck_now.add(row.id)
            elif not row.stuck and row.id in stuck_now:
                kind = BoardChange.UNSTUCK
                stuck_now.discard(row.id)
            else:
                kind = BoardChange.MOVED
            stats = await board_stats(clinic)
            yield BoardUpdate(change=kind, journey=Journey.from_row(row), stats=stats)
