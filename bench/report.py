"""Statistics and the plain-text report: medians, p99, machine facts, aligned tables."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata

from server.devstack import find_temporal_binary


def median_ms(samples_ns: Sequence[int]) -> float:
    return statistics.median(samples_ns) / 1e6


def p99_ms(samples_ns: Sequence[int]) -> float:
    """Nearest-rank 99th percentile: the smallest sample at or above 99 % of all samples."""
    ordered = sorted(samples_ns)
    return ordered[max(math.ceil(0.99 * len(ordered)) - 1, 0)] / 1e6


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _temporal_cli_version() -> str:
    try:
        out = subprocess.run(
            [find_temporal_binary(), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, RuntimeError, subprocess.TimeoutExpired):
        return "?"
    words = out.split()
    return words[2] if len(words) > 2 else out.strip() or "?"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> float | None:
    """The 1-minute load average: other work on the machine skews every number."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def machine_facts(load_at_start: float | None = None) -> list[tuple[str, str]]:
    load = load_at_start if load_at_start is not None else load_average()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("cores", f"{usable} usable ({os.cpu_count()} online), {_cpu_model()}"),
        ("system", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("load", f"{'?' if load is None else f'{load:.2f}'} (1-minute load average at start)"),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("sqlite", f"{sqlite3.sqlite_version} (the read model, a temporary file)"),
        (
            "libraries",
            f"temporalio {_version('temporalio')}, strawberry-graphql "
            f"{_version('strawberry-graphql')}, aiohttp {_version('aiohttp')}, "
            f"tortoise-orm {_version('tortoise-orm')}",
        ),
        ("temporal", f"CLI {_temporal_cli_version()} dev server, state in a temporary SQLite file"),
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """Left-aligned first column, right-aligned numbers, a dashed rule under the header."""
    all_rows = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [cells[0].ljust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return (indent + "  ".join(parts)).rstrip()

    rule = indent + "  ".join("-" * w for w in widths)
    return "\n".join([line(all_rows[0]), rule, *(line(r) for r in all_rows[1:])])


def heading(title: str, module: str, facts: Sequence[tuple[str, str]]) -> str:
    """A report's first lines: its title, then `facts` and the command line that ran it."""
    command = " ".join([f"python -m {module}", *sys.argv[1:]])
    return "\n".join([title, facts_block([*facts, ("command", command)])])


def facts_block(facts: Sequence[tuple[str, str]], indent: str = "  ") -> str:
    width = max(len(k) for k, _ in facts)
    return "\n".join(f"{indent}{k.ljust(width)}  {v}" for k, v in facts)


def ms(value: float) -> str:
    return f"{value:.1f}"
