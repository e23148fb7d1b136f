"""A bound on a test process's exit, once every test has run and the summary is printed.

What is left then is the interpreter's own exit, which waits for every non-daemon thread. A
database connection nothing closed (aiosqlite runs each on such a thread) once held a finished,
green run there until CI's limit. Past the bound the process prints every thread's stack (the one
waiting shows where it was opened from) and exits 1, so the run fails and says why.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import threading

import pytest

DEFAULT_EXIT_BOUND_SECONDS = 120.0


def exit_bound_seconds() -> float:
    raw = os.environ.get("GLOWPATH_TEST_EXIT_BOUND_SECONDS", "").strip()
    return float(raw) if raw else DEFAULT_EXIT_BOUND_SECONDS


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # Armed when the interpreter starts its exit, not here: an xdist worker done with its files
    # runs this, then waits (rightly) for the other workers before the run lets it exit. Armed
    # here, a worker done minutes before another was cut off in that wait, and the Temporal
    # servers it started were left running. threading's exit calls run before it joins the
    # non-daemon threads, which is the wait this bounds.
    threading._register_atexit(_arm_watchdog)  # type: ignore[attr-defined]


def _arm_watchdog() -> None:
    # A C thread of faulthandler's: it fires while the interpreter waits on Python threads.
    faulthandler.dump_traceback_later(exit_bound_seconds(), exit=True, file=sys.stderr)
