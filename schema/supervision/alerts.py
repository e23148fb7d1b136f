"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live.

Alerts are events, not a state the client can read again, so the alerts a subscriber missed are
read back from the journey log (`schema.supervision.alert_replay`): those that came while it was
a whole mailbox behind (the feed's RESYNC), from a little below the newest event it had passed
(an event can commit late), and, when it subscribes again with the `cursor` of the last alert it
had, those that came while it was away. Each is said once. A cursor names the newest event the
subscriber had passed when the alert was said, not the alert's own event (on PostgreSQL an alert
can be said after later events, and those would be said again from its own id), and the ids at
or below it still to be said (`schema.supervision.alert_cursor`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator, Iterable
from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.store.snapshots import journey_at
from schema.context import Context
from schema.feed import ClinicChange, ClinicNews, JourneyFeed
from schema.feed_cursor import MAX_GAPS
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused
from schema.mailbox import Mailbox, Resync
from schema.supervision.alert_cursor import AlertCursor, cursor_at, decode_cursor
from schema.supervision.alert_replay import (
    ALERTING,
    AWAY_AT_MOST,
    AsOf,
    alerts_among,
    missed_alerts,
    newest_event_id,
)

# How far below the newest event it passed a fall-behind's replay reads: an event that commits
# late (PostgreSQL) is at most as far behind as the feed waits for one (its gaps).
LATE_BY_AT_MOST = MAX_GAPS
# Alerting events a subscriber remembers having judged, so that neither a replay nor the
# mailbox arriving after it says one twice (a replay's are always among them).
REMEMBERED = 4_000


@strawberry.type(description="Something about a journey you own that needs your attention.")
class JourneyAlert:
    cursor: strawberry.ID
    action: str
    summary: str
    at: datetime
    journey: Journey


async def my_journey_alerts(
    info: Info[Context, None], after: str | None = None
) -> AsyncGenerator[JourneyAlert, None]:
    claims = info.context.claims
    if claims is None:  # the permission guard refuses it first; kept for direct callers
        raise SubscriptionRefused("sign in first", ErrorCode.NOT_AUTHORIZED)
    resumed = None if after is None else decode_cursor(after)
    if after is not None and resumed is None:
        raise SubscriptionRefused(
            "after: not the cursor of an alert from this API", ErrorCode.VALIDATION_FAILED
        )
    watch, feed = _Watch(claims.clinic_id, claims.account_id), info.context.feed
    async with feed.clinic(claims.clinic_id) as changes:
        async for row, event in watch.alerts(changes, resumed, feed):
            yield JourneyAlert(
                cursor=strawberry.ID(watch.cursor(feed.events_awaited(), changes).encode()),
                action=event.action,
                summary=event.summary,
                at=event.at,
                journey=Journey.from_row(row),
            )


class _Watch:
    """One subscriber's place in its clinic's journey log, and the alerts it has judged."""

    def __init__(self, clinic_id: str, owner_id: str) -> None:
        self.clinic_id, self.owner_id = clinic_id, owner_id
        self.newest = 0  # the newest event passed: every alert up to it was judged, but ...
        self._rest: list[int] = []  # ... the rest of the alerts being said, after this one
        self._floor = 0  # nothing at or below it was news when the subscriber came, but ...
        self._named: frozenset[int] = frozenset()  # ... what its cursor named as unsaid
        self._judged: OrderedDict[int, None] = OrderedDict()

    def cursor(self, feed_awaits: Iterable[int], changes: Mailbox[ClinicNews]) -> AlertCursor:
        """Where the subscriber is as it says an alert: the newest event passed, and the ids up
        to it that may still be alerts it has not judged (the rest of the alerts being said,
        changes in its mailbox, and events the feed awaits)."""
        queued = [
            news.event_id
            for news in changes.queued()
            if isinstance(news, ClinicChange) and news.action in ALERTING
        ]
        awaited = [event_id for event_id in feed_awaits if self._news(event_id)]
        # (what the cursor it came back with named, and it has not met yet: still to commit)
        rest = [
            event_id for event_id in [*self._rest, *self._named] if event_id not in self._judged
        ]
        return cursor_at(self.newest, [*rest, *queued, *awaited])

    async def alerts(
        self, changes: Mailbox[ClinicNews], resumed: AlertCursor | None, feed: JourneyFeed
    ) -> AsyncGenerator[AsOf, None]:
        """The owner's alerts from the moment of subscribing (or from its cursor, `resumed`),
        each once, with the journey as the alert left it; those missed while the subscriber was
        behind are read back from the log. An alert is the owner's if the journey was theirs
        then: a nudge followed by a reassignment alerts the consultant who was nudged."""
        log_end = await newest_event_id()
        # A replay reads up to where the feed has read, and the feed brings the rest: read up
        # to the log's end, it would pass ids still to commit that the feed has not met yet,
        # which no cursor could name.
        self.newest = feed.events_position()
        # Nothing at or below the floor is news to the subscriber, however late it commits, but
        # for what its cursor names (a cursor from beyond the log, a restored database's, counts
        # from the log's end).
        floor = self.newest
        pending: list[AsOf] = []
        if resumed is not None:
            floor = min(log_end, max(resumed.newest, log_end - AWAY_AT_MOST))
            pending = await self._missed(floor, self.newest, resumed.unsaid)
            self._named = frozenset(resumed.unsaid)
            self.newest = max(self.newest, floor)
        self._floor = floor
        while True:
            for index, (row, event) in enumerate(pending):
                if self._first_time(event.id) and row.consultant_id == self.owner_id:
                    self._rest = [later.id for _, later in pending[index + 1 :]]
                    yield row, event
            self._rest = []
            news = await changes.get()
            if isinstance(news, Resync):
                upto = feed.events_position()
                after = max(floor, self.newest - LATE_BY_AT_MOST)
                pending = await self._missed(after, upto, self._named)
                self.newest = max(self.newest, upto)
            elif isinstance(news, ClinicChange):  # (a `TaskTouched` is no alert)
                self.newest = max(self.newest, news.event_id)
                # (this API's feed may bring what the replay said: a change it had not read yet)
                news_to_it = news.action in ALERTING and self._news(news.event_id)
                pending = await _as_of(news) if news_to_it else []
            else:
                pending = []

    def _news(self, event_id: int) -> bool:
        """Whether an event may be an alert the subscriber has yet to hear."""
        return event_id > self._floor or event_id in self._named

    async def _missed(self, after: int, upto: int, unsaid: Iterable[int] = ()) -> list[AsOf]:
        """The owner's alerts with an id in (`after`, `upto`] or among `unsaid`, oldest first."""
        missed = await missed_alerts(self.clinic_id, self.owner_id, after, upto)
        named = await alerts_among(self.clinic_id, self.owner_id, unsaid)
        return sorted([*named, *missed], key=lambda as_of: as_of[1].id)

    def _first_time(self, event_id: int) -> bool:
        if event_id in self._judged:
            return False
        self._judged[event_id] = None
        if len(self._judged) > REMEMBERED:
            self._judged.popitem(last=False)
        return True


async def _as_of(change: ClinicChange) -> list[AsOf]:
    row, event = await journey_at(change.journey_id, change.seq)
    return [] if event is None else [(row, event)]
