"""A WebSocket must carry a working token from its `connection_init` on, must send that message
soon, and one client address holds a bounded number of them: an anonymous `connection_init` was
acknowledged and the socket then stayed open for ever, so one client opened 300 in 0.57 s and
could have taken every file descriptor of the process."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from server import socket_limits
from tests.api.conftest import api_settings
from tests.api.harness import Api, eventually, initialised, raw_socket, running_api
from tests.api.sessions import REVOCATIONS, Revoke, new_account, sign_in

INIT_WAIT_SECONDS = 1.0  # the wait for `connection_init` these tests give their API
SOCKETS_PER_ADDRESS = 2  # and the sockets one address may hold
CLOSED_WITHIN = 15.0  # seconds: the wait and a loaded machine's margin; a minute before
FORBIDDEN = 4403  # graphql-transport-ws: a `connection_init` the server refuses
INIT_TIMEOUT = 4408  # graphql-transport-ws: no `connection_init` in time


@pytest.fixture
async def bounded_api(
    database: str,
    temporal_address: str,
    temporal_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Api]:
    """An API behind one proxy (its `X-Forwarded-For` entry is the client's address), with a
    short wait for `connection_init` and a small number of sockets per address."""
    monkeypatch.setattr(socket_limits, "CONNECTION_INIT_WAIT_SECONDS", INIT_WAIT_SECONDS)
    monkeypatch.setattr(socket_limits, "MAX_SOCKETS_PER_ADDRESS", SOCKETS_PER_ADDRESS)
    settings = api_settings(database, temporal_address, "socket-limits")
    behind_a_proxy = dataclasses.replace(settings, trusted_proxy_hops=1)
    async with running_api(behind_a_proxy, temporal_env.client) as api:
        yield api


@contextlib.asynccontextmanager
async def socket(
    api: Api, client: str = "198.51.100.1"
) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A raw socket opened for `client`, as the proxy in front says."""
    async with raw_socket(api, {"X-Forwarded-For": client}) as ws:
        yield ws


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "payload",
    [None, {}, {"Authorization": "Bearer forged-token"}, {"Authorization": "Basic abc"}],
    ids=["no-payload", "no-token", "forged", "not-bearer"],
)
async def test_a_socket_without_a_token_is_refused_at_init(
    bounded_api: Api, payload: Mapping[str, Any] | None
) -> None:
    async with socket(bounded_api) as ws:
        # It was acknowledged, and the socket stayed open though it could do nothing
        assert await initialised(ws, payload) == FORBIDDEN


@REVOCATIONS
async def test_a_socket_whose_token_stopped_working_is_refused_at_init(
    bounded_api: Api, revoke: Revoke, reason: str
) -> None:
    account = await new_account(Role.CONSULTANT)
    token = await sign_in(bounded_api, account)
    await revoke(bounded_api, account, token)
    async with socket(bounded_api) as ws:
        assert await initialised(ws, bearer(token)) == FORBIDDEN, reason


async def test_a_signed_in_socket_is_acknowledged_and_stays_open(bounded_api: Api) -> None:
    token = await sign_in(bounded_api, await new_account(Role.CONSULTANT))
    async with socket(bounded_api) as ws:
        assert await initialised(ws, bearer(token)) == {"type": "connection_ack"}
        # Past the wait for `connection_init`: a socket that said nothing is closed by now
        async with socket(bounded_api) as silent:
            closing = await silent.receive(timeout=CLOSED_WITHIN)
            assert closing.type is aiohttp.WSMsgType.CLOSE, closing
        await ws.send_json({"type": "ping"})
        assert (await ws.receive_json(timeout=CLOSED_WITHIN))["type"] == "pong"


async def test_a_socket_that_sends_no_init_is_closed(bounded_api: Api) -> None:
    async with socket(bounded_api) as ws:
        # Within the wait and a margin (Strawberry's own wait was a minute)
        message = await ws.receive(timeout=CLOSED_WITHIN)
        assert message.type is aiohttp.WSMsgType.CLOSE, message
        assert ws.close_code == INIT_TIMEOUT


async def handshake_status(api: Api, client: str) -> int:
    """101 if a socket opens for `client` (closed again at once), else the refusal's status."""
    try:
        async with socket(api, client):
            return 101
    except aiohttp.WSServerHandshakeError as refused:
        return refused.status


async def test_one_address_holds_a_bounded_number_of_sockets(bounded_api: Api) -> None:
    token = await sign_in(bounded_api, await new_account(Role.CONSULTANT))
    async with contextlib.AsyncExitStack() as held:
        # Given one address holding as many signed-in sockets as it may
        sockets = [
            await held.enter_async_context(socket(bounded_api, "198.51.100.7"))
            for _ in range(SOCKETS_PER_ADDRESS)
        ]
        for ws in sockets:
            assert await initialised(ws, bearer(token)) == {"type": "connection_ack"}
        # Then it may open no more, while another address may
        assert await handshake_status(bounded_api, "198.51.100.7") == 429
        assert await handshake_status(bounded_api, "198.51.100.8") == 101
        # And once one of its sockets closes, it may open one again
        await sockets[0].close()
        await eventually(
            lambda: handshake_status(bounded_api, "198.51.100.7"),
            lambda status: status == 101,
            timeout=CLOSED_WITHIN,
            what="a socket after one of the address's closed",
        )
