"""Helpers of the live-view tests: a subscription read in the background, and what a
self-consistent journey push looks like."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from schema.feed import JourneyFeed
from tests.api.harness import Api, Subscription, eventually

WAIT = 30.0  # seconds: bounded waits for pushes, generous for a loaded machine

# The journey as of one event: the fields that must agree with each other.
LIVE_JOURNEY = """
subscription Live($id: ID!) {
  journeyChanged(id: $id) {
    id stage lastEventSeq
    history { seq action fromStage toStage }
  }
}
"""


class Pushes:
    """The results of one subscription, read as they come (so the server is never held up by
    the test), one field of each."""

    def __init__(self, stream: Any, field: str) -> None:
        self.field = field
        self._stream = stream
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for result in self._stream:
                self._queue.put_nowait(result[self.field])
        except Exception as error:  # handed to the test by next()
            self._queue.put_nowait(error)

    async def next(self) -> Any:
        item = await asyncio.wait_for(self._queue.get(), timeout=WAIT)
        if isinstance(item, Exception):
            raise item
        return item

    def heard_from(self) -> bool:
        """Whether the stream answered anything (an error included) or ended."""
        return self._reader.done() or not self._queue.empty()

    def waiting(self) -> int:
        """Pushes received and not yet taken."""
        return self._queue.qsize()

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@contextlib.asynccontextmanager
async def reading(
    subscription: AbstractAsyncContextManager[Any], field: str
) -> AsyncIterator[Pushes]:
    """The subscription's pushes, read in the background. Where its server's feed is known,
    this returns once the feed serves it (or it answered or ended first), so that what the
    test does next is heard: a subscription starts with the stream's first read, after the
    test has gone on."""
    feed = subscription.feed if isinstance(subscription, Subscription) else None
    async with subscription as stream:
        served_before = feed.subscribers_ever() if feed else 0
        pushes = Pushes(stream, field)
        try:
            if feed:
                await _until_served(feed, served_before, pushes)
            yield pushes
        finally:
            await pushes.close()


async def _until_served(feed: JourneyFeed, served_before: int, pushes: Pushes) -> None:
    async with asyncio.timeout(WAIT):
        while feed.subscribers_ever() == served_before and not pushes.heard_from():
            await asyncio.sleep(0.01)  # a poll of this process's own counters, bounded above


async def pushed_task_done(watched: Pushes, **match: Any) -> dict[str, Any]:
    """The first task `tasksChanged` pushes DONE whose fields match (other changes of the list
    may come first); bounded by `WAIT` a push."""
    return await pushed_task(watched, status="DONE", **match)


async def pushed_task(watched: Pushes, **match: Any) -> dict[str, Any]:
    """The first task `tasksChanged` pushes whose fields match (other changes of the list may
    come first); bounded by `WAIT` a push."""
    while True:
        task = (await watched.next())["task"]
        if task is not None and all(task[field] == value for field, value in match.items()):
            return task  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def colleague_watching(feed: JourneyFeed, clinic_id: str) -> AsyncIterator[None]:
    """A colleague's screen of the clinic on the feed's API, waiting for news: it keeps the
    feed reading the clinic, and counts among its subscribers once it waits."""
    async with feed.clinic(clinic_id) as news:
        waiting = asyncio.create_task(news.get())
        try:
            yield
        finally:
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting


def subscribers_of(feed: JourneyFeed) -> Callable[[], Awaitable[int]]:
    """For `eventually`: how many subscribers the feed serves now."""

    async def count() -> int:
        return feed.subscribers()

    return count


def assert_self_consistent(push: dict[str, Any]) -> None:
    """The journey as of exactly one event: its stage is where its last event left it."""
    history = push["history"]
    assert [event["seq"] for event in history] == list(range(1, len(history) + 1)), push
    assert push["lastEventSeq"] == history[-1]["seq"], push
    assert push["stage"] == history[-1]["toStage"], push


@dataclass(frozen=True)
class HandFed:
    """An API of the driver's clinic whose feed reads only when the test tells it to."""

    feed: JourneyFeed
    api: Api
    clinic_id: str

    async def watching(self) -> None:
        """Returns once the one subscriber is in, and the feed has read what came before."""
        await eventually(subscribers_of(self.feed), lambda n: n == 1, timeout=WAIT, what="it")
        await self.feed.poll_once()
