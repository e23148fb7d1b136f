"""What `make test`'s runner does with the processes a suite leaves or cannot end (Linux's /proc).

Each suite's pytest runs as the leader of a process group of its own, and everything it starts
(xdist workers, the Temporal servers they start) stays in that group. When pytest has exited,
anything still running in the group was left behind: a worker cut off by its timeout or exit
bound leaves the Temporal servers it started, and a process left holding the suite's output
holds the runner's reading of it, and the run, until CI's limit. When a suite passes its time
limit, its Python processes print every thread's stack first (pytest's faulthandler answers
SIGABRT), so a hang says where it was.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

# A stack dump of a few processes, and the kernel ending killed ones, take well under this.
SETTLE_SECONDS = 10.0


def is_running(pid: int) -> bool:
    """True while `pid` runs (a zombie has ended: it only waits for its parent to read it)."""
    return _state(pid) not in (None, "Z")


def running_in_group(group: int) -> dict[int, str]:
    """The processes of process group `group` still running, with their command's name."""
    found: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            name = text[text.index("(") + 1 : text.rindex(")")]
            state, _parent, its_group = text.rsplit(")", 1)[1].split()[:3]
            if int(its_group) == group and state != "Z":
                found[int(stat.parent.name)] = name
    return found


def stop_left_behind(group: int) -> dict[int, str]:
    """Kills what still runs in the group of a pytest that has exited; returns what it was."""
    left = running_in_group(group)
    if left:
        stop_group(group, signal.SIGKILL)
        _settle(group)
    return left


def dump_stacks_and_stop(group: int) -> dict[int, str]:
    """For a suite past its limit: its Python processes print their stacks, then the whole
    group is killed. Returns what was running."""
    running = running_in_group(group)
    pythons = {pid for pid, name in running.items() if name.startswith("python")}
    for pid in pythons:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGABRT)
    _settle(group, until_gone=pythons)
    stop_group(group, signal.SIGKILL)
    _settle(group)
    return running


def stop_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def _settle(group: int, until_gone: set[int] | None = None) -> None:
    """Waits, bounded, until the processes `until_gone` (else the whole group) have ended: a
    signal is delivered when its process next runs, not when it is sent."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        waiting = running_in_group(group)
        if until_gone is not None:
            waiting = {pid: name for pid, name in waiting.items() if pid in until_gone}
        if not waiting:
            return
        time.sleep(0.05)


def _state(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[0]
