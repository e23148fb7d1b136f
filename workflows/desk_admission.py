"""Admission in front of the triage desk: a crowd of arrivals queues, it never fails.

Temporal accepts at most 10 in-flight updates per workflow (``history.maxInFlightUpdates``) and
refuses the next with RESOURCE_EXHAUSTED. One desk workflow serves a whole clinic, so a partner's
bus of clients arriving at once would exceed that. Three layers keep every arrival:

- In this process, arrivals that wait together go to the desk together, in one update per
  round (``workflows.arrival_rounds``): a crowd of arrivals is a handful of updates. What waits
  is bounded: a round by its callers' wait, the queue by ``MAX_WAITING`` arrivals, and an
  arrival whose caller left before its round was sent is not sent.
- In this process, at most ``DESK_IN_FLIGHT`` updates per desk are sent at once; the rest wait
  their turn (``workflows.update_admission.UpdateSlots``).
- Several API processes share one desk, so their sum can still pass the limit: a refusal is
  retried with back-off for up to ``RETRY_BUDGET_SECONDS`` (``retry_while_refused``; the
  gateway's ``DESK_ANSWER_SECONDS`` bounds a caller's whole wait within it). So is
  UNAVAILABLE, here: under a crowd the server sometimes drops a desk's workflow task and aborts
  the updates waiting on it ("workflow update was aborted"), and a Temporal restart answers the
  same; the desk's callers are the API's arrivals, which would rather wait than fail.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from temporalio.client import Client
from temporalio.service import RPCStatusCode

from workflows.arrival_rounds import MAX_ROUND, ArrivalRounds, SendRound
from workflows.update_admission import REFUSED_FOR_NOW, UpdateSlots, retry_while_refused

T = TypeVar("T")

DESK_RETRIED = REFUSED_FOR_NOW | {RPCStatusCode.UNAVAILABLE}

# Below Temporal's 10: room for another process's first attempts and for the desk's own traffic.
DESK_IN_FLIGHT = 8
RETRY_BUDGET_SECONDS = 60.0


class DeskAdmission:
    """The queues of one process (one Temporal client), one per desk workflow."""

    def __init__(self, in_flight: int = DESK_IN_FLIGHT, max_round: int = MAX_ROUND) -> None:
        self.in_flight = in_flight
        self.max_round = max_round
        self._slots = UpdateSlots(in_flight)
        self._arrivals: dict[str, ArrivalRounds] = {}

    def arrivals(self, workflow_id: str, send: SendRound, round_seconds: float) -> ArrivalRounds:
        """The rounds of arrivals for this desk; `send` sends one, given `round_seconds` for an
        answer (the first caller's are kept: every caller of one desk sends and waits alike)."""
        rounds = self._arrivals.get(workflow_id)
        if rounds is None:
            rounds = ArrivalRounds(send, round_seconds=round_seconds, max_round=self.max_round)
            self._arrivals[workflow_id] = rounds
        return rounds

    @asynccontextmanager
    async def turn(self, workflow_id: str) -> AsyncIterator[None]:
        """Waits until fewer than ``in_flight`` updates of this process are on the desk."""
        async with self._slots.turn(workflow_id):
            yield


_by_client: weakref.WeakKeyDictionary[Client, DeskAdmission] = weakref.WeakKeyDictionary()


def admission_for(client: Client) -> DeskAdmission:
    """The admission shared by every caller on this client: one per API process."""
    admission = _by_client.get(client)
    if admission is None:
        admission = _by_client[client] = DeskAdmission()
    return admission


async def retry_while_refused_by_desk(send: Callable[[], Awaitable[T]], workflow_id: str) -> T:
    """``send()``, again after a pause each time the desk refuses it for now."""
    return await retry_while_refused(
        send, workflow_id, budget=RETRY_BUDGET_SECONDS, retried=DESK_RETRIED
    )
