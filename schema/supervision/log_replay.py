"""The events a live subscriber missed (`myJourneyAlerts`' alerts, `supervisorBoard`'s changes),
read back from the journey log.

Only the subscriber's clinic's events are read, newest first, through the index on
`journey_event (clinic_id, id)` (migration 0039): before, the replay read a window of every
clinic's newest events and kept its clinic's, so another clinic's busy hour pushed a quiet
clinic's own events out of it. A page of the clinic's events' ids and actions is read at a
time; only those of the actions the subscriber hears of are read whole, and each is judged by
the journey as it left it. The reading stops with `at_most` found, or at the end of the missed
events, or past AWAY_AT_MOST of the clinic's events, whatever their actions: the bound on work,
per clinic (a subscriber that hears every event, the board, finds its `at_most` long before).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent
from domain.store.snapshots import journey_as_of

# A replay says at most this many events, the newest: past that (hundreds of nudges while a
# client was away), the oldest missed are left unsaid, or the board is read again.
REPLAY_AT_MOST = 200
# It reads the clinic's events this many at a time ...
SCAN_PAGE = 1_000
# ... and this many of them at most, back from the newest: past that (a consultant away while
# her clinic wrote as many events, weeks of a busy clinic), her oldest alerts are left unsaid.
# Each event of an action heard is judged by its journey's snapshot, about 0.15 ms on this
# project's machine: a consultant with no journey among 10,000 alerts costs 1.5 s of CPU
# (the reads between pages let other requests run meanwhile), where 50,000 cost 7.5 s.
AWAY_AT_MOST = 10_000

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
    clinic_id: str,
    interest: Interest,
    after: int,
    upto: int,
    at_most: int = REPLAY_AT_MOST,
    skipped: Collection[int] = frozenset(),
) -> list[AsOf]:
    """The newest `at_most` events of the clinic with an id in (`after`, `upto`] that concern
    the subscriber, oldest first (among the clinic's newest AWAY_AT_MOST there), but for those
    of the ids `skipped` (events the subscriber has judged already): those are neither read
    whole nor judged again, and take no place among the `at_most`."""
    found: list[AsOf] = []
    below, unread = upto + 1, AWAY_AT_MOST
    while len(found) < at_most and unread > 0:
        # (the actions are judged here: filtered in SQL, a page of the few actions heard could
        # walk every event of the clinic)
        page = await (
            JourneyEvent.filter(clinic_id=clinic_id, id__gt=after, id__lt=below)
            .order_by("-id")
            .limit(min(SCAN_PAGE, unread))
            .values_list("id", "action")
        )
        heard = [
            event_id
            for event_id, action in page
            if interest.hears_of(action) and event_id not in skipped
        ]
        while heard and len(found) < at_most:  # (read whole no more than could be said)
            ids, heard = heard[: at_most - len(found)], heard[at_most - len(found) :]
            events = await JourneyEvent.filter(id__in=ids).order_by("-id")
            found += [
                as_of for as_of in await _judged(events, clinic_id) if interest.concerns(as_of[0])
            ]
        if len(page) < SCAN_PAGE:
            break
        below, unread = page[-1][0], unread - len(page)
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
