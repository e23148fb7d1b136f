"""Alerts for the journey's owner: a supervisor's nudge or escalation, a stuck or handed-over
journey reaches the consultant it concerns, live.

Alerts are events, not a state the client can read again, so the alerts a subscriber missed are
read back from the journey log (`schema.supervision.log_watch`): those that came while it was
a whole mailbox behind (the feed's RESYNC), from a little below the newest event it had passed
(an event can commit late), and, when it subscribes again with the `cursor` of the last alert it
had, those that came while it was away (the newest 200 at most). Each is said once."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.journey.stuck_reasons import StuckReason
from domain.journey.table import Action
from domain.store.stuck_codes import code_of
from schema.context import Context
from schema.journeys.told import summary_for
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused
from schema.loaders import Loaders
from schema.mailbox import Resync
from schema.supervision.complaint_watch import ComplaintsMoved
from schema.supervision.log_cursor import decode_cursor
from schema.supervision.log_replay import Interest
from schema.supervision.log_watch import LogWatch, Started

ALERTING = frozenset(
    {Action.NUDGE.value, Action.ESCALATE.value, Action.MARK_STUCK.value, Action.REASSIGN.value}
)
CURSOR_TYPE = "JourneyAlert"


@strawberry.type(description="Something about a journey you own that needs your attention.")
class JourneyAlert:
    cursor: strawberry.ID
    action: str
    summary: str
    at: datetime
    journey: Journey
    stuck_reason_code: StuckReason | None = strawberry.field(
        description="With a `mark_stuck` alert, why the journey counts as stuck (the code of "
        "`stuckJourneys`' `reasonCode`; `summary` says it in words); null with any other."
    )


async def my_journey_alerts(
    info: Info[Context, None], after: str | None = None
) -> AsyncGenerator[JourneyAlert, None]:
    claims = info.context.claims
    if claims is None:  # the permission guard refuses it first; kept for direct callers
        raise SubscriptionRefused("sign in first", ErrorCode.NOT_AUTHORIZED)
    keys = info.context.config.signing_keys
    resumed = None if after is None else decode_cursor(after, CURSOR_TYPE, keys)
    if after is not None and resumed is None:
        raise SubscriptionRefused(
            "after: not the cursor of an alert from this API", ErrorCode.VALIDATION_FAILED
        )
    # An alert is the owner's if the journey was theirs then: a nudge followed by a
    # reassignment alerts the consultant who was nudged.
    owner_id = claims.account_id
    interest = Interest(ALERTING, lambda row: row.consultant_id == owner_id)
    watch = LogWatch(claims.clinic_id, CURSOR_TYPE, interest, whole=False)
    feed = info.context.feed
    async with feed.clinic(claims.clinic_id) as changes:
        async for said in watch.events(changes, resumed, feed):
            # (only a `whole` watch is told to read again, only one that asks hears STARTED, and
            # only a board counting complaints hears of them)
            if isinstance(said, Resync | Started | ComplaintsMoved):
                continue
            row, event = said
            stuck = event.action == Action.MARK_STUCK.value
            info.context.loaders = Loaders()  # read afresh for each alert, as the board's
            yield JourneyAlert(
                cursor=strawberry.ID(watch.cursor(feed, changes, keys)),
                action=event.action,
                summary=summary_for(claims.role, event.action, event.summary),
                at=event.at,
                journey=Journey.from_row(row),
                stuck_reason_code=code_of(row) if stuck else None,
            )
