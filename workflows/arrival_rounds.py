"""Arrivals that wait together go to the desk together: one update per round, not one each.

A crowd of arrivals at one API process would otherwise be a crowd of updates on one desk
workflow: Temporal refuses those past 10 in flight, and every update costs the desk a workflow
task of its own (under a crowd the server loses some of those tasks and the worker redoes them).
Here each process keeps, per desk, one round in flight: the arrivals that came meanwhile wait,
and the next round carries all of them (up to ``MAX_ROUND``) in one `arrive_batch` update, which
the desk decides in their order, each as if it had come alone.

A caller that stops waiting (its request was cancelled) leaves its arrival in the round: the
desk decides it, and a retry for the same journey hears that decision again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from domain.triage.batch import ArrivalAnswer
from domain.triage.commands import ArriveCommand

# Enough for a partner's bus in one round; small enough to keep one update's payload modest
# (64 arrivals are about 30 KB). Rounds of 64 passed rounds of 32 on a crowd of 500 on one desk
# (`python -m bench.triage_bench`, README "Triage desk"): fewer updates and workflow tasks.
MAX_ROUND = 64

SendRound = Callable[[list[ArriveCommand]], Awaitable[list[ArrivalAnswer]]]
_Waiting = tuple[ArriveCommand, "asyncio.Future[ArrivalAnswer]"]


class ArrivalRounds:
    """The arrivals of one process waiting for one desk, and the one round in flight."""

    def __init__(self, send: SendRound, max_round: int = MAX_ROUND) -> None:
        self._send = send
        self.max_round = max_round
        self._waiting: list[_Waiting] = []
        self._rounds: asyncio.Task[None] | None = None
        self.rounds_sent = 0

    async def decide(self, command: ArriveCommand) -> ArrivalAnswer:
        """The desk's answer to this arrival, decided in the next round."""
        answer: asyncio.Future[ArrivalAnswer] = asyncio.get_running_loop().create_future()
        self._waiting.append((command, answer))
        if self._rounds is None or self._rounds.done():
            self._rounds = asyncio.create_task(self._send_rounds(), name="desk-arrival-rounds")
        return await answer

    async def _send_rounds(self) -> None:
        while self._waiting:
            round_, self._waiting = (
                self._waiting[: self.max_round],
                self._waiting[self.max_round :],
            )
            self.rounds_sent += 1
            try:
                answers = await self._send([command for command, _ in round_])
            except asyncio.CancelledError:  # the process is stopping: so do its callers
                for _, waiter in round_ + self._waiting:
                    waiter.cancel()
                raise
            except Exception as error:  # every arrival of the round hears why, as alone it would
                for _, waiter in round_:
                    if not waiter.done():
                        waiter.set_exception(error)
                continue
            for (_, waiter), answer in zip(round_, answers, strict=True):
                if not waiter.done():
                    waiter.set_result(answer)
