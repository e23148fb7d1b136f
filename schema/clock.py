"""The server's clock for what turns with time on a live view: which tasks are overdue now
(`myTasks(overdue:)`) and when `tasksChanged` next says one turned overdue. One clock per app
(`create_app(clock=...)`), so a list read and a push agree on what "now" is; the wall clock
unless a test moves one by hand."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol

# The longest one sleep of the wall clock lasts: a sleep counts on the event loop's monotonic
# clock, so a wall clock set forward or back is followed within this long.
LONGEST_SLEEP_SECONDS = 3600.0


class Clock(Protocol):
    def now(self) -> datetime:
        """The time now, timezone-aware."""
        ...

    async def until(self, moment: datetime) -> None:
        """Returns once `now()` is at or past `moment`."""
        ...


class WallClock:
    """The system's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def until(self, moment: datetime) -> None:
        while (left := (moment - self.now()).total_seconds()) > 0:
            await asyncio.sleep(min(left, LONGEST_SLEEP_SECONDS))
