"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.journey.table import Action
from domain.store.snapshots import journey_at
from schema.context import Context
from schema.feed import ClinicChange
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused

ALERTING = frozenset(
    {Action.NUDGE.value, Action.ESCALATE.value, Action.MARK_STUCK.value, Action.REASSIGN.value}
)


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
        while True:
            change = await changes.get()
            # Behind by a whole mailbox (RESYNC): the missed changes are gone; alerts are
            # reminders, the journeys themselves still show what happened.
            # A task changed without a journey event (TaskTouched) is no alert either.
            if not isinstance(change, ClinicChange) or change.action not in ALERTING:
                continue
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
