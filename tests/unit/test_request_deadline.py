"""The request's one deadline for its waits on Temporal: each wait gets its own bound or the time
the request has left, whichever is shorter, and none at all once the time is spent."""

from __future__ import annotations

import asyncio

import pytest

from workflows import request_deadline
from workflows.request_deadline import (
    answer_within,
    bounded,
    no_request_deadline,
    seconds_left,
    time_for_temporal,
)

DESK_BOUND = 20.0
JOURNEY_BOUND = 20.0


class Clock:
    """The monotonic clock the deadline reads, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(request_deadline, "time", fake)
    return fake


def test_a_request_keeps_a_margin_for_its_answer() -> None:
    assert time_for_temporal(30.0) == 27.0
    # A short limit keeps a fifth of it, not all of it
    assert time_for_temporal(4.0) == pytest.approx(3.2)


def test_outside_a_request_each_wait_keeps_its_own_bound(clock: Clock) -> None:
    assert seconds_left() is None
    assert bounded(DESK_BOUND) == DESK_BOUND


def test_the_waits_of_one_request_share_its_time(clock: Clock) -> None:
    with request_deadline.request_deadline(30.0):
        # The desk's wait fits whole in the 27 s the request has for Temporal
        assert bounded(DESK_BOUND) == DESK_BOUND
        clock.now += 19.0  # the desk answered late
        # The journey's wait after it gets what is left, not its own 20 s
        assert bounded(JOURNEY_BOUND) == pytest.approx(8.0)
        clock.now += 8.0
        # With nothing left, a wait gives up at once, before anything is sent
        assert bounded(JOURNEY_BOUND) == 0.0
        with pytest.raises(TimeoutError):
            answer_within(JOURNEY_BOUND)
        clock.now += 5.0
        assert seconds_left() == 0.0
    # The deadline ends with the request
    assert seconds_left() is None


def test_work_shared_by_several_requests_is_not_cut_by_one(clock: Clock) -> None:
    with request_deadline.request_deadline(30.0):
        clock.now += 26.0
        with no_request_deadline():
            assert bounded(DESK_BOUND) == DESK_BOUND
        assert bounded(DESK_BOUND) == pytest.approx(1.0)


async def test_a_wait_times_out_at_the_request_s_deadline_not_its_own_bound() -> None:
    loop = asyncio.get_running_loop()
    with request_deadline.request_deadline(1.0):
        started = loop.time()
        async with answer_within(JOURNEY_BOUND) as timeout:
            when = timeout.when()
            assert when is not None
            # (the deadline was read a moment before the timeout began: a hair past it at most)
            assert when - started <= time_for_temporal(1.0) + 0.01


async def test_a_task_started_by_the_request_shares_its_deadline(clock: Clock) -> None:
    with request_deadline.request_deadline(30.0):
        clock.now += 20.0

        async def left() -> float | None:
            return seconds_left()

        assert await asyncio.create_task(left()) == pytest.approx(7.0)
