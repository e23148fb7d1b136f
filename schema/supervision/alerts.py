"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.journey.table import Action
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent
from schema.context import Context
from schema.journeys.types import Journey

ALERTING = frozenset(
    {Action.NUDGE.value, Action.ESCALATE.value, Action.MARK_STUCK.value, Action.REASSIGN.value}
)


@strawberry.type(description="Something about a journey you own that needs your attention.")
class JourneyAlert:
    action: str
    summary: str
    at: datetime
    journey: Journey


async def my_journey_alerts(info: Info[Context, None]) -> AsyncGenerator[JourneyAlert | None, None]:
    claims = info.context.claims
    if claims is None:
        yield None
        return
    async for change in info.context.feed.clinic_changes(claims.clinic_id):
        if change.action not in ALERTING:
            continue
        row = await JourneyRow.get(id=change.journey_id)
        if row.consultant_id != claims.account_id:
            continue
        event = await JourneyEvent.get(journey_id=change.journey_id, seq=change.seq)
        yield JourneyAlert(
            action=event.action, summary=event.summary, at=event.at, journey=Journey.from_row(row)
        )
