"""The shared change feed: journey and desk changes fanned out to live subscribers, whichever
process made them.

Workers write events to the read model; each API process polls once per tick (only while
someone listens): one query for new journey events and, while desks are watched, one for their
board versions, however many subscribers. It wakes the subscribers of what moved, each through
a bounded `Mailbox` (schema.mailbox). A portable change feed for SQLite and PostgreSQL alike.

Tasks changed outside any journey event (closed by hand, settled by an upload, raised by a
survey) are logged in `task_change`; while clinics are watched, each tick reads that log too and
sends the clinic's subscribers a `TaskTouched`. Those who follow journeys (`ClinicChange`) skip it.
The complaint register's log (`complaint_change`) is read the same way while a clinic's
subscriber asks for it (`clinic(complaints=True)`: the supervisor's board counting complaints),
and each of its rows is sent to those subscribers only, as a `ComplaintTouched`.

Each table is read by id through an `IdCursor` (schema.feed_cursor), which asks again for the
ids it skipped (on PostgreSQL a row can commit after higher ids) and never repeats one. When a
table's reading starts (with its first subscriber, again after a spell no one listened to it),
what is visible then counts as delivered: subscribers hear only of what comes after they
subscribed. An id counts as delivered once everything needed
to send it was read: a read that fails sends it on the next tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from domain.store.aftercare import TaskChangeLog
from domain.store.complaints import ComplaintChange
from domain.store.models import Journey, JourneyEvent
from domain.store.triage_models import TriageBoard
from schema.feed_cursor import START_WINDOW, IdCursor
from schema.mailbox import Mailbox, Topic

log = logging.getLogger(__name__)

# Wake-ups a subscriber may have waiting before it is told to resync instead.
QUEUE_LIMIT = 64
# Rows one tick reads of a table at most: a burst is sent over several ticks, and the clinics
# of one tick's journeys are read in one query of bounded size.
READ_AT_MOST = 1000
# The id-ordered tables the feed reads, each through a cursor of its own.
Table = type[JourneyEvent] | type[TaskChangeLog] | type[ComplaintChange]


@dataclass(frozen=True)
class ClinicChange:
    journey_id: str
    seq: int
    action: str
    event_id: int  # the journey event's row: where a subscriber that fell behind reads from


@dataclass(frozen=True)
class TaskTouched:
    """A task changed with no journey event (closed by hand, settled by an upload)."""

    task_id: str


@dataclass(frozen=True)
class ComplaintTouched:
    """A complaint of the clinic recorded, answered or resolved: its row in `complaint_change`."""

    change_id: int


# What a clinic's subscribers hear: journey events, task changes (for `tasksChanged`), and, for
# those who ask, the complaint register's changes.
ClinicNews = ClinicChange | TaskTouched | ComplaintTouched


class JourneyFeed:
    def __init__(self, interval_seconds: float = 0.2, queue_limit: int = QUEUE_LIMIT) -> None:
        self.interval = interval_seconds
        self._journeys: Topic[int] = Topic(queue_limit)
        self._clinics: Topic[ClinicNews] = Topic(queue_limit)
        self._desks: Topic[int] = Topic(queue_limit)
        self._desk_versions: dict[str, int] = {}
        self._events = IdCursor()
        self._task_changes = IdCursor()
        self._complaint_changes = IdCursor()
        self._cursors: dict[Table, IdCursor] = {
            JourneyEvent: self._events,
            TaskChangeLog: self._task_changes,
            ComplaintChange: self._complaint_changes,
        }
        # The clinics' mailboxes that hear of the complaint register's changes too.
        self._complaint_boxes: set[Mailbox[ClinicNews]] = set()
        self._poller: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()  # two first subscribers start one poller, not two
        self._reading = asyncio.Lock()  # one read at a time: nothing is published twice
        self._served_now = 0
        self._served_ever = 0

    @contextlib.asynccontextmanager
    async def journey(self, journey_id: str) -> AsyncIterator[Mailbox[int]]:
        """The seq of each new event of the journey, from the moment this is entered."""
        with self._journeys.subscribe(journey_id, self._served) as box:
            await self._ensure_polling(JourneyEvent)
            with self._serving(box):
                yield box

    @contextlib.asynccontextmanager
    async def clinic(
        self, clinic_id: str, *, complaints: bool = False
    ) -> AsyncIterator[Mailbox[ClinicNews]]:
        """Every new event of every journey of the clinic, and every task of the clinic changed
        without one (`TaskTouched`); with `complaints`, every change of its complaint register
        too (`ComplaintTouched`)."""
        with self._clinics.subscribe(clinic_id, self._served) as box:
            read: list[Table] = [JourneyEvent, TaskChangeLog]
            if complaints:
                self._complaint_boxes.add(box)
                read.append(ComplaintChange)
            try:
                await self._ensure_polling(*read)
                with self._serving(box):
                    yield box
            finally:
                self._complaint_boxes.discard(box)

    @contextlib.asynccontextmanager
    async def desk(self, clinic_id: str) -> AsyncIterator[Mailbox[int]]:
        """The clinic's triage board version, each time the feed sees a new one."""
        with self._desks.subscribe(clinic_id, self._served) as box:
            await self._ensure_polling()
            with self._serving(box):
                yield box

    def events_position(self) -> int:
        """The newest journey event id the feed has read: what comes after, it brings."""
        return self._events.after()

    def events_awaited(self) -> list[int]:
        """The journey event ids below the newest read that the feed has not seen yet, and
        still awaits (on PostgreSQL, events of transactions not yet committed)."""
        return self._events.gaps()

    def complaints_position(self) -> int:
        """The newest complaint change id the feed has read (while a subscriber asks for them):
        what comes after, it brings."""
        return self._complaint_changes.after()

    def complaints_awaited(self) -> list[int]:
        """The complaint change ids below the newest read that the feed still awaits."""
        return self._complaint_changes.gaps()

    def subscribers(self) -> int:
        """How many live subscribers the feed is serving now: each counts once it first reads
        its mailbox (or marks its start, `Mailbox.start`), its starting point (what it read
        before, the state it starts from, is as of then), so that whatever is written after, it
        hears."""
        return self._served_now

    def subscribers_ever(self) -> int:
        """How many subscribers the feed has started serving since it was made (those gone
        included): a subscription that raised it is in, whatever has closed meanwhile."""
        return self._served_ever

    def _served(self) -> None:
        self._served_now += 1
        self._served_ever += 1

    @contextlib.contextmanager
    def _serving(self, box: Mailbox[Any]) -> Iterator[None]:
        try:
            yield
        finally:
            if box.read_from:
                self._served_now -= 1

    async def close(self) -> None:
        if self._poller:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller

    def _listened(self) -> bool:
        return bool(self._journeys.boxes or self._clinics.boxes or self._desks.boxes)

    async def _ensure_polling(self, *read: Table) -> None:
        """Starts the cursors of the tables the new subscriber reads (from what is visible
        now: it hears of what comes next), and the poller."""
        async with self._starting:
            async with self._reading:  # not while a tick reads, or resets, a cursor
                for table in read:
                    cursor = self._cursors[table]
                    if not cursor.started:
                        await _start(cursor, table)
            if self._poller is None or self._poller.done():
                self._poller = asyncio.create_task(self._poll(), name="journey-feed")

    async def _poll(self) -> None:
        try:
            while self._listened():
                try:
                    await self.poll_once()
                except Exception:  # the database may blink; keep serving the subscribers
                    log.exception("journey feed poll failed")
                await asyncio.sleep(self.interval)
        finally:
            # Idle: whatever happens until the next subscriber is none of its business.
            self._events.reset()
            self._task_changes.reset()
            self._complaint_changes.reset()
            self._desk_versions.clear()

    async def poll_once(self) -> None:
        """One read of the feed, as each tick does. A table no one listens to is not read, and
        its cursor stops: it starts again, from what is visible then, with its next subscriber
        (kept where it stood, a later subscriber was sent what came before it subscribed)."""
        async with self._reading:
            if not (self._journeys.boxes or self._clinics.boxes):
                self._events.reset()
            elif self._events.started:
                await self._journey_events()
            if not self._clinics.boxes:
                self._task_changes.reset()
            elif self._task_changes.started:
                await self._tasks_touched()
            if not self._complaint_boxes:
                self._complaint_changes.reset()
            elif self._complaint_changes.started:
                await self._complaints_touched()
            if self._desks.boxes:
                await self._desk_versions_changed()

    async def _journey_events(self) -> None:
        rows = await _news(JourneyEvent, self._events, "id", "journey_id", "seq", "action")
        unseen = [row for row in rows if self._events.pending(row[0])]
        if not unseen:
            return
        # Read before anything counts as delivered: should it fail, the next tick sends all.
        clinic_of: dict[str, str] = {}
        if self._clinics.boxes:
            changed = {row[1] for row in unseen}
            clinic_of = dict(await Journey.filter(id__in=changed).values_list("id", "clinic_id"))
        self._events.take_fresh(row[0] for row in unseen)
        for event_id, journey_id, seq, action in unseen:
            self._journeys.publish(journey_id, seq)
            if clinic_of:
                change = ClinicChange(journey_id, seq, action, event_id)
                self._clinics.publish(clinic_of.get(journey_id, ""), change)

    async def _tasks_touched(self) -> None:
        rows = await _news(TaskChangeLog, self._task_changes, "id", "clinic_id", "task_id")
        new_ids = self._task_changes.take_fresh(row[0] for row in rows)
        for row_id, clinic_id, task_id in rows:
            if row_id in new_ids:
                self._clinics.publish(clinic_id, TaskTouched(task_id))

    async def _complaints_touched(self) -> None:
        cursor = self._complaint_changes
        rows = await _news(ComplaintChange, cursor, "id", "clinic_id")
        new_ids = cursor.take_fresh(row[0] for row in rows)
        for row_id, clinic_id in rows:
            if row_id in new_ids:
                for box in self._clinics.boxes.get(clinic_id, ()):
                    if box in self._complaint_boxes:
                        box.put(ComplaintTouched(row_id))

    async def _desk_versions_changed(self) -> None:
        watched = list(self._desks.boxes)
        rows = await TriageBoard.filter(clinic_id__in=watched).values_list("clinic_id", "version")
        for clinic_id, version in rows:
            if self._desk_versions.get(clinic_id) != version:
                self._desk_versions[clinic_id] = version
                self._desks.publish(clinic_id, version)


async def _news(table: Table, cursor: IdCursor, *fields: str) -> list[tuple[Any, ...]]:
    """`fields` of the rows past the cursor (at most `READ_AT_MOST`), and of those of its gaps
    that have appeared since, in id order; the first field must be the id."""
    past = table.filter(id__gt=cursor.after()).order_by("id").limit(READ_AT_MOST)
    rows = list(await past.values_list(*fields))
    gaps = cursor.gaps()
    if gaps:  # by primary key, on their own (a query with both scanned SQLite's whole table)
        rows = list(await table.filter(id__in=gaps).values_list(*fields)) + rows
    return sorted(rows, key=lambda row: int(row[0]))


async def _start(cursor: IdCursor, table: Table) -> None:
    latest = await table.all().order_by("-id").only("id").first()
    last_id = int(latest.id) if latest else 0
    window = table.filter(id__gt=max(0, last_id - START_WINDOW))
    cursor.start(last_id, [int(row.id) for row in await window.only("id")])
