"""Live journeys: the journey as of each event, timer-driven ones included, in order.

The first push is the journey as it is when the subscription starts; then one push per later
event, as that event left the journey (its `lastEventSeq`), none skipped, none repeated. The
feed only wakes the subscriber; what is pushed is read from the journey's log (each event keeps
the journey's snapshot), so a slow subscriber catches up from the log at its own pace, without
anything growing in memory, and the feed's overflow marker only means "read the log again".
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from domain.store.models import Journey as JourneyRow
from domain.store.snapshots import events_after, journey_as_of
from schema.context import Context
from schema.journeys.actions import load_visible_journey
from schema.journeys.types import Journey
from schema.live_errors import nothing_to_watch
from schema.loaders import Loaders


async def journey_changed(
    info: Info[Context, None], id: strawberry.ID
) -> AsyncGenerator[Journey, None]:
    """Yields the journey now, then as of each later event; an error if it is not visible."""
    row = await load_visible_journey(info, id)
    if row is None:
        raise nothing_to_watch("journey")
    async with info.context.feed.journey(row.id) as wakeups:
        # Read after subscribing: an event committed from now on wakes this subscriber.
        current = await JourneyRow.get(id=row.id)
        seen = current.last_event_seq
        yield _view(info, current)
        while True:
            await wakeups.get()  # a new seq, or RESYNC: either way the log says what is new
            while events := await events_after(row.id, seen):
                current = await JourneyRow.get(id=row.id)
                for event in events:
                    seen = event.seq
                    yield _view(info, journey_as_of(event, current))


def _view(info: Info[Context, None], row: JourneyRow) -> Journey:
    info.context.loaders = Loaders()  # a subscription outlives its first answers: reload all
    return Journey.from_row(row)
