"""The parked-journeys run's processes: a Temporal dev server and `glowpath worker` alone.

The worker is a child process of its own, so that its memory is its own: read from
/proc/PID/status (VmRSS now, VmHWM the peak). It is restarted with each sticky-cache size; every
process is stopped by its pid.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.chaos_processes import ChaosProcesses, ProcessFailed, _stop

CACHE_VARIABLE = "GLOWPATH_WORKER_MAX_CACHED_WORKFLOWS"
MIB = 1024


def memory_mib(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak (VmRSS, VmHWM), in MiB."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / MIB  # the kernel counts in kB
    return found["VmRSS"], found["VmHWM"]


class ParkedProcesses(ChaosProcesses):
    """Temporal and the read model's migration side by side; then one worker at a time."""

    async def start(self) -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(self.temporal.start())
            group.create_task(self.run_command("migrate"))

    async def start_worker(self, max_cached: int) -> int:
        """A fresh `glowpath worker` keeping at most `max_cached` runs; its pid once ready."""
        await self.stop_worker()
        self.env[CACHE_VARIABLE] = str(max_cached)
        self.worker = await self._spawn("worker", self.worker_port)
        return self.worker.pid

    async def stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            await _stop(worker)

    @property
    def worker_pid(self) -> int:
        if self.worker is None or self.worker.poll() is not None:
            raise ProcessFailed("the worker is not running")
        return self.worker.pid


async def settled_mib(pid: int, quiet: float = 5.0, limit: float = 60.0) -> float:
    """VmRSS once it has moved less than 1 % for `quiet` seconds (at most `limit` seconds):
    what the worker holds when the touched runs' garbage has been collected and returned."""
    began = time.monotonic()
    steady_since, last = began, memory_mib(pid)[0]
    while time.monotonic() - began < limit:
        await asyncio.sleep(0.5)  # a sampling interval, not a wait for an event
        now = memory_mib(pid)[0]
        if abs(now - last) > 0.01 * last:
            steady_since, last = time.monotonic(), now
        elif time.monotonic() - steady_since >= quiet:
            return now
    return memory_mib(pid)[0]
