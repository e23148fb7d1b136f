"""The rounds of one process's arrivals at one desk: one round in flight, the next carries all
that came meanwhile in their order, and a round that fails fails each of its arrivals alike.
While the desk does not answer, what waits stays bounded: a caller that left takes its unsent
arrival with it, a round ends at its bound, and past the cap an arrival is refused at once.
(The desk itself: tests/workflows/test_desk_rounds.py and tests/api/test_desk_crowd.py.)"""

from __future__ import annotations

import asyncio
from typing import cast

import pytest
from temporalio.client import Client

from domain.journey.stages import VisitCategory
from domain.triage.batch import ArrivalAnswer
from domain.triage.commands import ArriveCommand, DeskReply
from domain.triage.decision import Arrival
from tests.support import DESK
from workflows.arrival_rounds import ArrivalRounds, DeskCrowded
from workflows.client import JourneyUnavailable
from workflows.desk_admission import DeskAdmission
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

HOUR = 3600.0  # a round's bound that no test reaches
BOUND = 10.0  # the longest any test waits for an answer


def _command(journey: str) -> ArriveCommand:
    return ArriveCommand(DESK, Arrival(journey, f"client-{journey}", VisitCategory.FIRST_VISIT))


class Desk:
    """Answers each round with the journeys' positions; holds the first round until released
    (a desk whose worker is away until then)."""

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
    rounds = ArrivalRounds(desk.send, round_seconds=HOUR, max_round=3)
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
    rounds = ArrivalRounds(desk.send, round_seconds=HOUR)
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


async def _gives_up(rounds: ArrivalRounds, journey: str) -> None:
    """A caller that waits a moment for its answer and leaves (its request timed out)."""
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.01):
            await rounds.decide(_command(journey))


async def test_callers_that_give_up_while_the_desk_is_away_leave_nothing_queued_or_sent() -> None:
    # Given a desk whose worker is away: the first round is sent and not answered
    desk = Desk()
    rounds = ArrivalRounds(desk.send, round_seconds=HOUR)
    # When a thousand callers each wait and give up, a hundred at a time (SPAs retrying
    # through the outage)
    for wave in range(0, 1_000, 100):
        await asyncio.gather(*(_gives_up(rounds, f"retry-{n}") for n in range(wave, wave + 100)))
    # Then none of their arrivals waits for the desk (the first of them went in the round sent)
    assert rounds.waiting == 0
    assert len(desk.rounds) == 1

    # When the desk is back, only what a caller still waits for is sent
    desk.first_round_may_end.set()
    async with asyncio.timeout(BOUND):
        answer = await rounds.decide(_command("back"))
    assert answer.reply is not None
    assert desk.rounds[1:] == [["back"]]


async def test_a_caller_that_left_neither_holds_up_nor_doubles_the_others() -> None:
    desk = Desk()
    rounds = ArrivalRounds(desk.send, round_seconds=HOUR)
    first = asyncio.create_task(rounds.decide(_command("a")))
    await asyncio.sleep(0)  # the first round is on its way, and held
    behind = {j: asyncio.create_task(rounds.decide(_command(j))) for j in "bcd"}
    await asyncio.sleep(0)
    assert rounds.waiting == 3

    behind["c"].cancel()  # c's caller leaves before its round is sent
    await asyncio.sleep(0)
    assert rounds.waiting == 2
    desk.first_round_may_end.set()
    async with asyncio.timeout(BOUND):
        answers = await asyncio.gather(first, behind["b"], behind["d"])

    assert desk.rounds == [["a"], ["b", "d"]]  # c never sent; b and d once each, in their order
    assert [a.reply.version for a in answers if a.reply] == [0, 0, 1]
    assert behind["c"].cancelled()


async def test_a_round_the_desk_never_answers_ends_at_its_bound_and_the_next_goes() -> None:
    desk = Desk()  # the first round is never let end
    rounds = ArrivalRounds(desk.send, round_seconds=0.2)
    async with asyncio.timeout(BOUND):
        hung = asyncio.create_task(rounds.decide(_command("a")))
        await asyncio.sleep(0)
        behind = asyncio.create_task(rounds.decide(_command("b")))
        # Then the round sent ends as a timeout for its arrival, not waiting for the desk
        with pytest.raises(TimeoutError):
            await hung
        # And the arrival behind it went in the next round and was answered
        answer = await behind
    assert answer.reply is not None
    assert desk.rounds == [["a"], ["b"]]


async def test_past_the_cap_an_arrival_is_refused_at_once_and_not_queued() -> None:
    desk = Desk()
    rounds = ArrivalRounds(desk.send, round_seconds=HOUR, max_waiting=3)
    first = asyncio.create_task(rounds.decide(_command("a")))
    await asyncio.sleep(0)  # the round in flight does not count against the cap
    behind = [asyncio.create_task(rounds.decide(_command(j))) for j in "bcd"]
    await asyncio.sleep(0)

    with pytest.raises(DeskCrowded):
        async with asyncio.timeout(BOUND):
            await rounds.decide(_command("e"))
    assert rounds.waiting == 3

    desk.first_round_may_end.set()
    async with asyncio.timeout(BOUND):
        await asyncio.gather(first, *behind)
    assert desk.rounds == [["a"], ["b", "c", "d"]]  # e was never sent


async def test_a_gateway_whose_desk_has_too_many_waiting_answers_unavailable_at_once() -> None:
    # Given an API process whose rounds for a desk are full (the desk away), the gateway never
    # reaching Temporal for this arrival
    desk = Desk()
    admission = DeskAdmission()
    gateway = TriageGateway(cast(Client, object()), "unused", admission=admission)
    rounds = admission.arrivals(desk_workflow_id("crowded"), desk.send, HOUR)
    rounds.max_waiting = 1
    first = asyncio.create_task(rounds.decide(_command("a")))
    await asyncio.sleep(0)
    queued = asyncio.create_task(rounds.decide(_command("b")))
    await asyncio.sleep(0)

    # Then one more arrival is `Unavailable` (retried with its key), nothing queued
    with pytest.raises(JourneyUnavailable, match="too many arrivals waiting"):
        async with asyncio.timeout(BOUND):
            await gateway.queue_arrival("crowded", _command("c"))
    assert rounds.waiting == 1

    desk.first_round_may_end.set()
    async with asyncio.timeout(BOUND):
        await asyncio.gather(first, queued)


async def test_a_place_counts_against_the_cap_until_its_arrival_queues_in_it() -> None:
    # Given a desk's rounds with one round in flight (not counted) and a cap of two
    desk = Desk()
    rounds = ArrivalRounds(desk.send, round_seconds=HOUR, max_waiting=2)
    first = asyncio.create_task(rounds.decide(_command("a")))
    async with asyncio.timeout(BOUND):
        while not desk.rounds:  # until its round is sent
            await asyncio.sleep(0)
    with rounds.place() as place, rounds.place() as unused:
        # When two places are held, then one arrival queues in its place
        assert place is not None and unused is not None
        # Then no third place is given, nor room to an arrival without one
        with rounds.place() as third:
            assert third is None
        with pytest.raises(DeskCrowded):
            await rounds.decide(_command("x"))
        behind = asyncio.create_task(rounds.decide(_command("b"), place))
        await asyncio.sleep(0)
        assert rounds.waiting == 2
    # And the place left unused is given back, the queued arrival still waiting
    assert rounds.waiting == 1
    desk.first_round_may_end.set()
    async with asyncio.timeout(BOUND):
        await asyncio.gather(first, behind)
    assert desk.rounds == [["a"], ["b"]]  # x was never sent
    assert rounds.waiting == 0
