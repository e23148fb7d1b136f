"""Admission for updates sent to one workflow: callers past a limit wait their turn, or retry.

Temporal accepts at most 10 in-flight updates per workflow (``history.maxInFlightUpdates``) and
refuses the next with RESOURCE_EXHAUSTED. Two layers keep a crowd of callers from hearing that:

- In this process, `UpdateSlots` lets at most a few updates per workflow go at once; the rest
  wait, first come first served (an asyncio semaphore per workflow id, dropped once idle, so a
  process that touches millions of journeys keeps only the ones being updated).
- Several processes share one workflow, so their sum can still pass the limit:
  `retry_while_refused` sends a refused update again after a bounded exponential back-off (with
  jitter, so processes do not retry in step), for up to a budget of seconds.

The SDK already retries a few times; these retries go on where it stops. Sending an update again
with the same update id is safe: one that was refused never ran, and one that ran answers the
retry with its first outcome.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from temporalio.service import RPCError, RPCStatusCode

from workflows.backoff import Backoff

log = logging.getLogger(__name__)

T = TypeVar("T")

# Only a refusal for now: the update never reached the workflow and may be sent again.
REFUSED_FOR_NOW = frozenset({RPCStatusCode.RESOURCE_EXHAUSTED})
RETRY_BACKOFF = Backoff(first=0.05, ceiling=2.0)
# Steps of one API process on one journey sent at once (the setting
# GLOWPATH_JOURNEY_UPDATES_IN_FLIGHT). Past Temporal's 10, refused updates and the workflow
# tasks the server then drops can make a journey apply its steps in another order than the
# read-model writes of the dropped tasks had (see the README): so API processes x this stay at
# 8 or below, room left for the desk's hand-overs. Staff never send two steps to one journey at
# once; a client firing a journey's mutations by the dozen waits its turn instead.
DEFAULT_JOURNEY_IN_FLIGHT = 2


@dataclass
class _Queue:
    slots: asyncio.Semaphore
    users: int = 0


@dataclass
class UpdateSlots:
    """At most ``in_flight`` updates of this process on any one workflow at a time."""

    in_flight: int
    _queues: dict[str, _Queue] = field(default_factory=dict, repr=False)

    @asynccontextmanager
    async def turn(self, workflow_id: str) -> AsyncIterator[None]:
        """Waits until fewer than ``in_flight`` updates of this process are on the workflow."""
        queue = self._queues.get(workflow_id)
        if queue is None:
            queue = self._queues[workflow_id] = _Queue(asyncio.Semaphore(self.in_flight))
        queue.users += 1
        try:
            async with queue.slots:
                yield
        finally:
            queue.users -= 1
            if queue.users == 0:
                del self._queues[workflow_id]

    @property
    def workflows(self) -> int:
        """Workflows with an update of this process sent or waiting (for tests and metrics)."""
        return len(self._queues)


async def retry_while_refused(
    send: Callable[[], Awaitable[T]],
    workflow_id: str,
    *,
    budget: float,
    retried: frozenset[RPCStatusCode] = REFUSED_FOR_NOW,
    backoff: Backoff = RETRY_BACKOFF,
) -> T:
    """``send()``, again after a pause each time Temporal answers one of ``retried``, until
    ``budget`` seconds have passed (then the last refusal is raised)."""
    delays = backoff.delays()
    give_up_at = time.monotonic() + budget
    while True:
        try:
            return await send()
        except RPCError as error:
            if error.status not in retried:
                raise
            if time.monotonic() >= give_up_at:
                log.error("%s still refuses updates after %.0f s: giving up", workflow_id, budget)
                raise
            delay = next(delays)
            log.debug("%s refused an update (%s); again in %.2f s", workflow_id, error, delay)
        await asyncio.sleep(delay)
