"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live.

Alerts are events, not a state the client can read again, so the alerts a subscriber missed are
read back from the journey log: those that came while it was a whole mailbox behind (the feed's
RESYNC), from a little below the newest event it had passed (an event can commit late), and,
when it subscribes again with the `cursor` of the last alert it had, those that came while it
was away. Each is said once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import datetime

import strawberry
from strawberry.types import Info
from tortoise.expressions import Subquery

from domain.errors import ErrorCode
from domain.journey.table import Action
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent
from domain.store.snapshots import journey_as_of, journey_at
from schema.context import Context
from schema.feed import ClinicChange, ClinicNews
from schema.feed_cursor import MAX_GAPS
from schema.ids import decode_id, encode_id, whole_number
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused
from schema.mailbox import Mailbox, Resync

CURSOR_TYPE = "JourneyAlert"
ALERTING = frozenset(
    {Action.NUDGE.value, Action.ESCALATE.value, Action.MARK_STUCK.value, Action.REASSIGN.value}
)

# A replay reads at most this many of the clinic's alerting events, the newest: past that
# (hundreds of nudges while a client was away), the oldest missed are left unsaid.
REPLAY_AT_MOST = 200
# How far below the newest event it passed a fall-behind's replay reads: an event that commits
# late (PostgreSQL) is at most as far behind as the feed waits for one (its gaps).
LATE_BY_AT_MOST = MAX_GAPS
# How far back a returning subscriber's cursor is followed at most, in events of all clinics:
# the replay's read scans the log back from its newest row.
AWAY_AT_MOST = 50_000
# Alerting events a subscriber remembers having judged, so that neither a replay nor the
# mailbox arriving after it says one twice (a replay's 200 are always among them).
REMEMBERED = 2_000

# The journey as an event left it, and that event.
AsOf = tuple[JourneyRow, JourneyEvent]


@strawberry.type(description="Something about a journey you own that needs your attention.")
class JourneyAlert:
    cursor: strawberry.ID
    action: str
    summary: str
    at: datetime
    journey: Journey


def alert_cursor(event_id: int) -> strawberry.ID:
    return strawberry.ID(encode_id(CURSOR_TYPE, str(event_id)))


async def my_journey_alerts(
    info: Info[Context, None], after: str | None = None
) -> AsyncGenerator[JourneyAlert, None]:
    claims = info.context.claims
    if claims is None:  # the permission guard refuses it first; kept for direct callers
        raise SubscriptionRefused("sign in first", ErrorCode.NOT_AUTHORIZED)
    replay_after = None if after is None else whole_number(decode_id(after, CURSOR_TYPE) or "")
    if after is not None and replay_after is None:
        raise SubscriptionRefused(
            "after: not the cursor of an alert from this API", ErrorCode.VALIDATION_FAILED
        )
    async with info.context.feed.clinic(claims.clinic_id) as changes:
        async for row, event in _alerting(changes, claims.clinic_id, replay_after):
            # Whose it was when the event came: a nudge followed by a reassignment alerts the
            # consultant who was nudged, not the one it went to.
            if row.consultant_id != claims.account_id:
                continue
            yield JourneyAlert(
                cursor=alert_cursor(event.id),
                action=event.action,
                summary=event.summary,
                at=event.at,
                journey=Journey.from_row(row),
            )


class _Judged:
    """The alerting events a subscriber has judged (said, or found not its own)."""

    def __init__(self) -> None:
        self._ids: OrderedDict[int, None] = OrderedDict()

    def first_time(self, event_id: int) -> bool:
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        if len(self._ids) > REMEMBERED:
            self._ids.popitem(last=False)
        return True


async def _alerting(
    changes: Mailbox[ClinicNews], clinic_id: str, replay_after: int | None
) -> AsyncIterator[AsOf]:
    """The clinic's alerting events from the moment of subscribing (or after the event
    `replay_after`), each once, with the journey as it left it; those missed while the
    subscriber was behind are read back from the log."""
    newest_row = await JourneyEvent.all().order_by("-id").only("id").first()
    newest = int(newest_row.id) if newest_row else 0
    # Nothing before this is this subscription's news, however late it commits.
    floor = newest if replay_after is None else max(replay_after, newest - AWAY_AT_MOST)
    judged = _Judged()
    news_as_of = [] if replay_after is None else await _missed(clinic_id, floor)
    while True:
        for row, event in news_as_of:
            if judged.first_time(event.id):
                yield row, event
        news = await changes.get()
        if isinstance(news, Resync):
            news_as_of = await _missed(clinic_id, max(floor, newest - LATE_BY_AT_MOST))
        elif isinstance(news, ClinicChange):  # (a `TaskTouched` is no alert)
            newest = max(newest, news.event_id)
            news_as_of = await _as_of(news) if news.action in ALERTING else []
        else:
            news_as_of = []


async def _as_of(change: ClinicChange) -> list[AsOf]:
    row, event = await journey_at(change.journey_id, change.seq)
    return [] if event is None else [(row, event)]


async def _missed(clinic_id: str, after: int) -> list[AsOf]:
    """The clinic's newest alerting events after the event id `after`, oldest first, in two
    queries however many."""
    of_clinic = Subquery(JourneyRow.filter(clinic_id=clinic_id).values("id"))
    newest_first = (
        await JourneyEvent.filter(id__gt=after, action__in=list(ALERTING), journey_id__in=of_clinic)
        .order_by("-id")
        .limit(REPLAY_AT_MOST)
    )
    journeys = {
        row.id: row
        for row in await JourneyRow.filter(id__in={event.journey_id for event in newest_first})
    }
    return [
        (journey_as_of(event, journeys[event.journey_id]), event)
        for event in reversed(newest_first)
        if event.journey_id in journeys
    ]
