"""A clock a test moves by hand, for the server's tasks (`create_app(clock=...)`): what is
overdue now, and `tasksChanged`'s alarm for the next task to turn overdue, without waiting
hours for it."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime


class HandClock:
    """Stands at `at` until the test moves it; `alarms` says which moments are waited for."""

    def __init__(self, at: datetime) -> None:
        self._at = at
        self._moved = asyncio.Event()
        self._waiting: Counter[datetime] = Counter()

    def now(self) -> datetime:
        return self._at

    async def until(self, moment: datetime) -> None:
        self._waiting[moment] += 1
        try:
            while self._at < moment:
                await self._moved.wait()
        finally:
            self._waiting[moment] -= 1
            if not self._waiting[moment]:
                del self._waiting[moment]

    def move_to(self, moment: datetime) -> None:
        """Sets the time (forward), waking whatever waited for a moment it reached."""
        assert moment >= self._at, (moment, self._at)
        self._at = moment
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    async def alarms(self) -> list[datetime]:
        """For `eventually`: each moment waited for, once for each waiter, earliest first."""
        return sorted(self._waiting.elements())
