"""The shared change feed: journey and desk changes fanned out to live subscribers, whichever
process made them.

Workers write events to the read model; each API process polls once per tick (only while
someone listens): one query for new journey events and, while desks are watched, one for their
board versions, however many subscribers. It wakes the subscribers of what moved, each through
a bounded `Mailbox` (schema.mailbox). A portable change feed for SQLite and PostgreSQL alike.

Each tick reads a window back from the newest event id it has seen: on PostgreSQL, ids are
handed out when a row is inserted but become visible when its transaction commits, so a lower
id can appear after a higher one. Events already delivered are remembered (a bounded set) and
not repeated. When polling starts (again, after an idle spell), what is visible then counts as
delivered: subscribers hear only of what comes after they subscribed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from domain.store.models import Journey, JourneyEvent
from domain.store.triage_models import TriageBoard
from schema.mailbox import Mailbox, Topic

log = logging.getLogger(__name__)

REREAD_WINDOW = 200
REMEMBERED = 10_000
# Wake-ups a subscriber may have waiting before it is told to resync instead.
QUEUE_LIMIT = 64


@dataclass(frozen=True)
class ClinicChange:
    journey_id: str
    seq: int
    action: str


class JourneyFeed:
    def __init__(self, interval_seconds: float = 0.2, queue_limit: int = QUEUE_LIMIT) -> None:
        self.interval = interval_seconds
        self._journeys: Topic[int] = Topic(queue_limit)
        self._clinics: Topic[ClinicChange] = Topic(queue_limit)
        self._desks: Topic[int] = Topic(queue_limit)
        self._desk_versions: dict[str, int] = {}
        self._last_event_id: int | None = None
        self._delivered: OrderedDict[int, None] = OrderedDict()
        self._poller: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()  # two first subscribers start one poller, not two
        self._reading = asyncio.Lock()  # one read at a time: nothing is published twice

    @contextlib.asynccontextmanager
    async def journey(self, journey_id: str) -> AsyncIterator[Mailbox[int]]:
        """The seq of each new event of the journey, from the moment this is entered."""
        with self._journeys.subscribe(journey_id) as box:
            await self._ensure_polling()
            yield box

    @contextlib.asynccontextmanager
    async def clinic(self, clinic_id: str) -> AsyncIterator[Mailbox[ClinicChange]]:
        """Every new event of every journey of the clinic."""
        with self._clinics.subscribe(clinic_id) as box:
            await self._ensure_polling()
            yield box

    @contextlib.asynccontextmanager
    async def desk(self, clinic_id: str) -> AsyncIterator[Mailbox[int]]:
        """The clinic's triage board version, each time the feed sees a new one."""
        with self._desks.subscribe(clinic_id) as box:
            await self._ensure_polling()
            yield box

    def subscribers(self) -> int:
        """How many live subscribers the feed is serving now."""
        topics = (self._journeys, self._clinics, self._desks)
        return sum(len(boxes) for topic in topics for boxes in topic.boxes.values())

    async def close(self) -> None:
        if self._poller:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller

    def _listened(self) -> bool:
        return bool(self._journeys.boxes or self._clinics.boxes or self._desks.boxes)

    async def _ensure_polling(self) -> None:
        async with self._starting:
            if self._poller is None or self._poller.done():
                await self._start_polling()

    async def _start_polling(self) -> None:
        if self._last_event_id is None:
            latest = await JourneyEvent.all().order_by("-id").only("id").first()
            self._last_event_id = latest.id if latest else 0
            # What is visible now counts as delivered: subscribers hear of what comes next.
            window = JourneyEvent.filter(id__gt=max(0, self._last_event_id - REREAD_WINDOW))
            self._remember(int(event.id) for event in await window.only("id"))
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
            self._last_event_id = None
            self._delivered.clear()
            self._desk_versions.clear()

    async def poll_once(self) -> None:
        """One read of the feed, as each tick does."""
        async with self._reading:
            if self._journeys.boxes or self._clinics.boxes:
                await self._journey_events()
            if self._desks.boxes:
                await self._desk_versions_changed()

    async def _journey_events(self) -> None:
        since = max(0, (self._last_event_id or 0) - REREAD_WINDOW)
        rows = (
            await JourneyEvent.filter(id__gt=since)
            .order_by("id")
            .values_list("id", "journey_id", "seq", "action")
        )
        fresh = [row for row in rows if row[0] not in self._delivered]
        if not fresh:
            return
        self._remember(row[0] for row in fresh)
        self._last_event_id = max(self._last_event_id or 0, fresh[-1][0])
        for _, journey_id, seq, _action in fresh:
            self._journeys.publish(journey_id, seq)
        if self._clinics.boxes:
            changed = {row[1] for row in fresh}
            clinic_of = dict(await Journey.filter(id__in=changed).values_list("id", "clinic_id"))
            for _, journey_id, seq, action in fresh:
                change = ClinicChange(journey_id, seq, action)
                self._clinics.publish(clinic_of.get(journey_id, ""), change)

    async def _desk_versions_changed(self) -> None:
        watched = list(self._desks.boxes)
        rows = await TriageBoard.filter(clinic_id__in=watched).values_list("clinic_id", "version")
        for clinic_id, version in rows:
            if self._desk_versions.get(clinic_id) != version:
                self._desk_versions[clinic_id] = version
                self._desks.publish(clinic_id, version)

    def _remember(self, event_ids: Iterable[int]) -> None:
        for event_id in event_ids:
            self._delivered[event_id] = None
        while len(self._delivered) > REMEMBERED:
            self._delivered.popitem(last=False)
