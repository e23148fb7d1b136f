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

import pytest

DEFAULT_EXIT_BOUND_SECONDS = 120.0


def exit_bound_seconds() -> float:
    raw = os.environ.get("GLOWPATH_TEST_EXIT_BOUND_SECONDS", "").strip()
    return float(raw) if raw else DEFAULT_EXIT_BOUND_SECONDS


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # trylast: after pytest's own faulthandler plugin has put its handler back. The watchdog is
    # a C thread of faulthandler's, so it fires while the interpreter waits on Python threads.
    faulthandler.dump_traceback_later(exit_bound_seconds(), exit=True, file=sys.stderr)
