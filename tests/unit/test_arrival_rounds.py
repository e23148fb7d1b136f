"""The rounds of one process's arrivals at one desk: one round in flight, the next carries all
that came meanwhile in their order, and a round that fails fails each of its arrivals alike.
(The desk itself: tests/workflows/test_desk_rounds.py and tests/api/test_desk_crowd.py.)"""

from __future__ import annotations

import asyncio

import pytest

from domain.journey.stages import VisitCategory
from domain.triage.batch import ArrivalAnswer
from domain.triage.commands import ArriveCommand, DeskReply
from domain.triage.decision import Arrival
from tests.support import DESK
from workflows.arrival_rounds import ArrivalRounds


def _command(journey: str) -> ArriveCommand:
    return ArriveCommand(DESK, Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT))


class Desk:
    """Answers each round with the journeys' positions; holds the first round until released."""

    def __init__(self) -> None:
        self.rounds: list[list[str]] = []
        self.first_round_may_end = asyncio.Event()
        self.fail_with: Exception | None = None

    async def send(self, commands: list[ArriveCommand]) -> list[ArrivalAnswer]:
        self.rounds.append([c.arrival.journey_id for c in commands])
        if len(self.rounds) == 1:
            await self.first_round_may_end.wait()
        if self.fail_with is not None:
            raise self.fail_with
        return [ArrivalAnswer(DeskReply(version=n)) for n, _ in enumerate(commands)]


async def test_arrivals_during_a_round_go_together_in_the_next_in_their_order() -> None:
    desk = Desk()
    rounds = ArrivalRounds(desk.send, max_round=3)
    first = asyncio.create_task(rounds.decide(_command("a")))
    await asyncio.sleep(0)  # the first round is on its way
    later = [asyncio.create_task(rounds.decide(_command(j))) for j in "bcdef"]
    await asyncio.sleep(0)

    desk.first_round_may_end.set()
    answers = await asyncio.gather(first, *later)

    assert desk.rounds == [["a"], ["b", "c", "d"], ["e", "f"]]
    assert [a.reply.version for a in answers if a.reply] == [0, 0, 1, 2, 0, 1]


async def test_a_failed_round_fails_each_of_its_arrivals_and_the_next_round_still_goes() -> None:
    desk = Desk()
    desk.fail_with = RuntimeError("the desk could not be reached")
    rounds = ArrivalRounds(desk.send)
    waiting = [asyncio.create_task(rounds.decide(_command(j))) for j in "ab"]
    await asyncio.sleep(0)
    desk.first_round_may_end.set()
    for task in waiting:
        with pytest.raises(RuntimeError, match="could not be reached"):
            await task

    desk.fail_with = None
    answer = await rounds.decide(_command("c"))

    assert answer.reply is not None
    assert desk.rounds == [["a", "b"], ["c"]]
