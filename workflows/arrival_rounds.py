"""Arrivals that wait together go to the desk together: one update per round, not one each.

A crowd of arrivals at one API process would otherwise be a crowd of updates on one desk
workflow: Temporal refuses those past 10 in flight, and every update costs the desk a workflow
task of its own (under a crowd the server loses some of those tasks and the worker redoes them).
Here each process keeps, per desk, one round in flight: the arrivals that came meanwhile wait,
and the next round carries all of them (up to ``MAX_ROUND``) in one `arrive_batch` update, which
the desk decides in their order, each as if it had come alone.

What the desk is sent is bounded while it is away (its worker stopped, Temporal behind):

- A caller that stops waiting (it timed out, its request was cancelled) takes its arrival out
  if no round has carried it yet. The desk never heard of it, so nothing is lost: the caller
  answers `Unavailable` with its key open and the retry sends it afresh. Kept, every retry
  during an outage would queue one more copy, and all would go once the desk came back. An
  arrival already sent cannot be called back: the desk decides it once, and a retry for the
  same journey hears that decision again.
- A round has as long as its callers wait (``round_seconds``): they all came before it was
  sent, so past that none is left to answer. A send still unanswered then ends as a
  `TimeoutError` for any still waiting, and the next round goes.
- At most ``MAX_WAITING`` arrivals wait per desk: past that an arrival is refused at once
  (`DeskCrowded`, nothing queued or sent), which the API answers as `Unavailable`. A caller
  that claims its idempotency key before it queues its arrival takes its place first
  (`place`), so a full queue refuses it with nothing claimed, and queues in it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from domain.triage.batch import ArrivalAnswer
from domain.triage.commands import ArriveCommand

log = logging.getLogger(__name__)

# Enough for a partner's bus in one round; small enough to keep one update's payload modest
# (64 arrivals are about 30 KB). Rounds of 64 passed rounds of 32 on a crowd of 500 on one desk
# (`python -m bench.triage_bench`, README "Triage desk"): fewer updates and workflow tasks.
MAX_ROUND = 64
# Above the benchmark's crowd of 500 at once on one desk; at the slowest crowd measured (27
# arrivals/s, README "Triage desk") the last of 512 waits about as long as a caller may (20 s),
# so one more would only time out after queuing.
MAX_WAITING = 512
# About the time a round of the arrivals ahead of a refused one takes (64 at 27 a second).
RETRY_AFTER_SECONDS = 2

SendRound = Callable[[list[ArriveCommand]], Awaitable[list[ArrivalAnswer]]]
_Waiting = tuple[ArriveCommand, "asyncio.Future[ArrivalAnswer]"]


class DeskCrowded(Exception):
    """This process already has ``MAX_WAITING`` arrivals waiting for the desk."""


@dataclass
class ArrivalPlace:
    """A place among the arrivals waiting for one desk, held until its arrival queues in it."""

    queued: bool = False


class ArrivalRounds:
    """The arrivals of one process waiting for one desk, and the one round in flight."""

    def __init__(
        self,
        send: SendRound,
        *,
        round_seconds: float,
        max_round: int = MAX_ROUND,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self._send = send
        self.round_seconds = round_seconds
        self.max_round = max_round
        self.max_waiting = max_waiting
        # In arrival order (a dict keeps it), by ticket, so a caller that leaves takes its own.
        self._waiting: dict[int, _Waiting] = {}
        self._tickets = itertools.count()
        self._rounds: asyncio.Task[None] | None = None
        self._placed = 0  # places held whose arrival has not queued yet
        self.rounds_sent = 0

    @property
    def waiting(self) -> int:
        """How many arrivals wait for a round (the one in flight not counted), or hold a place
        to wait for one."""
        return len(self._waiting) + self._placed

    @contextmanager
    def place(self) -> Iterator[ArrivalPlace | None]:
        """A place among the waiting arrivals, held for the block until its arrival queues in
        it (`decide`); None, no place held, when as many wait as the desk's queue holds."""
        if self.waiting >= self.max_waiting:
            yield None
            return
        held = ArrivalPlace()
        self._placed += 1
        try:
            yield held
        finally:
            if not held.queued:
                self._placed -= 1

    async def decide(
        self, command: ArriveCommand, place: ArrivalPlace | None = None
    ) -> ArrivalAnswer:
        """The desk's answer to this arrival, decided in the next round; queued in `place`
        when given (never `DeskCrowded` then)."""
        if place is not None and not place.queued:
            place.queued = True
            self._placed -= 1
        elif self.waiting >= self.max_waiting:
            raise DeskCrowded(f"{self.waiting} arrivals already wait for the desk")
        answer: asyncio.Future[ArrivalAnswer] = asyncio.get_running_loop().create_future()
        ticket = next(self._tickets)
        self._waiting[ticket] = (command, answer)
        if self._rounds is None or self._rounds.done():
            self._rounds = asyncio.create_task(self._send_rounds(), name="desk-arrival-rounds")
        try:
            return await answer
        finally:
            # Gone from here once a round carried it; otherwise its caller left before it was
            # sent, and it leaves with its caller.
            self._waiting.pop(ticket, None)

    def _next_round(self) -> list[_Waiting]:
        tickets = list(itertools.islice(self._waiting, self.max_round))
        return [self._waiting.pop(ticket) for ticket in tickets]

    async def _send_rounds(self) -> None:
        while self._waiting:
            round_ = self._next_round()
            self.rounds_sent += 1
            try:
                async with asyncio.timeout(self.round_seconds):
                    answers = await self._send([command for command, _ in round_])
            except asyncio.CancelledError:  # the process is stopping: so do its callers
                for _, waiter in round_ + list(self._waiting.values()):
                    waiter.cancel()
                raise
            except Exception as error:  # every arrival of the round hears why, as alone it would
                if isinstance(error, TimeoutError):
                    log.warning("a round of %d arrivals had no answer in time", len(round_))
                for _, waiter in round_:
                    if not waiter.done():
                        waiter.set_exception(error)
                continue
            for (_, waiter), answer in zip(round_, answers, strict=True):
                if not waiter.done():
                    waiter.set_result(answer)
