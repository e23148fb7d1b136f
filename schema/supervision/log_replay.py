"""The events a live subscriber missed (`myJourneyAlerts`' alerts, `supervisorBoard`'s changes),
read back from the journey log.

Read newest first, by primary key within a bounded window of ids (a filter on the clinic's
journeys made SQLite walk every event of the clinic), a page of the events' ids at a time (of
the actions the subscriber hears of); a page's journeys of the subscriber's clinic are read in
one query, only their events are read whole, and each is judged by the journey as it left it.
Every clinic's events are in the window, so the scan goes on past another clinic's, however
many (a budget of pages shared by every clinic let 2,000 nudges elsewhere push a consultant's
own alert out of her replay), until the window ends: at most AWAY_AT_MOST / SCAN_PAGE pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent
from domain.store.snapshots import journey_as_of

# A replay says at most this many events, the newest: past that (hundreds of nudges while a
# client was away), the oldest missed are left unsaid, or the board is read again.
REPLAY_AT_MOST = 200
# It scans events (of every clinic) this many ids at a time ...
SCAN_PAGE = 1_000
# ... among this many journey events at most, back from the newest.
AWAY_AT_MOST = 50_000

# The journey as an event left it, and that event.
AsOf = tuple[JourneyRow, JourneyEvent]


def _any_journey(_row: JourneyRow) -> bool:
    return True


@dataclass(frozen=True)
class Interest:
    """What a subscriber hears of its clinic's journey log."""

    actions: frozenset[str] | None  # the events' actions; None: every event
    # ... of those, the ones it hears of, by the journey as the event left it
    concerns: Callable[[JourneyRow], bool] = _any_journey

    def hears_of(self, action: str) -> bool:
        return self.actions is None or action in self.actions

    def of_actions(self, **query: Any) -> dict[str, Any]:
        """`query`, and the filter on the actions it hears of."""
        return query if self.actions is None else {**query, "action__in": list(self.actions)}


async def newest_event_id() -> int:
    newest = await JourneyEvent.all().order_by("-id").only("id").first()
    return int(newest.id) if newest else 0


async def missed_events(
    clinic_id: str, interest: Interest, after: int, upto: int, at_most: int = REPLAY_AT_MOST
) -> list[AsOf]:
    """The newest `at_most` events of the clinic with an id in (`after`, `upto`] that concern
    the subscriber, oldest first."""
    after = max(after, upto - AWAY_AT_MOST)
    found: list[AsOf] = []
    below = upto + 1
    while len(found) < at_most:
        page = await (
            JourneyEvent.filter(**interest.of_actions(id__gt=after, id__lt=below))
            .order_by("-id")
            .limit(SCAN_PAGE)
            .values_list("id", "journey_id")
        )
        if not page:
            break
        ours = set(
            await JourneyRow.filter(
                id__in={journey_id for _, journey_id in page}, clinic_id=clinic_id
            ).values_list("id", flat=True)
        )
        ids = [event_id for event_id, journey_id in page if journey_id in ours]
        events = await JourneyEvent.filter(id__in=ids).order_by("-id") if ids else []
        found += [
            as_of for as_of in await _judged(events, clinic_id) if interest.concerns(as_of[0])
        ]
        if len(page) < SCAN_PAGE:
            break
        below = page[-1][0]
    return found[:at_most][::-1]


async def events_among(clinic_id: str, interest: Interest, event_ids: Iterable[int]) -> list[AsOf]:
    """The events of these ids (a cursor's unsaid ones, at most a few dozen) of the clinic that
    concern the subscriber, oldest first."""
    ids = sorted(set(event_ids))
    if not ids:
        return []
    events = await JourneyEvent.filter(**interest.of_actions(id__in=ids)).order_by("id")
    return [as_of for as_of in await _judged(events, clinic_id) if interest.concerns(as_of[0])]


async def _judged(events: list[JourneyEvent], clinic_id: str) -> list[AsOf]:
    """The clinic's events among `events`, each with its journey as it left it."""
    if not events:
        return []
    journeys = {
        row.id: row
        for row in await JourneyRow.filter(
            id__in={event.journey_id for event in events}, clinic_id=clinic_id
        )
    }
    return [
        (journey_as_of(event, journeys[event.journey_id]), event)
        for event in events
        if event.journey_id in journeys
    ]
