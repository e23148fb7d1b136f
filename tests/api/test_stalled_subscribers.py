"""A subscriber that reads nothing holds no more than its connection: its subscriptions end
(their places among its account's are free again), and the API still shuts down within its
bound."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.feed import JourneyFeed
from server import socket_close
from server.app import create_app
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver
from tests.api.harness import eventually
from tests.api.live import subscribers_of
from tests.api.stalled_socket import BIG_PUSHES, sends_held_up, stalled_socket
from tests.api.test_live_views import nudge

HEARTBEAT = 1.0  # seconds between the server's pings, in these tests
CLOSE_WITHIN = 0.5  # seconds a socket has to close on shutdown, in these tests
STEPS_AT_MOST = 60  # nudges the server's sends surely wait after


@asynccontextmanager
async def served_api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str, **app: object
) -> AsyncIterator[tuple[web.AppRunner, str]]:
    """An API of the test's own on a free port: its runner (the test may shut it down) and its
    GraphQL URL."""
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    runner = web.AppRunner(create_app(settings, temporal_env.client, **app), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield runner, f"http://127.0.0.1:{runner.addresses[0][1]}/graphql"
    finally:
        await runner.cleanup()


async def test_a_subscriber_that_reads_nothing_does_not_hold_the_shutdown(
    driver: JourneyDriver,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an API, and a client watching a journey there ten times over that reads nothing
    monkeypatch.setattr(socket_close, "CLOSE_WITHIN_SECONDS", CLOSE_WITHIN)
    journey = await driver.start()
    async with served_api(database, temporal_env, temporal_address) as (runner, url):
        watch = {"query": BIG_PUSHES, "variables": {"id": journey["id"]}}
        async with stalled_socket(url, driver.token(Role.NURSE), [watch] * 10):
            # (steps until the server's sends to it wait for the client)
            for n in range(STEPS_AT_MOST):
                await nudge(driver, journey["id"], n)
                if sends_held_up(runner):
                    break
            assert sends_held_up(runner)
            # When the API shuts down
            started = time.monotonic()
            await asyncio.wait_for(runner.cleanup(), timeout=30)
            # Then it is done within the sockets' bound, not when the client reads again
            assert time.monotonic() - started < CLOSE_WITHIN + 5


async def test_the_subscriptions_of_a_client_that_reads_nothing_end(
    driver: JourneyDriver,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an API that pings its sockets each second, and a client watching a journey there
    # ten times over that reads nothing
    monkeypatch.setattr(socket_close, "HEARTBEAT_SECONDS", HEARTBEAT)
    journey = await driver.start()
    feed = JourneyFeed()
    async with served_api(database, temporal_env, temporal_address, feed=feed) as (runner, url):
        watch = {"query": BIG_PUSHES, "variables": {"id": journey["id"]}}
        async with stalled_socket(url, driver.token(Role.NURSE), [watch] * 10):
            await eventually(subscribers_of(feed), lambda n: n == 10, timeout=30, what="all")
            # When the journey moves on until the server's sends to it wait (unless its
            # unanswered pings ended it first)
            for n in range(STEPS_AT_MOST):
                await nudge(driver, journey["id"], n)
                if sends_held_up(runner) or not feed.subscribers():
                    break
            # Then its subscriptions end
            await eventually(subscribers_of(feed), lambda n: n == 0, timeout=30, what="none")
