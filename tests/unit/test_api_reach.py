"""The API's wait for Temporal bounds each attempt: an address that takes the connection and
never answers is retried as an unreachable one, not waited on for ever."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import pytest

from server.app import reach_temporal


class Frontend:
    """Answers `get_system_info` from the `silent`-th call on; the calls before never return."""

    def __init__(self, silent: int) -> None:
        self.calls = 0
        self.silent = silent

    async def get_system_info(self, request: Any, timeout: Any) -> object:
        self.calls += 1
        if self.calls <= self.silent:
            await asyncio.Event().wait()
        return object()


async def test_an_attempt_that_gets_no_answer_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="workflows.reconnect")
    frontend = Frontend(silent=1)
    temporal: Any = SimpleNamespace(workflow_service=frontend)
    # When the first attempt hears nothing
    await asyncio.wait_for(reach_temporal(temporal, "10.0.0.1:7233", attempt_seconds=0.05), 10)
    # Then it was said once, tried again, and the second answered
    assert frontend.calls == 2
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith("Temporal at 10.0.0.1:7233 is unreachable (DEADLINE_EXCEEDED: no ")
    assert "answered after" in said[-1]
