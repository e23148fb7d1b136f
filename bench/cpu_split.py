"""Where a phase's CPU went, process by process: user plus system time read from /proc (Linux).

The throughput benchmark saturates both cores, so the ratio to the floor is a ratio of CPU per
operation; this names the processes that spend it. PostgreSQL's server processes are counted by
name (every `postgres` process on the machine: run the benchmark on an otherwise quiet server).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
POSTGRES = "PostgreSQL"


def _stat_fields(pid: int) -> tuple[str, list[str]] | None:
    """The process's name and the fields after it, or None once it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The name sits in parentheses and may itself hold spaces or parentheses.
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    return name, raw[raw.rindex(")") + 2 :].split()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of one process so far (0 once it has gone)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    rest = fields[1]
    # utime and stime are the 14th and 15th fields of stat, the 12th and 13th after the name.
    return (int(rest[11]) + int(rest[12])) / _TICKS_PER_SECOND


def postgres_cpu_seconds() -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and fields[0] == "postgres":
                total += cpu_seconds(int(entry.name))
    return total


def snapshot(groups: Mapping[str, Iterable[int]]) -> dict[str, float]:
    """CPU seconds so far of each group of pids, and of PostgreSQL's processes."""
    taken = {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}
    taken[POSTGRES] = postgres_cpu_seconds()
    return taken


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """CPU seconds each group spent between two snapshots."""
    return {name: max(0.0, after.get(name, 0.0) - before[name]) for name in before}
