"""What `make test`'s runner does with the processes a suite leaves or cannot end (Linux's /proc).

Each suite's pytest starts with a mark of its own in its environment (`MARK`, a new value a
run), which every process it starts inherits: its xdist workers, the Temporal servers they
start. When pytest has exited, anything still running with the mark was left behind: a worker
cut off by its timeout or exit bound leaves the Temporal servers it started, and a process left
holding the suite's output holds the runner's reading of it, and the run, until CI's limit.
When a suite passes its time limit, its Python processes print every thread's stack first
(faulthandler answers SIGABRT), so a hang says where it was.

A mark, not a process group of its own: in its own group, pytest was a background job of the
terminal, and a debugger's prompt (`--pdb`) stopped it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

MARK = "GLOWPATH_TEST_SUITE_RUN"
# A stack dump of a few processes, and the kernel ending killed ones, take well under this.
SETTLE_SECONDS = 10.0


def is_running(pid: int) -> bool:
    """True while `pid` runs (a zombie has ended: it only waits for its parent to read it)."""
    return _state(pid) not in (None, "Z")


def running_with(mark: str) -> dict[int, str]:
    """The processes running with `MARK` set to `mark`, with their command's name."""
    wanted = f"{MARK}={mark}".encode()
    found: dict[int, str] = {}
    for environ in Path("/proc").glob("[0-9]*/environ"):
        with contextlib.suppress(OSError, ValueError):
            if wanted not in environ.read_bytes().split(b"\0"):
                continue
            pid = int(environ.parent.name)
            if is_running(pid):
                found[pid] = (environ.parent / "comm").read_text().strip()
    return found


def stop_left_behind(mark: str) -> dict[int, str]:
    """Kills what still runs with the mark of a pytest that has exited; returns what it was."""
    left = running_with(mark)
    _signal(left, signal.SIGKILL)
    _settle(mark, set(left))
    return left


def dump_stacks_and_stop(mark: str) -> dict[int, str]:
    """For a suite past its limit: its Python processes print their stacks, then all of its
    processes are killed. Returns what was running."""
    running = running_with(mark)
    pythons = {pid: name for pid, name in running.items() if name.startswith("python")}
    _signal(pythons, signal.SIGABRT)
    _settle(mark, set(pythons))
    _signal(running, signal.SIGKILL)
    _settle(mark, set(running))
    return running


def _signal(processes: dict[int, str], signum: int) -> None:
    for pid in processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _settle(mark: str, pids: set[int]) -> None:
    """Waits, bounded, until the processes `pids` have ended: a signal is delivered when its
    process next runs, not when it is sent."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while pids & set(running_with(mark)) and time.monotonic() < deadline:
        time.sleep(0.05)


def _state(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[0]
