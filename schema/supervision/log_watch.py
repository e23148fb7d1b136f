"""One live subscriber's place in its clinic's journey log (`myJourneyAlerts`,
`supervisorBoard`), and the events it has judged, so that each push carries a cursor and a
subscriber back with one hears what it missed, once.

Pushes come from the shared change feed (`schema.feed`); what a subscriber missed is read back
from the log (`schema.supervision.log_replay`): when it subscribes again with the cursor of the
last push it had, those that came while it was away, and, for one that hears a selection (the
alerts), those that came while it was a whole mailbox behind (the feed's RESYNC), from a little
below the newest event it had passed (an event can commit late). A subscriber that must hear
every change of the clinic (the board) is told to read again instead (RESYNC) when it fell a
mailbox behind, or comes back having missed more of its clinic's changes than a replay says.
A cursor names the newest event the subscriber had passed when the push was said, not the
push's own event (on PostgreSQL an event can be said after later ones, and those would be said
again from its own id), and the ids at or below it still to be said
(`schema.supervision.log_cursor`). A subscriber that tells its client when it starts
(`supervisorBoard(announceStart: true)`) is said STARTED first, once its starting point is fixed:
every change from then on, it hears. A board counting complaints hears, beside its journey changes,
what moved the complaint counts (`schema.supervision.complaint_watch`), from the same mailbox, and
its cursors carry its place among them."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator, Iterable
from dataclasses import replace
from typing import Final

from domain.auth import SigningKeys
from domain.store.snapshots import journey_at
from schema.feed import ClinicChange, ClinicNews, ComplaintTouched, JourneyFeed
from schema.feed_cursor import MAX_GAPS
from schema.mailbox import RESYNC, Mailbox, Resync
from schema.supervision.complaint_watch import ComplaintsMoved, ComplaintWatch
from schema.supervision.log_cursor import LogCursor, cursor_at
from schema.supervision.log_replay import (
    REPLAY_AT_MOST,
    AsOf,
    Interest,
    events_among,
    missed_events,
    newest_event_id,
)

# How far below the newest event it passed a fall-behind's replay reads: an event that commits
# late (PostgreSQL) is at most as far behind as the feed waits for one (its gaps).
LATE_BY_AT_MOST = MAX_GAPS
# Events a subscriber remembers having judged, so that neither a replay nor the mailbox
# arriving after it says one twice (a replay's are always among them).
REMEMBERED = 4_000


class Started:
    """What `LogWatch.events` says first when asked to: the subscriber's starting point is fixed
    (its mailbox holds every change since it subscribed, and where the feed stood is read)."""

    def __repr__(self) -> str:
        return "STARTED"


STARTED: Final = Started()

# What a subscriber is told, in order: journey events (as they left their journeys) and, for a
# board counting complaints, what moved the counts.
Said = AsOf | ComplaintsMoved


class LogWatch:
    def __init__(
        self,
        clinic_id: str,
        kind: str,
        interest: Interest,
        *,
        whole: bool,
        complaints: ComplaintWatch | None = None,
    ) -> None:
        """`kind`: the type of the pushes, which their cursors carry. `whole`: the subscriber
        must hear of every change it hears of, or read again (RESYNC), never only the newest.
        `complaints`: a board's place among its clinic's complaint changes, said beside the
        journey changes (a `whole` subscriber's, whose mailbox brings them)."""
        self.clinic_id, self.kind, self.interest, self.whole = clinic_id, kind, interest, whole
        self.complaints = complaints
        self.newest = 0  # the newest event passed: every event up to it was judged, but ...
        self._rest: list[int] = []  # ... the rest of the events being said, after this one
        self._floor = 0  # nothing at or below it is news to the subscriber, but ...
        self._named: frozenset[int] = frozenset()  # ... what its cursor named as unsaid
        self._judged: OrderedDict[int, None] = OrderedDict()
        self._came_at = 0  # where the log stood when the subscriber came: no replay reads below
        self.reading_back = False  # whether the event being said was read back from the log
        self._back_with: LogCursor | None = None  # the cursor it came back with, until it hears

    def cursor(self, feed: JourneyFeed, changes: Mailbox[ClinicNews], keys: SigningKeys) -> str:
        """Where the subscriber is as it says a push: the newest event passed, and the ids up
        to it that may still be events it has not judged (the rest of the events being said,
        changes in its mailbox, and events the feed awaits). Before it hears anything of what
        it missed, the cursor it came back with (and its place among the complaints, where that
        cursor named none). With its place among the complaints, for a board counting them.
        Sealed under `keys` (`schema.supervision.log_cursor`)."""
        extra = None if self.complaints is None else self.complaints.place(feed, changes)
        if self._back_with is not None:
            back = self._back_with
            return (back if back.extra is not None else replace(back, extra=extra)).encode(keys)
        queued = [
            news.event_id
            for news in changes.queued()
            if isinstance(news, ClinicChange) and self.interest.hears_of(news.action)
        ]
        awaited = [event_id for event_id in feed.events_awaited() if self._news(event_id)]
        # (what the cursor it came back with named, and it has not met yet: still to commit)
        rest = [
            event_id for event_id in [*self._rest, *self._named] if event_id not in self._judged
        ]
        return cursor_at(self.kind, self.newest, [*rest, *queued, *awaited], extra).encode(keys)

    async def events(
        self,
        changes: Mailbox[ClinicNews],
        resumed: LogCursor | None,
        feed: JourneyFeed,
        *,
        announce: bool = False,
    ) -> AsyncGenerator[Said | Resync | Started, None]:
        """The events the subscriber hears of from the moment of subscribing (or from its
        cursor, `resumed`), each once, with the journey as the event left it; RESYNC where a
        `whole` subscriber must read again. With `announce`, STARTED first, once where it
        starts is fixed: what it read before then may miss a change, what it reads after not."""
        pending: list[Said] | Resync = await self._start(resumed, feed)
        if announce:
            # The mailbox brings every change since it subscribed, and the feed's position is
            # read: a change from now on is said (its cursor, the one it came back with, if any).
            self._back_with = resumed
            changes.start()
            yield STARTED
            self._back_with = None
        if pending is RESYNC:
            yield RESYNC
        while True:
            if not isinstance(pending, Resync):
                for index, said in enumerate(pending):
                    later = pending[index + 1 :]
                    if isinstance(said, ComplaintsMoved):
                        if self.complaints is not None and self.complaints.saying(said, later):
                            yield said
                        continue
                    row, event = said
                    if self._first_time(event.id) and self.interest.concerns(row):
                        self._rest = [each[1].id for each in later if isinstance(each, tuple)]
                        yield row, event
            self._rest, self.reading_back = [], False
            if self.complaints is not None:
                self.complaints.said_all()
            news = await self._next(changes)
            if news is None and self.complaints is not None:  # (its timer rang)
                rung = await self.complaints.rung()
                if not isinstance(rung, Resync):
                    pending = list(rung)
                    continue
                news = rung
            if isinstance(news, Resync) and self.whole:
                self.newest = max(self.newest, feed.events_position())
                if self.complaints is not None:
                    self.complaints.resync(feed)
                yield RESYNC
                pending = []
            elif isinstance(news, Resync):
                upto = feed.events_position()
                after = max(self._came_at, self.newest - LATE_BY_AT_MOST)
                pending = list(await self._fell_behind(after, upto))
                self.newest = max(self.newest, upto)
            elif isinstance(news, ClinicChange):  # (a `TaskTouched` is no journey event)
                self.newest = max(self.newest, news.event_id)
                # (this API's feed may bring what the replay said: a change it had not read yet)
                heard = self.interest.hears_of(news.action) and self._news(news.event_id)
                pending = list(await _as_of(news)) if heard else []
            elif isinstance(news, ComplaintTouched) and self.complaints is not None:
                pending = list(self.complaints.heard(news))
            else:
                pending = []

    async def _next(self, changes: Mailbox[ClinicNews]) -> ClinicNews | Resync | None:
        """The mailbox's next change; None when the complaints' timer rings first."""
        if self.complaints is None:
            return await changes.get()
        return await self.complaints.next_of(changes)

    async def _start(self, resumed: LogCursor | None, feed: JourneyFeed) -> list[Said] | Resync:
        """Where the subscriber starts, and what it hears first: what it missed, journeys and
        then complaints (RESYNC for a `whole` one that missed more than a replay reaches of
        either: it reads the whole board again)."""
        journeys = await self._start_in_log(resumed, feed)
        if self.complaints is None:
            return journeys if isinstance(journeys, Resync) else list(journeys)
        moved = await self.complaints.start(feed)
        if isinstance(journeys, Resync) or isinstance(moved, Resync):
            self._floor, self.reading_back = 0, False
            self.complaints.resync(feed)
            return RESYNC
        return [*journeys, *moved]

    async def _start_in_log(
        self, resumed: LogCursor | None, feed: JourneyFeed
    ) -> list[AsOf] | Resync:
        """Where the subscriber starts in the journey log, and what it missed there."""
        log_end = await newest_event_id()
        # A replay reads up to where the feed has read, and the feed brings the rest: read up
        # to the log's end, it would pass ids still to commit that the feed has not met yet,
        # which no cursor could name.
        self.newest = self._came_at = feed.events_position()
        if resumed is None:
            # All the mailbox brings came after it subscribed: news to it, even an event the
            # feed read between the subscription and this reading of its position.
            self._floor = 0
            return []
        # Nothing at or below the floor is news to the subscriber, however late it commits, but
        # for what its cursor names (a cursor from beyond the log, a restored database's, counts
        # from the log's end). However far back, the replay reads the clinic's events only, and
        # a bounded number of them (`log_replay`).
        floor = min(log_end, resumed.newest)
        at_most = REPLAY_AT_MOST + 1 if self.whole else REPLAY_AT_MOST
        pending = await self._missed(floor, self.newest, resumed.unsaid, at_most)
        missed_too_much = len(pending) > REPLAY_AT_MOST or resumed.left_out
        if self.whole and (floor != resumed.newest or missed_too_much):
            self._floor = 0
            return RESYNC
        self._named = frozenset(resumed.unsaid)
        self.newest, self._floor = max(self.newest, floor), floor
        self._came_at = floor
        self.reading_back = True
        return pending

    def _news(self, event_id: int) -> bool:
        """Whether an event may be one the subscriber has yet to hear of."""
        return event_id > self._floor or event_id in self._named

    async def _missed(
        self, after: int, upto: int, unsaid: Iterable[int], at_most: int = REPLAY_AT_MOST
    ) -> list[AsOf]:
        """The events with an id in (`after`, `upto`] or among `unsaid`, oldest first."""
        missed = await missed_events(self.clinic_id, self.interest, after, upto, at_most)
        named = await events_among(self.clinic_id, self.interest, unsaid)
        return sorted([*named, *missed], key=lambda as_of: as_of[1].id)

    async def _fell_behind(self, after: int, upto: int) -> list[AsOf]:
        """What a subscriber that fell a mailbox behind missed: the newest `REPLAY_AT_MOST` events
        with an id in (`after`, `upto`] it has not judged, and those its cursor named. Those it
        judged are skipped in the log, neither read whole nor judged again, and take no place
        (the newest 200, whether said or not, left out an older one missed, committed late)."""
        judged = {event_id for event_id in self._judged if after < event_id <= upto}
        unjudged = await missed_events(
            self.clinic_id, self.interest, after, upto, REPLAY_AT_MOST, skipped=judged
        )
        named = await events_among(self.clinic_id, self.interest, self._named)
        return sorted([*named, *unjudged], key=lambda as_of: as_of[1].id)

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
