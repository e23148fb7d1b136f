"""The processes the chaos run breaks: a Temporal dev server, `glowpath worker`, `glowpath api`,
and (PostgreSQL only) their connections to the database.

Each runs as its own child process on loopback, in its own session, and is stopped by its pid:
never by name. The dev server keeps its state in one SQLite file, so stopping it and starting it
again on the same port brings back every workflow. With PostgreSQL the worker and the API reach
the server through a TCP relay in this process: cutting it drops every connection and refuses
new ones until it listens again on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import aiohttp

from bench.stack import HOST, free_dev_server_port, free_listen_port
from server.devstack import TemporalDevServer
from tests.api.outage import TcpRelay
from workflows import worker as worker_module

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 90.0
STOP_TIMEOUT = 25.0
SETUP_TIMEOUT = 180.0


class ProcessFailed(RuntimeError):
    """A process did not come up (or a set-up command failed); the log's tail says why."""


def _tail(log: Path, lines: int = 15) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"


class ChaosProcesses:
    def __init__(self, workdir: Path, database_url: str, relay: TcpRelay | None = None) -> None:
        """`relay`: started, the processes' way to the database named by `database_url`."""
        self.workdir = workdir
        self.relay = relay
        self.temporal = TemporalDevServer(
            data_dir=workdir / "temporal",
            port=free_dev_server_port(),
            ip=HOST,
            search_attributes=getattr(worker_module, "SEARCH_ATTRIBUTES", None),
        )
        self.api_port = free_listen_port()
        self.worker_port = free_listen_port()
        self.api: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GLOWPATH_")}
        self.env.update(
            PYTHONPATH=str(ROOT),
            GLOWPATH_DATABASE_URL=database_url,
            GLOWPATH_TEMPORAL_ADDRESS=self.temporal.address,
            GLOWPATH_TASK_QUEUE=f"chaos-{uuid.uuid4().hex[:8]}",
            # Fixed for the run: tokens signed before an API restart stay valid after it.
            GLOWPATH_SECRET_KEY="chaos-run-secret-" + uuid.uuid4().hex + uuid.uuid4().hex,
            GLOWPATH_HTTP_HOST=HOST,
            GLOWPATH_HTTP_PORT=str(self.api_port),
            GLOWPATH_WORKER_HTTP_PORT=str(self.worker_port),
            GLOWPATH_DATA_DIR=str(workdir),
            GLOWPATH_LOG_FORMAT="json",
            GLOWPATH_LOG_LEVEL="WARNING",
            GLOWPATH_SHUTDOWN_TIMEOUT_SECONDS="5",
        )

    @property
    def graphql_url(self) -> str:
        return f"http://{HOST}:{self.api_port}/graphql"

    async def start(self) -> None:
        """Temporal beside the database's set-up (the seed needs no Temporal), then the worker
        beside the API: on a busy machine each step is mostly a Python process starting."""

        async def database() -> None:
            for command in ("migrate", "seed"):
                await self.run_command(command)

        async with asyncio.TaskGroup() as group:
            group.create_task(self.temporal.start())
            group.create_task(database())
        worker = asyncio.create_task(self._spawn("worker", self.worker_port))
        api = asyncio.create_task(self._spawn("api", self.api_port))
        await asyncio.wait((worker, api))
        # Each one that came up is kept, so that `stop` ends it even if the other failed.
        self.worker = worker.result() if not worker.exception() else None
        self.api = api.result() if not api.exception() else None
        for spawned in (worker, api):
            if spawned.exception() is not None:
                raise spawned.exception()  # type: ignore[misc]

    async def run_command(self, *args: str, timeout: float = SETUP_TIMEOUT) -> tuple[int, str]:
        """`glowpath ARGS` to its end (bounded by `timeout`); its exit code and output."""
        log = self.workdir / f"{args[0]}.log"

        def run() -> subprocess.CompletedProcess[bytes]:
            return subprocess.run(
                [sys.executable, "-m", "server.cli", *args],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )

        done = await asyncio.to_thread(run)
        output = (done.stdout + done.stderr).decode(errors="replace")
        log.write_text(output)
        if done.returncode != 0 and args[0] != "reconcile":
            raise ProcessFailed(f"glowpath {' '.join(args)} exited {done.returncode}:\n{output}")
        return done.returncode, output

    async def _spawn(self, command: str, port: int) -> subprocess.Popen[bytes]:
        log = self.workdir / f"{command}.log"
        with log.open("ab") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", command],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            await self._wait_ready(f"http://{HOST}:{port}/readyz", process, log)
        except BaseException:
            await _stop(process)
            raise
        return process

    async def _wait_ready(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise ProcessFailed(f"{url}: exited {process.returncode}:\n{_tail(log)}")
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with session.get(url) as answer:
                        if answer.status == 200:
                            return
                await asyncio.sleep(0.25)
        raise ProcessFailed(f"{url} not ready in {READY_TIMEOUT:.0f} s:\n{_tail(log)}")

    # --- the faults: each returns when the broken part answers /readyz again -----------------

    async def kill_worker(self) -> None:
        await _kill9(self.worker)
        self.worker = await self._spawn("worker", self.worker_port)

    async def kill_api(self) -> None:
        await _kill9(self.api)
        self.api = await self._spawn("api", self.api_port)

    async def restart_temporal(self) -> None:
        """Stopped and started on the same port with the same state file."""
        await self.temporal.stop()
        await self.temporal.start()
        await self._both_ready()

    async def cut_database(self, seconds: float) -> None:
        """Every database connection dropped, and none possible, for `seconds`; then back."""
        if self.relay is None:
            raise ProcessFailed("the database can be cut only behind the relay (PostgreSQL)")
        await self.relay.stop()
        try:
            await asyncio.sleep(seconds)  # the outage itself, not a wait for anything
        finally:
            await self.relay.start()
        await self._both_ready()

    async def _both_ready(self) -> None:
        """The API and the worker reconnect on their own; ready means they did."""
        running = (("worker", self.worker, self.worker_port), ("api", self.api, self.api_port))
        for command, process, port in running:
            if process is not None:
                log = self.workdir / f"{command}.log"
                await self._wait_ready(f"http://{HOST}:{port}/readyz", process, log)

    async def stop(self) -> None:
        """API first (no new work), then the worker, then Temporal; each by its pid."""
        api, self.api = self.api, None
        worker, self.worker = self.worker, None
        for process in (api, worker):
            if process is not None:
                await _stop(process)
        await self.temporal.stop()


async def _kill9(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    await asyncio.to_thread(process.wait, STOP_TIMEOUT)


async def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM by pid, SIGKILL if it has not exited in STOP_TIMEOUT seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        await asyncio.to_thread(process.wait, STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        await _kill9(process)
