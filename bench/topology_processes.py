"""The production topology as separate processes: a Temporal dev server, PostgreSQL, two
`glowpath api` and two `glowpath worker` processes sharing one task queue and one read model.

Every process is a child on loopback in its own session, configured as in production (operations
port, introspection off, JSON logs), and stopped or killed by its pid only.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.chaos_processes import ChaosProcesses, _kill9, _stop
from bench.stack import HOST, _os_free_port

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Member:
    """One `glowpath api` or `glowpath worker` process."""

    name: str
    command: str
    ops_port: int
    http_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def graphql_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/graphql"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.http_port}/graphql"


class Topology(ChaosProcesses):
    """The chaos run's set-up (dev server, migrate, seed), with two of each process."""

    def __init__(self, workdir: Path, database_url: str, follow_ups: str) -> None:
        super().__init__(workdir, database_url)
        self.env.pop("GLOWPATH_WORKER_HTTP_PORT", None)
        self.env.update(
            GLOWPATH_FOLLOW_UP_SCHEDULE=follow_ups,
            GLOWPATH_TASK_QUEUE=f"topology-{uuid.uuid4().hex[:8]}",
        )
        self.members = [
            Member("api-1", "api", _os_free_port(), _os_free_port()),
            Member("api-2", "api", _os_free_port(), _os_free_port()),
            Member("worker-1", "worker", _os_free_port()),
            Member("worker-2", "worker", _os_free_port()),
        ]

    def member(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)

    @property
    def apis(self) -> list[Member]:
        return [m for m in self.members if m.command == "api"]

    async def start(self) -> None:
        await self.temporal.start()
        for command in ("migrate", "seed"):
            await self.run_command(command)
        for member in self.members:
            await self.start_member(member.name)

    async def start_member(self, name: str) -> None:
        """One `glowpath api` or `worker`, returned once it answers /readyz."""
        member = self.member(name)
        member.process = await self._spawn_member(member)

    async def _spawn_member(self, member: Member) -> subprocess.Popen[bytes]:
        env = {**self.env, "GLOWPATH_OPS_PORT": str(member.ops_port)}
        if member.http_port:
            env["GLOWPATH_HTTP_PORT"] = str(member.http_port)
        log = self.workdir / f"{member.name}.log"
        with log.open("ab") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", member.command],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            await self._wait_ready(f"http://{HOST}:{member.ops_port}/readyz", process, log)
        except BaseException:
            await _stop(process)
            raise
        return process

    async def kill(self, name: str) -> int:
        """kill -9 by pid, not restarted; the pid it had."""
        member = self.member(name)
        pid = member.process.pid if member.process else -1
        await _kill9(member.process)
        member.process = None
        return pid

    async def stop(self) -> None:
        """APIs first (no new work), then the workers, then Temporal; each by its pid."""
        for member in self.members:
            if member.process is not None:
                await _stop(member.process)
                member.process = None
        await self.temporal.stop()

    def alive(self) -> list[str]:
        return [m.name for m in self.members if m.process and m.process.poll() is None]
