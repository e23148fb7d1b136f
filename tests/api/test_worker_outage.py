"""`glowpath worker` with Temporal gone after it started: the SDK's poll failure warnings come out
once for the outage (the rest counted, each at DEBUG), and one line says when Temporal answers
again and how many were held back. Before, every poller warned at every retry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.api.test_operations import free_port
from tests.api.test_processes import records, stop, wait_ready
from tests.api.test_worker_startup import count, wait_for_log, waiting_worker_env
from tests.support import start_dev_server

HELD = "poll failure held back"
ANSWERS_AGAIN = "Temporal answers again"


def core_poll_failures(log: Path) -> list[str]:
    return [
        r["message"]
        for r in records(log)
        if r["logger"].startswith("temporalio.core") and "gRPC call poll_" in r["message"]
    ]


async def test_a_temporal_outage_is_said_once_and_its_end_with_the_count(
    start: Any, database: str
) -> None:
    temporal_port, probe_port = free_port(), free_port()
    options: dict[str, Any] = {"ip": "127.0.0.1", "port": temporal_port}
    temporal = await start_dev_server(dev_server_log_level="error", **options)
    try:
        # Given a worker polling Temporal
        process, log = start("worker", waiting_worker_env(database, temporal_port, probe_port))
        await wait_ready(f"http://127.0.0.1:{probe_port}/readyz", process, log)

        # When Temporal goes away, long enough for the pollers to fail again and again
        await temporal.shutdown()
        await wait_for_log(log, process, HELD, times=3)

        # Then the SDK's warning came out once, saying the rest are counted
        (said,) = core_poll_failures(log)
        assert "further such warnings are counted" in said

        # When Temporal is back on its port
        temporal = await start_dev_server(dev_server_log_level="error", **options)
        await wait_for_log(log, process, ANSWERS_AGAIN, times=1)
        assert await stop(process) == 0
    finally:
        await temporal.shutdown()
    # Then one line ended the outage, with as many held back as were each said at DEBUG
    (ended,) = [r["message"] for r in records(log) if ANSWERS_AGAIN in r["message"]]
    held = re.search(r"(\d+) poll failure warning\(s\) were held back", ended)
    assert held is not None, ended
    assert int(held.group(1)) == count(log, HELD) >= 3
    assert len(core_poll_failures(log)) == 1
