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

Subscribed with `complaint_counts` (by a role that may read `journeyStats`' complaint counts; any
other is refused), the board says COMPLAINTS too, each time the clinic's complaint counts may have
moved: a complaint recorded, answered or resolved, or complaints turning overdue with time
(`schema.supervision.complaint_watch`), resumed from its cursors as its journey changes are.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from domain.auth import SigningKeys
from domain.errors import ErrorCode
from domain.permissions import audience
from domain.store.models import Clinic, JourneyEvent
from domain.store.models import Journey as JourneyRow
from domain.store.snapshots import journey_at
from domain.store.stuck_codes import code_of
from schema.context import Context
from schema.feed import ClinicNews
from schema.journeys.types import Journey
from schema.live_errors import SubscriptionRefused, nothing_to_watch
from schema.loaders import Loaders
from schema.mailbox import Mailbox, Resync
from schema.permissions import refusal_message, viewer_role
from schema.supervision.complaint_watch import (
    PLACE_AT_MOST,
    ComplaintPlace,
    ComplaintsMoved,
    ComplaintWatch,
    decode_place,
)
from schema.supervision.log_cursor import LogCursor, decode_cursor
from schema.supervision.log_replay import Interest, newest_event_id
from schema.supervision.log_watch import LogWatch, Started
from schema.supervision.queries import board_stats, visible_clinic
from schema.supervision.types import BoardChange, BoardUpdate

CURSOR_TYPE = "BoardUpdate"
EVERY_CHANGE = Interest(actions=None)
# What a board counting complaints says of them: the counts `journeyStats` gives, so only to those
# who may read those.
COMPLAINT_COUNTS = ("openComplaints", "overdueComplaints")


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


def _refuse_complaints_unless_readable(info: Info[Context, None]) -> None:
    """The complaint counts are `journeyStats`' own: a role that may not read those is refused
    them here too, before anything is said."""
    role = viewer_role(info.context)
    for field in COMPLAINT_COUNTS:
        rule = audience("JourneyStats", field)
        if rule is None or not rule.admits(role):
            message = refusal_message("JourneyStats", field, role)
            raise SubscriptionRefused(f"complaintCounts: {message}", ErrorCode.NOT_AUTHORIZED)


def _resumed(
    after: str | None, keys: SigningKeys
) -> tuple[LogCursor | None, ComplaintPlace | None]:
    """The cursor the board came back with, and its place among the complaints, if it names
    one; a cursor not from the board ends the subscription."""
    if after is None:
        return None, None
    resumed = decode_cursor(after, CURSOR_TYPE, keys, PLACE_AT_MOST)
    place = None if resumed is None or resumed.extra is None else decode_place(resumed.extra)
    if resumed is None or (resumed.extra is not None and place is None):
        raise SubscriptionRefused(
            "after: not the cursor of a board update from this API", ErrorCode.VALIDATION_FAILED
        )
    return resumed, place


async def supervisor_board(
    info: Info[Context, None],
    clinic_id: strawberry.ID,
    after: str | None = None,
    announce_start: bool = False,
    complaint_counts: bool = False,
) -> AsyncGenerator[BoardUpdate, None]:
    if complaint_counts:
        _refuse_complaints_unless_readable(info)
    clinic = await visible_clinic(info, clinic_id)
    if clinic is None:
        raise nothing_to_watch("clinic")
    resumed, place = _resumed(after, info.context.config.signing_keys)
    clock = info.context.config.clock
    complaints = ComplaintWatch(clinic.id, clock, place) if complaint_counts else None
    watch = LogWatch(clinic.id, CURSOR_TYPE, EVERY_CHANGE, whole=True, complaints=complaints)
    feed = info.context.feed
    async with feed.clinic(clinic.id, complaints=complaint_counts) as changes:
        try:
            updates = _updates(info, clinic, watch, changes, resumed, announce_start)
            async with contextlib.aclosing(updates):
                async for update in updates:
                    yield update
        finally:
            if complaints is not None:
                complaints.close()


async def _updates(
    info: Info[Context, None],
    clinic: Clinic,
    watch: LogWatch,
    changes: Mailbox[ClinicNews],
    resumed: LogCursor | None,
    announce_start: bool,
) -> AsyncGenerator[BoardUpdate, None]:
    feed = info.context.feed
    labels = await _labels_now(clinic.id)
    async for said in watch.events(changes, resumed, feed, announce=announce_start):
        cursor = strawberry.ID(watch.cursor(feed, changes, info.context.config.signing_keys))
        code = None
        if isinstance(said, Started):
            kind, journey = BoardChange.STARTED, None
        elif isinstance(said, Resync):
            labels = await _labels_now(clinic.id)
            kind, journey = BoardChange.RESYNC, None
        elif isinstance(said, ComplaintsMoved):
            kind, journey = BoardChange.COMPLAINTS, None
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
            change=kind,
            journey=journey,
            stuck_reason_code=code,
            stats=stats,
            cursor=cursor,
            clinic_id=str(clinic.id),
        )
