"""The wall clock `tasksChanged` arms its alarm on: it returns once the moment is reached, never
before (the alarm then finds the task overdue, as `myTasks` would), and at once for a moment
past; a long wait is cut into sleeps of at most an hour, each measured on the wall clock
again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from schema import clock as clock_module
from schema.clock import WallClock


async def test_it_returns_once_the_moment_is_reached() -> None:
    clock = WallClock()
    moment = clock.now() + timedelta(milliseconds=50)
    await asyncio.wait_for(clock.until(moment), timeout=5)
    assert clock.now() >= moment


async def test_a_moment_past_is_no_wait() -> None:
    clock = WallClock()
    await asyncio.wait_for(clock.until(clock.now() - timedelta(days=1)), timeout=1)


async def test_a_long_wait_is_slept_an_hour_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = WallClock()
    start = clock.now()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # the wall clock moves as far as it was slept
        slept.append(seconds)
        monkeypatch.setattr(clock, "now", lambda: start + timedelta(seconds=sum(slept)))

    monkeypatch.setattr(clock_module.asyncio, "sleep", sleep)
    await clock.until(start + timedelta(hours=2, minutes=30))
    assert slept == [3600.0, 3600.0, 1800.0]
