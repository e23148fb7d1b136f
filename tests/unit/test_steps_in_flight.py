"""The count of steps on a journey: bounded, per clinic and journey, and given back however a
step ends (an answer, an error, a cancelled request)."""

from __future__ import annotations

import asyncio

import pytest

from schema.journeys.steps_in_flight import StepsInFlight


def test_past_the_bound_a_step_is_refused_and_counts_nothing() -> None:
    steps = StepsInFlight(most=2)
    with steps.step("c1", "j1") as first, steps.step("c1", "j1") as second:
        with steps.step("c1", "j1") as third:
            assert (first, second, third) == (True, True, False)
            assert steps.running("c1", "j1") == 2
        # Another journey, and another clinic's caller naming this one, have room of their own
        with steps.step("c1", "j2") as other, steps.step("c2", "j1") as foreign:
            assert (other, foreign) == (True, True)
    assert steps.running("c1", "j1") == steps.running("c1", "j2") == 0


def test_a_step_that_fails_gives_its_room_back() -> None:
    steps = StepsInFlight(most=1)
    with pytest.raises(RuntimeError), steps.step("c1", "j1"):
        raise RuntimeError("the step failed")
    with steps.step("c1", "j1") as admitted:
        assert admitted


async def test_a_cancelled_step_gives_its_room_back() -> None:
    steps = StepsInFlight(most=1)
    entered, never = asyncio.Event(), asyncio.Event()

    async def step() -> None:
        with steps.step("c1", "j1"):
            entered.set()
            await never.wait()

    running = asyncio.create_task(step())
    async with asyncio.timeout(5):
        await entered.wait()
    assert steps.running("c1", "j1") == 1
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert steps.running("c1", "j1") == 0
