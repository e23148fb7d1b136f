"""The supervisor's board's place in its clinic's complaint register
(`supervisorBoard(complaintCounts: true)`): what moved the complaint counts, each said once as a
COMPLAINTS update, and resumed from the board's cursor as its journey changes are.

Two things move the counts. A complaint recorded, answered or resolved is a row of the register's
log (`complaint_change`, written with it), brought by the shared feed (`ComplaintTouched`) and
read back from the log for a board that was away, as journey events are
(`schema.supervision.log_watch`). A complaint turning overdue is the clock passing its first
answer's due time, which no row marks: each board keeps one timer on the server's clock
(`schema.clock`) for the earliest due time of the clinic's complaints still unanswered, read
again whenever a complaint changes or the timer rings, and says each moment once
(`domain.store.complaint_changes.turned_overdue`). One timer per board, however many complaints.

The cursor's part (`ComplaintPlace`, after the `|` of the board's cursor) names the newest change
the board passed, the changes at or below it still to say (in its mailbox, awaited by the feed,
the rest of a replay), and the moment up to which it said complaints turning overdue. While what
a board back with a cursor missed is said (its journeys' changes first, then its complaints'),
it names instead the newest change said of it, the place it came back with at first. A board back
with it hears the changes and moments it missed, each once; with a cursor without one (an earlier
release's, or a board that did not count complaints), it hears of them from then on.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.store.complaint_changes import (
    changes_missed,
    newest_change_id,
    next_turn,
    turned_overdue,
)
from schema.clock import Clock
from schema.feed import ClinicNews, ComplaintTouched, JourneyFeed
from schema.ids import INTEGER_MAX, whole_number
from schema.mailbox import RESYNC, Mailbox, Resync
from schema.supervision.log_replay import REPLAY_AT_MOST

# Changes at or below the newest a cursor names at most: they are few (a clinic's complaints
# come a few a day), and the board's cursor stays near a kilobyte.
MOST_UNSAID = 16
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST_MICROS = (datetime(9999, 12, 31, tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)
# The longest text of a place: its ids (each up to 10 digits, and a dot) and its moment.
PLACE_AT_MOST = (MOST_UNSAID + 1) * 11 + 1 + len(str(_LATEST_MICROS))
# Changes a board remembers having said, so that neither a replay nor the mailbox after it says
# one twice.
REMEMBERED = 1_000


@dataclass(frozen=True)
class ComplaintsMoved:
    """A COMPLAINTS update to say: a change of the register (`change_id`), or, without one, the
    moment `at` complaints turned overdue."""

    at: datetime
    change_id: int | None = None


@dataclass(frozen=True)
class ComplaintPlace:
    newest: int  # the newest change passed: every change up to it was judged, but for ...
    unsaid: tuple[int, ...]  # ... these, still to say
    upto: datetime  # every moment a complaint turned overdue at or before it was said

    def encode(self) -> str:
        ids = ".".join(str(change_id) for change_id in (self.newest, *self.unsaid))
        return f"{ids}|{(self.upto - _EPOCH) // timedelta(microseconds=1)}"


def decode_place(text: str) -> ComplaintPlace | None:
    """The place a board's cursor carried after its `|`; None for anything else."""
    ids, bar, moment = text.partition("|")
    parts = ids.split(".")
    if not bar or len(parts) > MOST_UNSAID + 1:
        return None
    numbers = [whole_number(part, INTEGER_MAX) for part in parts]
    micros = whole_number(moment, _LATEST_MICROS)
    if micros is None or any(number is None for number in numbers):
        return None
    newest, *unsaid = (int(number or 0) for number in numbers)
    if any(change_id > newest for change_id in unsaid):
        return None
    return ComplaintPlace(newest, tuple(unsaid), _EPOCH + timedelta(microseconds=micros))


class ComplaintWatch:
    def __init__(self, clinic_id: str, clock: Clock, resumed: ComplaintPlace | None) -> None:
        """`resumed`: the place the board's cursor named, when it came back with one."""
        self.clinic_id, self.clock, self.resumed = clinic_id, clock, resumed
        self.newest = 0
        self.upto = clock.now()
        self._floor = 0  # no change at or below it is news to the board, but ...
        self._named: frozenset[int] = frozenset()  # ... those its cursor named as unsaid
        self._judged: OrderedDict[int, None] = OrderedDict()
        self._rest: list[int] = []  # the changes still to say of those being said
        # While what the board missed is said: the newest change said of it (at first, the place
        # it came back with), the cursor's newest until all of it is said.
        self._back_at: int | None = None
        self._read_at: datetime | None = None  # where `upto` goes once they are said
        self._rearm = True  # the timer's moment is to be read again
        self._timer: asyncio.Task[None] | None = None
        self._timer_at: datetime | None = None

    async def start(self, feed: JourneyFeed) -> list[ComplaintsMoved] | Resync:
        """What the board hears first: what it missed since its cursor's place, oldest first
        (RESYNC past what a replay says, or for a place beyond the log)."""
        now, resumed = self.clock.now(), self.resumed
        self.newest = feed.complaints_position()
        if resumed is None:
            self.upto = now
            return []
        floor = min(await newest_change_id(), resumed.newest)
        missed = await changes_missed(
            self.clinic_id, floor, self.newest, resumed.unsaid, REPLAY_AT_MOST + 1
        )
        turns = await turned_overdue(self.clinic_id, resumed.upto, now)
        if floor != resumed.newest or turns is None or len(missed) + len(turns) > REPLAY_AT_MOST:
            self.resync(feed)
            return RESYNC
        self._named = frozenset(resumed.unsaid)
        self.newest, self._floor, self._back_at = max(self.newest, floor), floor, floor
        self.upto, self._read_at = resumed.upto, now
        said = [ComplaintsMoved(row.at, row.id) for row in missed]
        # (by time: a change and the moment after it, as the board would have heard them)
        return sorted([*said, *(ComplaintsMoved(moment) for moment in turns)], key=_when)

    def resync(self, feed: JourneyFeed) -> None:
        """The board reads everything again (RESYNC): what came before is no news to it."""
        self.newest = max(self.newest, feed.complaints_position())
        self.upto = max(self.upto, self.clock.now())
        self._floor, self._read_at, self._rearm = 0, None, True
        self._back_at = None

    def heard(self, news: ComplaintTouched) -> list[ComplaintsMoved]:
        """A change the feed brought: to say, unless the board heard it already."""
        self.newest = max(self.newest, news.change_id)
        if news.change_id <= self._floor and news.change_id not in self._named:
            return []
        return [ComplaintsMoved(self.clock.now(), news.change_id)]

    async def rung(self) -> list[ComplaintsMoved] | Resync:
        """The timer rang: the moments complaints turned overdue since those said."""
        now = self.clock.now()
        self._rearm = True
        turns = await turned_overdue(self.clinic_id, self.upto, now)
        if turns is None:
            return RESYNC
        self._read_at = now
        return [ComplaintsMoved(moment) for moment in turns]

    def saying(self, said: ComplaintsMoved, later: Sequence[object]) -> bool:
        """Whether to say it (not a change said before), and the cursor from then on names those
        `later` as still to say."""
        if said.change_id is None:
            self.upto = max(self.upto, said.at)
        elif said.change_id in self._judged:
            return False
        else:
            self._judged[said.change_id] = None
            if self._back_at is not None:
                self._back_at = max(self._back_at, said.change_id)
            if len(self._judged) > REMEMBERED:
                self._judged.popitem(last=False)
            self._rearm = True
        self._rest = [
            each.change_id
            for each in later
            if isinstance(each, ComplaintsMoved) and each.change_id is not None
        ]
        return True

    def said_all(self) -> None:
        """What was being said is said: every moment up to where it was read, too."""
        self._rest, self._back_at = [], None
        if self._read_at is not None:
            self.upto, self._read_at = max(self.upto, self._read_at), None

    def place(self, feed: JourneyFeed, changes: Mailbox[ClinicNews]) -> str:
        """The board's place as it says an update, for its cursor. While what it missed is said
        (after its journeys' changes), it names the newest change it said of it, not the newest
        passed: the changes above still to say are read again from the log by a board back with
        the cursor, not named one by one (a replay's would be more than a cursor names)."""
        newest = self.newest if self._back_at is None else self._back_at
        queued = [news.change_id for news in changes.queued() if isinstance(news, ComplaintTouched)]
        ids = [*self._rest, *self._named, *queued, *feed.complaints_awaited()]
        unsaid = {i for i in ids if i <= newest and i not in self._judged}
        kept = tuple(sorted(unsaid)[-MOST_UNSAID:])
        return ComplaintPlace(newest, kept, self.upto).encode()

    async def next_of(self, changes: Mailbox[ClinicNews]) -> ClinicNews | Resync | None:
        """The mailbox's next change; None when the timer rings first."""
        if self._rearm:
            self._rearm = False
            self._arm(await next_turn(self.clinic_id, self.upto))
        if self._timer is None:
            return await changes.get()
        told = await changes.get_unless(self._timer)
        if told is None:
            self._timer, self._timer_at = None, None
        return told

    def close(self) -> None:
        """Ends the timer, with the subscription."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._timer_at = None, None

    def _arm(self, moment: datetime | None) -> None:
        if moment == self._timer_at and self._timer is not None:
            return
        self.close()
        if moment is not None:
            self._timer, self._timer_at = asyncio.ensure_future(self.clock.until(moment)), moment


def _when(said: ComplaintsMoved) -> tuple[datetime, int]:
    return said.at, 0 if said.change_id is not None else 1
