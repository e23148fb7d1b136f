"""Admission in front of the triage desk: a crowd of arrivals queues, it never fails.

Temporal accepts at most 10 in-flight updates per workflow (``history.maxInFlightUpdates``) and
refuses the next with RESOURCE_EXHAUSTED. One desk workflow serves a whole clinic, so a partner's
bus of clients arriving at once would exceed that. Two layers keep every arrival:

- In this process, arrivals that wait together go to the desk together, in one update per
  round (``workflows.arrival_rounds``): a crowd of arrivals is a handful of updates.
- In this process, at most ``DESK_IN_FLIGHT`` updates per desk are sent at once; the rest wait
  their turn, first come first served (an asyncio semaphore per desk workflow id).
- Several API processes share one desk, so their sum can still pass the limit: a refusal with
  RESOURCE_EXHAUSTED is retried with bounded exponential back-off (with jitter, so processes
  do not retry in step), for up to ``RETRY_BUDGET_SECONDS``. So is UNAVAILABLE: under a crowd
  the server sometimes drops a workflow task and aborts the updates waiting on it ("workflow
  update was aborted"), and a Temporal restart answers the same.

The SDK already retries both a few times; these retries go on where it stops. Sending an update
again with the same update id is safe: one that was refused or aborted never ran, and one that
ran answers the retry with its first outcome.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from workflows.arrival_rounds import MAX_ROUND, ArrivalRounds, SendRound
from workflows.backoff import Backoff

log = logging.getLogger(__name__)

T = TypeVar("T")

_RETRIED = frozenset({RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE})

# Below Temporal's 10: room for another process's first attempts and for the desk's own traffic.
DESK_IN_FLIGHT = 8
RETRY_BACKOFF = Backoff(first=0.05, ceiling=2.0)
RETRY_BUDGET_SECONDS = 60.0


class DeskAdmission:
    """The queues of one process (one Temporal client), one per desk workflow."""

    def __init__(self, in_flight: int = DESK_IN_FLIGHT, max_round: int = MAX_ROUND) -> None:
        self.in_flight = in_flight
        self.max_round = max_round
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._arrivals: dict[str, ArrivalRounds] = {}

    def arrivals(self, workflow_id: str, send: SendRound) -> ArrivalRounds:
        """The rounds of arrivals for this desk; `send` sends one (the first caller's is kept:
        every caller of one desk sends alike)."""
        rounds = self._arrivals.get(workflow_id)
        if rounds is None:
            rounds = self._arrivals[workflow_id] = ArrivalRounds(send, self.max_round)
        return rounds

    @asynccontextmanager
    async def turn(self, workflow_id: str) -> AsyncIterator[None]:
        """Waits until fewer than ``in_flight`` updates of this process are on the desk."""
        slots = self._slots.get(workflow_id)
        if slots is None:
            slots = self._slots[workflow_id] = asyncio.Semaphore(self.in_flight)
        async with slots:
            yield


_by_client: weakref.WeakKeyDictionary[Client, DeskAdmission] = weakref.WeakKeyDictionary()


def admission_for(client: Client) -> DeskAdmission:
    """The admission shared by every caller on this client: one per API process."""
    admission = _by_client.get(client)
    if admission is None:
        admission = _by_client[client] = DeskAdmission()
    return admission


async def retry_while_refused(
    send: Callable[[], Awaitable[T]],
    workflow_id: str,
    backoff: Backoff = RETRY_BACKOFF,
    budget: float = RETRY_BUDGET_SECONDS,
) -> T:
    """``send()``, again after a pause each time Temporal refuses it for now."""
    delays = backoff.delays()
    give_up_at = time.monotonic() + budget
    while True:
        try:
            return await send()
        except RPCError as error:
            if error.status not in _RETRIED:
                raise
            if time.monotonic() >= give_up_at:
                log.error("%s still refuses updates after %.0f s: giving up", workflow_id, budget)
                raise
            delay = next(delays)
            log.debug("%s refused an update (%s); again in %.2f s", workflow_id, error, delay)
        await asyncio.sleep(delay)
