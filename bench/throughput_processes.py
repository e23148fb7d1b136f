"""The throughput benchmark's own children: the floor's worker and the load generators.

Each is a Python process that says it is ready on its first line of stdout; the load generators
then take one JSON command per line and answer one JSON line each. All are stopped by pid.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0
COMMAND_TIMEOUT = 300.0
STREAM_LIMIT = 64 * 1024 * 1024  # one answer carries every latency sample of a phase


class ChildFailed(RuntimeError):
    """A child did not come up, or answered with an error."""


class Child:
    def __init__(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        self.name, self.args, self.env = name, args, env
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else -1

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            *self.args,
            cwd=ROOT,
            env=self.env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=STREAM_LIMIT,
            start_new_session=True,
        )
        first = await self._line(READY_TIMEOUT)
        if not first:
            raise ChildFailed(f"{self.name} exited {await self.process.wait()} before ready")

    async def _line(self, timeout: float) -> bytes:
        assert self.process is not None and self.process.stdout is not None
        async with asyncio.timeout(timeout):
            return await self.process.stdout.readline()

    async def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        """One command to a load generator, and its answer."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        await self.process.stdin.drain()
        line = await self._line(COMMAND_TIMEOUT)
        if not line:
            raise ChildFailed(f"{self.name} exited {await self.process.wait()} mid-command")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise ChildFailed(f"{self.name}: {answer['error']}")
        return answer

    async def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            await stop_process(process, STOP_TIMEOUT)


async def stop_process(process: asyncio.subprocess.Process, timeout: float) -> None:
    """SIGTERM by pid, SIGKILL if it has not exited in `timeout` seconds."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    try:
        async with asyncio.timeout(timeout):
            await process.wait()
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


@contextlib.asynccontextmanager
async def fresh_database(admin_url: str) -> AsyncIterator[str]:
    """A new, empty database on the PostgreSQL server of `admin_url`, dropped on exit. The
    processes reach it directly (no relay: a hop through this process would be measured)."""
    import asyncpg  # type: ignore[import-untyped]

    name = f"glowpath_throughput_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(admin_url, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
