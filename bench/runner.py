"""Running one benchmark: progress on stderr, the report on stdout, and a clean stop on a signal.

SIGINT or SIGTERM cancels the run's task, so every context it entered (dev server, worker, API)
stops in reverse order before the process exits with 128 + the signal's number.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol

from bench.operations import BenchError

BUSY_SLICE_SECONDS = 0.001
# What a run gives back: its report to print, or its exit status, or nothing (it printed).
Outcome = str | int | None


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Stop:
    """The signal that ended the run early, if any (the SDK may turn the cancellation into its
    own exception, so the exception type alone does not tell)."""

    signum: int | None = None


def _on_signal(signum: int, task: asyncio.Task[str]) -> None:
    if Stop.signum is None:  # a second signal must not cut the clean-up short
        Stop.signum = signum
        task.cancel()


async def _guarded(run: Callable[[], Awaitable[Outcome]]) -> Outcome:
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    assert main_task is not None
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _on_signal, signum, main_task)
    return await run()


def run_benchmark(run: Callable[[], Awaitable[Outcome]]) -> int:
    """Runs `run` on a new event loop; the exit status. `run` returns its report, printed here,
    or its own exit status (a run that printed as it went: nothing, 0)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    outcome: Outcome = None
    try:
        outcome = asyncio.run(_guarded(run))
    except KeyboardInterrupt:  # before the loop's own handlers were in place
        Stop.signum = Stop.signum or signal.SIGINT
    except BaseException as error:
        if Stop.signum is None:
            if isinstance(error, BenchError):
                say(f"benchmark failed: {error}")
                return 1
            raise
    if Stop.signum is not None:
        say(f"stopped by {signal.Signals(Stop.signum).name}; everything it started is stopped")
        return 128 + Stop.signum
    if isinstance(outcome, int):
        return outcome
    if outcome is not None:
        print(outcome, flush=True)
    return 0


class Main(Protocol):
    def __call__(self, argv: Sequence[str] | None = None) -> int: ...


def command_line(
    parse_args: Callable[[Sequence[str] | None], Any], run: Callable[[Any], Awaitable[Outcome]]
) -> Main:
    """A benchmark's `main`: its arguments parsed, then `run(args)` under `run_benchmark`."""

    def main(argv: Sequence[str] | None = None) -> int:
        args = parse_args(argv)
        return run_benchmark(lambda: run(args))

    return main


@contextlib.asynccontextmanager
async def busy_loop(busy: bool) -> AsyncIterator[None]:
    """With `busy`, a task keeps the event loop running Python half the time, in 1 ms slices, as
    a process serving other requests does: an awaited answer may wait for the loop to come
    round."""

    async def burn() -> None:
        while True:
            until = time.perf_counter() + BUSY_SLICE_SECONDS
            while time.perf_counter() < until:
                pass
            await asyncio.sleep(BUSY_SLICE_SECONDS)

    task = asyncio.create_task(burn()) if busy else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
