"""The supervisor's live board: stuck and unstuck journeys, and the counts, as they change.

Pushed from the shared change feed (schema.feed). A subscriber that falls `QUEUE_LIMIT`
changes behind gets one `RESYNC` update with the counts as they are, and no journey: the
changes it missed are dropped, and the client reads the board again.

Each update carries a cursor (`schema.supervision.log_watch`): subscribing again with the last
one as `after`, a client hears first the changes that came while it was away, each once, and
then the live ones. One away for longer than a replay reaches (more than 200 of the clinic's
changes, or a cursor from beyond the log) gets one `RESYNC` instead.

graphql-transport-ws acknowledges no subscription: a client that reads `stuckJourneys` just
after subscribing may read it before the subscription starts here, and a journey stuck in
between is in neither. Subscribed with `announce_start`, the first update is `STARTED` (the
counts and a cursor, no journey), said once every later change will be: the client reads the
board when it comes.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent
from domain.store.snapshots import journey_at
from domain.store.stuck_codes import code_of
from schema.context import Context
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused, nothing_to_watch
from schema.loaders import Loaders
from schema.mailbox import Resync
from schema.supervision.log_cursor import decode_cursor
from schema.supervision.log_replay import Interest, newest_event_id
from schema.supervision.log_watch import LogWatch, Started
from schema.supervision.queries import board_stats, visible_clinic
from schema.supervision.types import BoardChange, BoardUpdate

CURSOR_TYPE = "BoardUpdate"
EVERY_CHANGE = Interest(actions=None)


async def _labels_now(clinic_id: str) -> _Labels:
    """The clinic's journeys stuck as they stand, and the newest event that may show in that
    (read after them: an event is written with its journey's row, in one transaction)."""
    rows = await JourneyRow.filter(clinic_id=clinic_id, stuck=True).only("id")
    return _Labels({str(row.id) for row in rows}, await newest_event_id())


class _Labels:
    """Which of the clinic's journeys the subscriber was last told are stuck: each change is
    STUCK, UNSTUCK or MOVED against it."""

    def __init__(self, stuck: set[str], read_upto: int) -> None:
        self.stuck = stuck
        # The journeys were read as they stood when the log went up to this event: a change
        # at or below it may be said after that reading, which already shows what it did.
        self._read_upto = read_upto
        self._met: set[str] = set()  # journeys such a change has set right

    async def label(self, row: JourneyRow, event: JourneyEvent, read_back: bool) -> BoardChange:
        if (read_back or event.id <= self._read_upto) and row.id not in self._met:
            # A change from before the subscriber came, or the board was read again (RESYNC),
            # is judged against the journey as the change before it left it, not as it stood
            # when read (by then stuck, or unstuck: a journey marked stuck was said MOVED).
            self._met.add(row.id)
            self.stuck.discard(row.id)
            if event.seq > 1 and (await _journey_before(event)).stuck:
                self.stuck.add(row.id)
        if row.stuck and row.id not in self.stuck:
            self.stuck.add(row.id)
            return BoardChange.STUCK
        if not row.stuck and row.id in self.stuck:
            self.stuck.discard(row.id)
            return BoardChange.UNSTUCK
        return BoardChange.MOVED


async def _journey_before(event: JourneyEvent) -> JourneyRow:
    row, _event = await journey_at(event.journey_id, event.seq - 1)
    return row


async def supervisor_board(
    info: Info[Context, None],
    clinic_id: strawberry.ID,
    after: str | None = None,
    announce_start: bool = False,
) -> AsyncGenerator[BoardUpdate, None]:
    clinic = await visible_clinic(info, clinic_id)
    if clinic is None:
        raise nothing_to_watch("clinic")
    resumed = None if after is None else decode_cursor(after, CURSOR_TYPE)
    if after is not None and resumed is None:
        raise SubscriptionRefused(
            "after: not the cursor of a board update from this API", ErrorCode.VALIDATION_FAILED
        )
    watch = LogWatch(clinic.id, CURSOR_TYPE, EVERY_CHANGE, whole=True)
    feed = info.context.feed
    async with feed.clinic(clinic.id) as changes:
        labels = await _labels_now(clinic.id)
        async for said in watch.events(changes, resumed, feed, announce=announce_start):
            cursor = strawberry.ID(watch.cursor(feed, changes))
            code = None
            if isinstance(said, Started):
                kind, journey = BoardChange.STARTED, None
            elif isinstance(said, Resync):
                labels = await _labels_now(clinic.id)
                kind, journey = BoardChange.RESYNC, None
            else:
                # As the change's event left it: a subscriber behind by two events (stuck, then
                # moved on) is told of each, not twice of where the journey is now.
                row, event = said
                kind = await labels.label(row, event, watch.reading_back)
                # A board is open all day: what its journeys show beside their rows is read
                # afresh for each push, not kept from the first (stale, and never let go).
                info.context.loaders = Loaders()
                journey = Journey.from_row(row)
                code = code_of(row)
            stats = await board_stats(clinic)
            yield BoardUpdate(
                change=kind, journey=journey, stuck_reason_code=code, stats=stats, cursor=cursor
            )
