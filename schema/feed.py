"""Fans journey changes out to subscribers, whichever process made them.

Workers write events to the read model; each API process polls the event table once per tick
(only while someone listens) and wakes the subscribers of the journeys that moved. One query per
tick, however many subscribers: a portable change feed for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator

from domain.store.models import Journey, JourneyEvent

log = logging.getLogger(__name__)


class JourneyFeed:
    def __init__(self, interval_seconds: float = 0.2) -> None:
        self.interval = interval_seconds
        self._listeners: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._clinic_listeners: dict[str, set[asyncio.Queue[str]]] = defaultdict(set)
        self._last_event_id: int | None = None
        self._poller: asyncio.Task[None] | None = None

    async def changes(self, journey_id: str) -> AsyncIterator[int]:
        """Yields the journey's event sequence number each time it changes."""
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._listeners[journey_id].add(queue)
        await self._ensure_polling()
        try:
            while True:
                yield await queue.get()
        finally:
            self._listeners[journey_id].discard(queue)
            if not self._listeners[journey_id]:
                del self._listeners[journey_id]

    async def clinic_changes(self, clinic_id: str) -> AsyncIterator[str]:
        """Yields the id of each journey of the clinic that changes."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._clinic_listeners[clinic_id].add(queue)
        await self._ensure_polling()
        try:
            while True:
                yield await queue.get()
        finally:
            self._clinic_listeners[clinic_id].discard(queue)
            if not self._clinic_listeners[clinic_id]:
                del self._clinic_listeners[clinic_id]

    async def close(self) -> None:
        if self._poller:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller

    async def _ensure_polling(self) -> None:
        if self._last_event_id is None:
            latest = await JourneyEvent.all().order_by("-id").first()
            self._last_event_id = latest.id if latest else 0
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        while self._listeners or self._clinic_listeners:
            try:
                await self._tick()
            except Exception:  # the database may blink; keep serving the subscribers
                log.exception("journey feed poll failed")
            await asyncio.sleep(self.interval)

    async def _tick(self) -> None:
        rows = (
            await JourneyEvent.filter(id__gt=self._last_event_id or 0)
            .order_by("id")
            .values_list("id", "journey_id", "seq")
        )
        for event_id, journey_id, seq in rows:
            self._last_event_id = event_id
            for queue in self._listeners.get(journey_id, ()):
                queue.put_nowait(seq)
        if rows and self._clinic_listeners:
            changed = {journey_id for _, journey_id, _ in rows}
            clinics = await Journey.filter(id__in=changed).values_list("id", "clinic_id")
            for journey_id, clinic_id in clinics:
                for clinic_queue in self._clinic_listeners.get(clinic_id, ()):
                    clinic_queue.put_nowait(journey_id)
