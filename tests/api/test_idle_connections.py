"""A connection that sends nothing, or a request's head that never ends, is closed after the idle
bound: aiohttp's own default kept either open for an hour (3,630 s), each holding a socket and a
task, so a few thousand of them from one sender took every file descriptor the API had. A
WebSocket is not idle: it stays open past the bound. A client that takes none of its answers for
as long is let go too: it held its connection and its task for ever."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from temporalio.testing import WorkflowEnvironment

from server import http_protocol
from tests.api.conftest import api_settings
from tests.api.harness import Api, eventually, running_api, signed_in_socket
from tests.api.hostile import raw_connection
from tests.api.sessions import new_account, sign_in

IDLE_SECONDS = 1.0  # the bound these tests give their API
CLOSED_WITHIN = 15.0  # seconds: the bound and a loaded machine's margin; an hour before
HEAD_BYTE_EVERY = 0.2  # a slow sender's pace: each byte comes well within the bound
# Requests sent at once on one connection whose answers are never read: their answers (about
# 10 MB) are more than the server's send buffer and the client's receive buffer hold.
PIPELINED = 40_000
SEND_FOR = 10.0  # seconds the sender tries to hand them all over


@pytest.fixture
async def impatient_api(
    database: str,
    temporal_address: str,
    temporal_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Api]:
    monkeypatch.setattr(http_protocol, "IDLE_CONNECTION_SECONDS", IDLE_SECONDS)
    settings = api_settings(database, temporal_address, "idle-connections")
    async with running_api(settings, temporal_env.client) as api:
        yield api


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """All the server sends until it closes the connection, within `CLOSED_WITHIN` s."""
    return await asyncio.wait_for(reader.read(), CLOSED_WITHIN)


def test_the_bound_outlasts_a_load_balancers_idle_timeout() -> None:
    # A load balancer reusing a connection the API has just closed answers its client 502:
    # the API waits longer than the usual 60 s of theirs
    assert 60 < http_protocol.IDLE_CONNECTION_SECONDS <= 120


async def test_a_connection_that_sends_nothing_is_closed(impatient_api: Api) -> None:
    async with raw_connection(impatient_api) as (reader, _):
        assert await closed_by_server(reader) == b""


async def test_a_request_head_that_never_ends_is_closed(impatient_api: Api) -> None:
    async with raw_connection(impatient_api) as (reader, writer):
        writer.write(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")

        async def trickle() -> None:
            # One byte of a header at a time, never its end (bounded, should it never close)
            for _ in range(int(CLOSED_WITHIN / HEAD_BYTE_EVERY)):
                await asyncio.sleep(HEAD_BYTE_EVERY)
                writer.write(b"a")

        sending = asyncio.create_task(trickle())
        try:
            assert await closed_by_server(reader) == b""
        finally:
            sending.cancel()


async def test_a_kept_alive_connection_is_closed_once_idle(impatient_api: Api) -> None:
    async with raw_connection(impatient_api) as (reader, writer):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CLOSED_WITHIN)
        assert head.startswith(b"HTTP/1.1 200"), head
        assert b"Connection: close" not in head  # kept alive: the next request may come
        # Then nothing more comes, and the server closes it once idle
        await closed_by_server(reader)


async def test_a_websocket_stays_open_past_the_bound(impatient_api: Api) -> None:
    token = await sign_in(impatient_api, await new_account())
    async with signed_in_socket(impatient_api, token) as ws:
        # Past the bound: an idle connection opened after the socket has been closed by now
        async with raw_connection(impatient_api) as (reader, _):
            await closed_by_server(reader)
        await ws.send_json({"type": "ping"})
        assert (await ws.receive_json(timeout=CLOSED_WITHIN))["type"] == "pong"


async def test_a_client_that_reads_none_of_its_answers_is_let_go(impatient_api: Api) -> None:
    # Given a connection whose client reads nothing, with a small receive buffer
    address = urlsplit(impatient_api.url)
    loop = asyncio.get_running_loop()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await loop.sock_connect(sock, (address.hostname, address.port))
        # When it sends many requests at once, more than the connection holds the answers of
        # (the sending stops when the server stops reading, having no room for the answers)
        request = b"GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(loop.sock_sendall(sock, request * PIPELINED), SEND_FOR)

        async def connection_error() -> int:
            return sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)

        # Then the server drops the connection once the client took nothing for its bound
        # (before, it waited for the client for ever)
        await eventually(
            connection_error, bool, timeout=CLOSED_WITHIN + SEND_FOR, what="connection dropped"
        )
