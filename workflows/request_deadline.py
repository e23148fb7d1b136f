"""One deadline per API request, shared by every wait on Temporal the request makes.

Each wait on Temporal has a bound of its own (a journey's answer, a desk's answer, the question
whether an update ran, a clock's or a schedule's start), and one request may make several in a
row: `autoAssign` waits on the desk and then on the journey, a retry asks whether its update ran
before it sends it. Each bound fits in the API's time per request alone, not all of them
together, and a request the API stops gets an untyped error where `Unavailable` was meant.

The API sets the request's deadline when it starts (`server.view`), its time less a margin for
writing the answer. Each wait then takes its own bound or the time the request has left,
whichever is shorter, and with no time left gives up at once: `TimeoutError`, which each caller
turns into `JourneyUnavailable` as when Temporal does not answer within its bound, so nothing is
sent that the request could not wait for. Outside a request (a worker, the command line, work
shared by several requests) no deadline is set and each wait keeps its own bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

# What a request keeps for itself after its last wait on Temporal: the writes that settle its
# key, record the audit entries and build its answer. A short limit (a test's) keeps a fifth.
ANSWER_MARGIN_SECONDS = 3.0
ANSWER_MARGIN_SHARE = 0.2

# The monotonic time by which the current request's waits on Temporal must have ended.
_DEADLINE: ContextVar[float | None] = ContextVar("temporal_deadline", default=None)


def time_for_temporal(request_limit: float) -> float:
    """Of a request's time, the seconds its waits on Temporal share."""
    return request_limit - min(ANSWER_MARGIN_SECONDS, request_limit * ANSWER_MARGIN_SHARE)


def seconds_left() -> float | None:
    """The time the current request has left for Temporal (never below 0); None outside one."""
    deadline = _DEADLINE.get()
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


def bounded(own_seconds: float) -> float:
    """How long a wait bounded by `own_seconds` may take within the current request."""
    left = seconds_left()
    return own_seconds if left is None else min(own_seconds, left)


def answer_within(own_seconds: float) -> asyncio.Timeout:
    """`asyncio.timeout` for a wait on Temporal: its own bound or the request's time left.
    `TimeoutError` at once when the request has no time left, before anything is sent."""
    seconds = bounded(own_seconds)
    if seconds <= 0:
        raise TimeoutError("the request has no time left to wait for Temporal")
    return asyncio.timeout(seconds)


@contextlib.contextmanager
def request_deadline(request_limit: float) -> Iterator[None]:
    """Within the block (a request's execution), waits on Temporal end by the request's limit
    less the answer's margin (`time_for_temporal`)."""
    token = _DEADLINE.set(time.monotonic() + time_for_temporal(request_limit))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


@contextlib.contextmanager
def no_request_deadline() -> Iterator[None]:
    """Within the block, waits keep their own bounds: for work done on behalf of several
    requests (a round of arrivals), which one request's deadline must not cut short."""
    token = _DEADLINE.set(None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)
