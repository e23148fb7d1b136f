"""The parked-journeys run's processes: a Temporal dev server and `glowpath worker` alone.

The worker is a child process of its own, so that its memory is its own: read from
/proc/PID/status (VmRSS now, VmHWM the peak). It is restarted with each sticky-cache size; every
process is stopped by its pid.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

from bench.chaos_processes import ChaosProcesses, ProcessFailed, _stop
from bench.stack import _os_free_port

CACHE_VARIABLE = "GLOWPATH_WORKER_MAX_CACHED_WORKFLOWS"
PORT_VARIABLE = "GLOWPATH_WORKER_HTTP_PORT"
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
    """Temporal and the read model's migration side by side; then one worker at a time, with
    helpers beside it only while journeys are parked."""

    def __init__(self, workdir: Path, database_url: str) -> None:
        super().__init__(workdir, database_url)
        self.helpers: list[subprocess.Popen[bytes]] = []

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

    async def start_helpers(self, count: int, max_cached: int) -> None:
        """`count` more workers on the same task queue: parking is the worker's CPU, and one
        Python process uses one core. Each answers /readyz on a port of its own."""
        self.env[CACHE_VARIABLE] = str(max_cached)
        try:
            for _ in range(count):
                port = _os_free_port()
                self.env[PORT_VARIABLE] = str(port)
                self.helpers.append(await self._spawn("worker", port))
        finally:
            self.env[PORT_VARIABLE] = str(self.worker_port)

    async def stop_helpers(self) -> None:
        helpers, self.helpers = self.helpers, []
        for helper in helpers:
            await _stop(helper)

    async def stop(self) -> None:
        await self.stop_helpers()
        await super().stop()

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
