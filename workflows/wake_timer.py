"""The journey's one timer for its next moment (an SLA breach, a follow-up falling due), kept
running across steps when it can be.

Each step may move that moment. Cancelling the running timer and starting another would cost two
commands and two history events on every step, which is most of what a step writes beyond the
update itself. A timer that fires before the moment costs one empty wake-up instead (the journey
finds nothing due and arms again), and journeys mostly move on long before their SLA. So the
running timer is kept whenever it fires no later than the new moment, and replaced only when the
new moment is earlier.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow

# A moment already past still gets a real timer: it fires at once rather than never.
SHORTEST = timedelta(seconds=1)


class WakeTimer:
    """At most one running timer, and the moment it fires."""

    def __init__(self) -> None:
        self._sleeping: asyncio.Task[None] | None = None
        self._fires_at: datetime | None = None

    def arm(self, moment: datetime | None) -> None:
        """Makes sure the journey wakes no later than `moment` (None: nothing to wake for).
        A running timer that fires first is kept; the wake-up it brings finds nothing due."""
        if moment is None:
            return  # a running timer fires once for nothing rather than costing a cancel
        fires_at = max(moment, workflow.now() + SHORTEST)
        sleeping = self._sleeping
        if sleeping is not None and not sleeping.done():
            if self._fires_at is not None and self._fires_at <= fires_at:
                return
            sleeping.cancel()
        self._fires_at = fires_at
        self._sleeping = asyncio.create_task(workflow.sleep(fires_at - workflow.now()))

    def stop(self) -> None:
        """Cancels a running timer: a journey that ends leaves none running behind it, as
        before the patch (its last task cancelled the wait's timer)."""
        if self._sleeping is not None and not self._sleeping.done():
            self._sleeping.cancel()
        self._sleeping = self._fires_at = None

    @property
    def fired(self) -> bool:
        sleeping = self._sleeping
        return sleeping is not None and sleeping.done() and not sleeping.cancelled()

    def take_fired(self) -> bool:
        """Whether the timer has fired since last asked; a fired timer is asked only once."""
        if not self.fired:
            return False
        self._sleeping = None
        self._fires_at = None
        return True
