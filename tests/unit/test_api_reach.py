"""The API's and the worker's wait for Temporal bound each attempt: an address that takes the
connection and never answers is retried as an unreachable one, not waited on for ever."""

from __future__ import annotations

import asyncio
import inspect
import logging
from types import SimpleNamespace
from typing import Any

import pytest

from server.app import reach_temporal
from workflows.reconnect import ATTEMPT_SECONDS, until_reachable


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


async def test_the_workers_attempts_are_bounded_as_the_apis(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The worker's attempt is a whole connect; one that hears nothing is retried, not waited on
    caplog.set_level(logging.INFO, logger="workflows.reconnect")
    frontend = Frontend(silent=2)

    async def connect() -> str:
        await frontend.get_system_info(None, None)
        return "client"

    client = await asyncio.wait_for(
        until_reachable(connect, "10.0.0.2:7233", attempt_seconds=0.05), 10
    )
    assert (client, frontend.calls) == ("client", 3)
    said = [r.getMessage() for r in caplog.records]
    assert "no answer in 0.05 s" in said[0]


def test_an_attempt_is_bounded_at_ten_seconds_unless_told() -> None:
    assert ATTEMPT_SECONDS == 10.0
    bound = inspect.signature(until_reachable).parameters["attempt_seconds"].default
    assert bound == ATTEMPT_SECONDS
