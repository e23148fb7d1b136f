"""Bounded queues for live subscribers: a slow one is told to resync instead of growing.

Each subscriber has a `Mailbox` of at most `limit` items. When one more arrives it is full,
the mailbox drops what it holds and the subscriber's next read answers `RESYNC`: what it
missed is no longer in memory, and it reads the current state again (or tells its client to).
A subscriber's first read of its mailbox is its starting point: whatever it read before (the
state it starts from) is as of then, and whatever comes after, the mailbox brings.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from typing import Final, Generic, TypeVar

T = TypeVar("T")


class Resync:
    """The marker a mailbox answers after it overflowed."""

    def __repr__(self) -> str:
        return "RESYNC"


RESYNC: Final = Resync()


class Mailbox(Generic[T]):
    def __init__(self, limit: int, on_first_read: Callable[[], None] | None = None) -> None:
        """`on_first_read` is called as the subscriber first reads (or waits for) an item."""
        self.limit = limit
        self.read_from = False
        self._on_first_read = on_first_read
        self._items: deque[T] = deque()
        self._overflowed = False
        self._ready = asyncio.Event()

    def __len__(self) -> int:
        return len(self._items)

    def queued(self) -> list[T]:
        """What waits to be read, oldest first (nothing, once it overflowed)."""
        return list(self._items)

    def put(self, item: T) -> None:
        if self._overflowed:
            return  # the subscriber will read the current state anyway
        if len(self._items) >= self.limit:
            self._items.clear()
            self._overflowed = True
        else:
            self._items.append(item)
        self._ready.set()

    def start(self) -> None:
        """Marks the subscriber's starting point, as its first read does (once only): for one
        that tells its client so before it reads (`tasksChanged(announceStart: true)`)."""
        if not self.read_from:
            self.read_from = True
            if self._on_first_read is not None:
                self._on_first_read()

    async def get(self) -> T | Resync:
        self.start()
        while not self._items and not self._overflowed:
            self._ready.clear()
            await self._ready.wait()
        if self._overflowed:
            self._overflowed = False
            return RESYNC
        return self._items.popleft()

    async def get_unless(self, timer: asyncio.Task[None]) -> T | Resync | None:
        """The next item, or None once `timer` is done before one comes (or was done already):
        for a subscriber that also says something at a moment (an overdue task, a complaint)."""
        if timer.done():
            return None
        # A read is cancelled safely: it takes its item only once it has one.
        getting = asyncio.ensure_future(self.get())
        try:
            await asyncio.wait((getting, timer), return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not getting.done():
                getting.cancel()
        return getting.result() if getting.done() else None


class Topic(Generic[T]):
    """The mailboxes of the subscribers to each key (a journey, a clinic)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.boxes: dict[str, set[Mailbox[T]]] = defaultdict(set)

    @contextlib.contextmanager
    def subscribe(
        self, key: str, on_first_read: Callable[[], None] | None = None
    ) -> Iterator[Mailbox[T]]:
        box: Mailbox[T] = Mailbox(self.limit, on_first_read)
        self.boxes[key].add(box)
        try:
            yield box
        finally:
            self.boxes[key].discard(box)
            if not self.boxes[key]:
                del self.boxes[key]

    def publish(self, key: str, item: T) -> None:
        for box in self.boxes.get(key, ()):
            box.put(item)
