"""`tasksChanged`'s alarm: the open tasks a subscriber told of (or started out knowing) that are
not overdue yet, and one timer for the moment the first of them turns overdue.

A task turns overdue with time alone, no event and no write marking it, so no change feed
brings it; a subscriber's client read it "on time" and, told nothing, showed it so until
something else changed it. Each subscriber keeps its tasks' moments (by the clinic's rules,
`Lateness.late_at`) in a heap and one timer on the server's clock for the earliest, re-armed as
its list changes: the work is one timer and a heap entry per task, however long the list. A
moment read under an allowance the clinic has changed since is read again at the next ring or
change of the list (the lateness is read with each).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from domain.aftercare.tasks import Lateness, TaskKind
from schema.clock import Clock
from schema.mailbox import Mailbox, Resync

T = TypeVar("T")

# The tasks one subscriber's alarm watches at most (as many as its list knows): past them, a
# task turns overdue on its client's list unannounced until it changes.
WATCHED_AT_MOST = 4_000


@dataclass(frozen=True)
class Due:
    """What a task's moment of turning overdue is read from."""

    kind: TaskKind
    due_at: datetime
    label: str | None


class OverdueAlarm:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        # The clinic's rules the moments were read by (`follow`, before any task is watched).
        self._lateness: Lateness | None = None
        self._watched: dict[str, Due] = {}
        # (moment, order of entry, task id, what it was read from): an entry whose task is no
        # longer watched as that is left in place, and skipped when it comes up.
        self._moments: list[tuple[datetime, int, str, Due]] = []
        self._entries = itertools.count()
        self._timer: asyncio.Task[None] | None = None
        self._timer_at: datetime | None = None

    def watch(self, task_id: str, due: Due) -> None:
        """An open task of the list, not overdue yet: said when its moment comes."""
        if self._watched.get(task_id) == due:
            return
        if task_id not in self._watched and len(self._watched) >= WATCHED_AT_MOST:
            return
        self._watched[task_id] = due
        heapq.heappush(self._moments, (self._moment(due), next(self._entries), task_id, due))
        if len(self._moments) > 2 * len(self._watched) + 64:
            self._rebuild()

    def forget(self, task_id: str) -> None:
        """A task done, closed, overdue already or no longer on the list."""
        self._watched.pop(task_id, None)

    def forget_all(self) -> None:
        self._watched.clear()
        self._moments.clear()

    def follow(self, lateness: Lateness) -> None:
        """The clinic's rules as just read: the moments are read again if they changed."""
        if lateness != self._lateness:
            self._lateness = lateness
            self._rebuild()

    def rung(self, now: datetime) -> list[str]:
        """The tasks whose moment is at or before `now`, no longer watched."""
        came: list[str] = []
        while self._moments and self._moments[0][0] <= now:
            _, _, task_id, due = heapq.heappop(self._moments)
            if self._watched.get(task_id) == due:
                del self._watched[task_id]
                came.append(task_id)
        return came

    async def next_of(self, changes: Mailbox[T]) -> T | Resync | None:
        """The mailbox's next change; None when the earliest moment comes first."""
        self._arm()
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

    def _arm(self) -> None:
        earliest = self._earliest()
        if earliest == self._timer_at and self._timer is not None:
            return
        self.close()
        if earliest is not None:
            self._timer = asyncio.ensure_future(self.clock.until(earliest))
            self._timer_at = earliest

    def _earliest(self) -> datetime | None:
        while self._moments:
            moment, _, task_id, due = self._moments[0]
            if self._watched.get(task_id) == due:
                return moment
            heapq.heappop(self._moments)
        return None

    def _moment(self, due: Due) -> datetime:
        if self._lateness is None:
            raise RuntimeError("the clinic's rules are followed before a task is watched")
        return self._lateness.late_at(due.kind, due.due_at, due.label)

    def _rebuild(self) -> None:
        watched = self._watched.items()
        self._moments = [(self._moment(due), next(self._entries), i, due) for i, due in watched]
        heapq.heapify(self._moments)
