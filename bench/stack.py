"""The stack under test, started from nothing and torn down in reverse order.

A Temporal dev server (child process, state in a temporary SQLite file), a temporary SQLite read
model brought to the latest migration, the demo staff accounts, a worker and the real aiohttp API,
all on loopback ports nobody else holds. Worker and API run in this process, on this event loop.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import random
import socket
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from temporalio.client import Client

from domain.store.db import apply_migrations, close_db, init_db
from server.app import create_app
from server.devstack import TemporalDevServer, port_open
from server.seed import seed_demo
from server.settings import Settings
from workflows import worker as worker_module
from workflows.converter import DATA_CONVERTER
from workflows.heap import freeze_start_up_objects
from workflows.worker import build_worker

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
TASK_QUEUE = "glowpath-bench"
UI_OFFSET = 1000  # the dev server's Web UI listens on its gRPC port + 1000


@dataclass
class Stack:
    settings: Settings
    temporal: Client
    graphql_url: str
    dev_server_pid: int | None
    # One full garbage collection once started, in ms: before start-up's objects were frozen,
    # and after (the same when `freeze_start_up` is off).
    full_gc_ms: tuple[float, float] = (0.0, 0.0)


def _os_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# Below Linux's ephemeral range (32768 and up), from which the kernel picks the local port of
# every outgoing connection and of every listener bound to port 0: a port found free there and
# bound seconds later by a process started meanwhile was taken by another suite's connection in
# between (the chaos run's API then failed with "address already in use").
LISTEN_PORTS = range(20_000, 32_000)


def free_listen_port(attempts: int = 100) -> int:
    """A free port, outside the ephemeral range, for a process that binds it a while later."""
    for _ in range(attempts):
        port = random.choice(LISTEN_PORTS)
        with contextlib.suppress(OSError), socket.socket() as probe:
            probe.bind((HOST, port))
            return port
    raise RuntimeError("no free port to listen on")


def free_dev_server_port(attempts: int = 50) -> int:
    """A free port whose UI neighbour (port + 1000) is free as well."""
    for _ in range(attempts):
        port = _os_free_port()
        ui = port + UI_OFFSET
        if ui <= 65535 and not port_open(HOST, ui, timeout=0.1):
            with contextlib.suppress(OSError), socket.socket() as probe:
                probe.bind((HOST, ui))
                return port
    raise RuntimeError("no free port pair for the Temporal dev server")


@contextlib.asynccontextmanager
async def running_stack(
    database_url: str | None = None, freeze_start_up: bool = True
) -> AsyncIterator[Stack]:
    """Everything the benchmark talks to; stopped on exit, also on error or cancellation.
    The read model is a temporary SQLite file unless `database_url` names another (empty).
    `freeze_start_up=False` leaves start-up's objects to the garbage collector (`workflows.heap`),
    to measure what freezing them saves."""
    async with contextlib.AsyncExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="glowpath-bench-")))
        port = free_dev_server_port()
        dev_server = TemporalDevServer(
            data_dir=data_dir / "temporal",
            port=port,
            ip=HOST,
            search_attributes=getattr(worker_module, "SEARCH_ATTRIBUTES", None),
        )
        # Registered before start: a start interrupted half-way still stops the child by pid.
        stack.push_async_callback(dev_server.stop)
        await dev_server.start()
        settings = Settings(
            database_url=database_url or f"sqlite://{data_dir / 'read-model.sqlite3'}",
            temporal_address=dev_server.address,
            task_queue=TASK_QUEUE,
            http_host=HOST,
            http_port=0,
            data_dir=data_dir,
            dev_temporal_port=port,
            log_level="WARNING",
        )
        await apply_migrations(settings.database_url)
        await seed_demo(settings)  # opens and closes its own connection
        await init_db(settings.database_url)
        stack.push_async_callback(close_db)

        temporal = await Client.connect(
            settings.temporal_address, namespace="default", data_converter=DATA_CONVERTER
        )
        await stack.enter_async_context(build_worker(temporal, settings.task_queue))

        runner = web.AppRunner(create_app(settings, temporal), access_log=None)
        await runner.setup()
        stack.push_async_callback(runner.cleanup)
        site = web.TCPSite(runner, HOST, 0)
        await site.start()
        http_port = _bound_port(runner)
        before_freeze = _full_collection_ms()
        if freeze_start_up:
            freeze_start_up_objects()  # as the API and the worker do once started
        yield Stack(
            settings=settings,
            temporal=temporal,
            graphql_url=f"http://{HOST}:{http_port}/graphql",
            dev_server_pid=dev_server.pid,
            full_gc_ms=(before_freeze, _full_collection_ms()),
        )


def _full_collection_ms() -> float:
    start = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - start) * 1000


def _bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("the API server did not bind a TCP port")
