"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live.

Alerts are events, not a state the client can read again, so the alerts a subscriber missed are
read back from the journey log (`schema.supervision.alert_replay`): those that came while it was
a whole mailbox behind (the feed's RESYNC), from a little below the newest event it had passed
(an event can commit late), and, when it subscribes again with the `cursor` of the last alert it
had, those that came while it was away. Each is said once. A cursor is the newest event the
subscriber had passed when the alert was said, not the alert's own event: on PostgreSQL an
alert can be said after later events, and those would be said again from its own id."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.store.snapshots import journey_at
from schema.context import Context
from schema.feed import ClinicChange, ClinicNews
from schema.feed_cursor import MAX_GAPS
from schema.ids import INTEGER_MAX, decode_id, encode_id, whole_number
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused
from schema.mailbox import Mailbox, Resync
from schema.supervision.alert_replay import (
    ALERTING,
    AWAY_AT_MOST,
    AsOf,
    missed_alerts,
    newest_event_id,
)

CURSOR_TYPE = "JourneyAlert"
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
    # (an event id is a 32-bit integer on PostgreSQL: a larger one would fail the query)
    cursor = decode_id(after or "", CURSOR_TYPE)
    replay_after = None if after is None else whole_number(cursor or "", INTEGER_MAX)
    if after is not None and replay_after is None:
        raise SubscriptionRefused(
            "after: not the cursor of an alert from this API", ErrorCode.VALIDATION_FAILED
        )
    watch = _Watch(claims.clinic_id, claims.account_id)
    async with info.context.feed.clinic(claims.clinic_id) as changes:
        async for row, event in watch.alerts(changes, replay_after):
            yield JourneyAlert(
                cursor=strawberry.ID(encode_id(CURSOR_TYPE, str(watch.newest))),
                action=event.action,
                summary=event.summary,
                at=event.at,
                journey=Journey.from_row(row),
            )


class _Watch:
    """One subscriber's place in its clinic's journey log, and the alerts it has judged."""

    def __init__(self, clinic_id: str, owner_id: str) -> None:
        self.clinic_id, self.owner_id = clinic_id, owner_id
        self.newest = 0  # the newest event passed: every alert up to it was judged
        self._judged: OrderedDict[int, None] = OrderedDict()

    async def alerts(
        self, changes: Mailbox[ClinicNews], replay_after: int | None
    ) -> AsyncGenerator[AsOf, None]:
        """The owner's alerts from the moment of subscribing (or after the event `replay_after`),
        each once, with the journey as the alert left it; those missed while the subscriber was
        behind are read back from the log. An alert is the owner's if the journey was theirs
        then: a nudge followed by a reassignment alerts the consultant who was nudged."""
        self.newest = await newest_event_id()
        # Nothing below this is news to the subscriber, however late it commits (a cursor from
        # beyond the log, a restored database's, counts from the log's end).
        floor = self.newest
        if replay_after is not None:
            floor = min(self.newest, max(replay_after, self.newest - AWAY_AT_MOST))
        pending = await self._missed(floor, self.newest) if replay_after is not None else []
        while True:
            for row, event in pending:
                if self._first_time(event.id) and row.consultant_id == self.owner_id:
                    yield row, event
            news = await changes.get()
            if isinstance(news, Resync):
                upto = await newest_event_id()
                pending = await self._missed(max(floor, self.newest - LATE_BY_AT_MOST), upto)
                self.newest = max(self.newest, upto)
            elif isinstance(news, ClinicChange):  # (a `TaskTouched` is no alert)
                self.newest = max(self.newest, news.event_id)
                pending = await _as_of(news) if news.action in ALERTING else []
            else:
                pending = []

    async def _missed(self, after: int, upto: int) -> list[AsOf]:
        return await missed_alerts(self.clinic_id, self.owner_id, after, upto)

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
