"""Fans journey changes out to subscribers, whichever process made them.

Workers write events to the read model; each API process polls the event table once per tick
(only while someone listens) and wakes the subscribers of the journeys that moved. One query per
tick, however many subscribers: a portable change feed for SQLite and PostgreSQL alike.

Each tick reads a window back from the newest id it has seen: on PostgreSQL, ids are handed out
when a row is inserted but become visible when its transaction commits, so a lower id can appear
after a higher one. Events already delivered are remembered (a bounded set) and not repeated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.store.models import Journey, JourneyEvent

log = logging.getLogger(__name__)

REREAD_WINDOW = 200
REMEMBERED = 10_000
T = TypeVar("T")


@dataclass(frozen=True)
class ClinicChange:
    journey_id: str
    seq: int
    action: str


class _Topic(Generic[T]):
    """Queues of the subscribers to one key (a journey, a clinic)."""

    def __init__(self) -> None:
        self.queues: dict[str, set[asyncio.Queue[T]]] = defaultdict(set)

    async def listen(self, key: str) -> AsyncIterator[T]:
        queue: asyncio.Queue[T] = asyncio.Queue()
        self.queues[key].add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self.queues[key].discard(queue)
            if not self.queues[key]:
                del self.queues[key]

    def publish(self, key: str, item: T) -> None:
        for queue in self.queues.get(key, ()):
            queue.put_nowait(item)


class JourneyFeed:
    def __init__(self, interval_seconds: float = 0.2) -> None:
        self.interval = interval_seconds
        self._journeys: _Topic[int] = _Topic()
        self._clinics: _Topic[ClinicChange] = _Topic()
        self._last_event_id: int | None = None
        self._delivered: OrderedDict[int, None] = OrderedDict()
        self._poller: asyncio.Task[None] | None = None

    async def changes(self, journey_id: str) -> AsyncIterator[int]:
        """Yields the journey's event sequence number each time it changes."""
        await self._ensure_polling()
        async for seq in self._journeys.listen(journey_id):
            yield seq

    async def clinic_changes(self, clinic_id: str) -> AsyncIterator[ClinicChange]:
        """Yields every event of every journey of the clinic."""
        await self._ensure_polling()
        async for change in self._clinics.listen(clinic_id):
            yield change

    async def close(self) -> None:
        if self._poller:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller

    async def _ensure_polling(self) -> None:
        if self._last_event_id is None:
            latest = await JourneyEvent.all().order_by("-id").first()
            self._last_event_id = latest.id if latest else 0
            # What is visible now counts as delivered: subscribers hear of what comes next.
            window = JourneyEvent.filter(id__gt=max(0, self._last_event_id - REREAD_WINDOW))
            self._remember(int(event.id) for event in await window.only("id"))
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        while self._journeys.queues or self._clinics.queues:
            try:
                await self._tick()
            except Exception:  # the database may blink; keep serving the subscribers
                log.exception("journey feed poll failed")
            await asyncio.sleep(self.interval)

    async def _tick(self) -> None:
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
        if self._clinics.queues:
            changed = {row[1] for row in fresh}
            clinic_of = dict(await Journey.filter(id__in=changed).values_list("id", "clinic_id"))
            for _, journey_id, seq, action in fresh:
                change = ClinicChange(journey_id, seq, action)
                self._clinics.publish(clinic_of.get(journey_id, ""), change)

    def _remember(self, event_ids: Iterable[int]) -> None:
        for event_id in event_ids:
            self._delivered[event_id] = None
        while len(self._delivered) > REMEMBERED:
            self._delivered.popitem(last=False)
