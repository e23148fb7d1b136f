"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live.

Alerts are events, not a state the client can read again, so a subscriber that fell a whole
mailbox behind (the feed's RESYNC) is not left without the alerts it missed: they are read back
from the journey log, after the newest event it had passed, and each is said once."""

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
from domain.store.snapshots import journey_at
from schema.context import Context
from schema.feed import ClinicChange, ClinicNews
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused
from schema.mailbox import Mailbox, Resync

ALERTING = frozenset(
    {Action.NUDGE.value, Action.ESCALATE.value, Action.MARK_STUCK.value, Action.REASSIGN.value}
)
# A fall-behind's replay reads the clinic's alerting events in pages, and at most this many:
# past that (hundreds of nudges within a moment) the oldest missed are the ones left unsaid.
REPLAY_PAGE = 100
REPLAY_AT_MOST = 500
# Events a subscriber remembers having passed, so that neither a replay nor the mailbox
# arriving after it says one twice.
REMEMBERED = 2_000


@strawberry.type(description="Something about a journey you own that needs your attention.")
class JourneyAlert:
    action: str
    summary: str
    at: datetime
    journey: Journey


async def my_journey_alerts(info: Info[Context, None]) -> AsyncGenerator[JourneyAlert, None]:
    claims = info.context.claims
    if claims is None:  # the permission guard refuses it first; kept for direct callers
        raise SubscriptionRefused("sign in first", ErrorCode.NOT_AUTHORIZED)
    async with info.context.feed.clinic(claims.clinic_id) as changes:
        async for change in _alerting(changes, claims.clinic_id):
            # Whose it was when the event came: a nudge followed by a reassignment alerts the
            # consultant who was nudged, not the one it went to.
            row, event = await journey_at(change.journey_id, change.seq)
            if event is None or row.consultant_id != claims.account_id:
                continue
            yield JourneyAlert(
                action=event.action,
                summary=event.summary,
                at=event.at,
                journey=Journey.from_row(row),
            )


class _Passed:
    """The journey events a subscriber has gone past, newest first remembered."""

    def __init__(self, newest: int) -> None:
        self.newest = newest
        self._ids: OrderedDict[int, None] = OrderedDict()

    def first_time(self, event_id: int) -> bool:
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        if len(self._ids) > REMEMBERED:
            self._ids.popitem(last=False)
        self.newest = max(self.newest, event_id)
        return True


async def _alerting(changes: Mailbox[ClinicNews], clinic_id: str) -> AsyncIterator[ClinicChange]:
    """The clinic's alerting changes from the moment of subscribing, each once, those missed
    while the subscriber was a mailbox behind included."""
    newest = await JourneyEvent.all().order_by("-id").only("id").first()
    passed = _Passed(int(newest.id) if newest else 0)
    while True:
        news = await changes.get()
        # (a task changed without a journey event, `TaskTouched`, is no alert)
        if isinstance(news, Resync):
            fresh = [
                c for c in await _missed(clinic_id, passed.newest) if passed.first_time(c.event_id)
            ]
        elif isinstance(news, ClinicChange) and passed.first_time(news.event_id):
            fresh = [news] if news.action in ALERTING else []  # passed all the same
        else:
            fresh = []
        for change in fresh:
            yield change


async def _missed(clinic_id: str, after: int) -> list[ClinicChange]:
    """The clinic's alerting events after the event id `after`, oldest first."""
    of_clinic = Subquery(JourneyRow.filter(clinic_id=clinic_id).values("id"))
    missed: list[ClinicChange] = []
    while len(missed) < REPLAY_AT_MOST:
        rows = (
            await JourneyEvent.filter(
                id__gt=after, action__in=list(ALERTING), journey_id__in=of_clinic
            )
            .order_by("id")
            .limit(REPLAY_PAGE)
            .values_list("id", "journey_id", "seq", "action")
        )
        missed += [
            ClinicChange(journey, seq, action, row_id) for row_id, journey, seq, action in rows
        ]
        if len(rows) < REPLAY_PAGE:
            break
        after = rows[-1][0]
    return missed
