"""The alerts a `myJourneyAlerts` subscriber missed, read back from the journey log.

Read newest first, by primary key within a bounded window of ids (a filter on the clinic's
journeys made SQLite walk every event of the clinic), a page of alerting events at a time; a
page's journeys are read in one query, and each event is judged by the journey as it left it.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.journey.table import Action
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent
from domain.store.snapshots import journey_as_of

ALERTING = frozenset(
    {Action.NUDGE.value, Action.ESCALATE.value, Action.MARK_STUCK.value, Action.REASSIGN.value}
)
# A replay says at most this many of the subscriber's own alerts, the newest: past that
# (hundreds of nudges while a client was away), the oldest missed are left unsaid.
REPLAY_AT_MOST = 200
# And reads at most this many pages of alerting events (of every clinic) ...
REPLAY_PAGE = 200
REPLAY_PAGES = 10
# ... among this many journey events at most, back from the newest.
AWAY_AT_MOST = 50_000

# The journey as an event left it, and that event.
AsOf = tuple[JourneyRow, JourneyEvent]


async def newest_event_id() -> int:
    newest = await JourneyEvent.all().order_by("-id").only("id").first()
    return int(newest.id) if newest else 0


async def missed_alerts(clinic_id: str, owner_id: str, after: int, upto: int) -> list[AsOf]:
    """The owner's newest alerts among the clinic's events with an id in (`after`, `upto`],
    oldest first."""
    after = max(after, upto - AWAY_AT_MOST)
    found: list[AsOf] = []
    below = upto + 1
    for _ in range(REPLAY_PAGES):
        page = (
            await JourneyEvent.filter(id__gt=after, id__lt=below, action__in=list(ALERTING))
            .order_by("-id")
            .limit(REPLAY_PAGE)
        )
        found += [
            as_of for as_of in await _judged(page, clinic_id) if as_of[0].consultant_id == owner_id
        ]
        if len(found) >= REPLAY_AT_MOST or len(page) < REPLAY_PAGE:
            break
        below = page[-1].id
    return found[:REPLAY_AT_MOST][::-1]


async def alerts_among(clinic_id: str, owner_id: str, event_ids: Iterable[int]) -> list[AsOf]:
    """The owner's alerts among the clinic's events of these ids (a cursor's unsaid ones, at
    most a few dozen), oldest first."""
    ids = sorted(set(event_ids))
    if not ids:
        return []
    events = await JourneyEvent.filter(id__in=ids, action__in=list(ALERTING)).order_by("id")
    return [
        as_of for as_of in await _judged(events, clinic_id) if as_of[0].consultant_id == owner_id
    ]


async def _judged(events: list[JourneyEvent], clinic_id: str) -> list[AsOf]:
    """The clinic's events among `events`, each with its journey as it left it."""
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
