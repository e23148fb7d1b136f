"""A graphql-transport-ws client that subscribes and then reads nothing more, as a frozen app
or a dropped network: the server's pushes fill its connection."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import struct
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

# The client's receive buffer, in bytes: small, so that a few pushes fill the connection.
RECEIVE_BUFFER = 4096
# A journey's history asked for many times over: each push is a few hundred kilobytes.
BIG_PUSHES = (
    "subscription Big($id: ID!) { journeyChanged(id: $id) { "
    + " ".join(
        f"h{n}: history(first: 70) {{ seq action fromStage toStage actorId summary at }}"
        for n in range(12)
    )
    + " } }"
)


def _frame(message: dict[str, Any]) -> bytes:
    """One masked text frame, as a client sends it."""
    data = json.dumps(message).encode()
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(data))
    if len(data) < 126:
        head = struct.pack("!BB", 0x81, 0x80 | len(data))
    else:
        head = struct.pack("!BBH", 0x81, 0x80 | 126, len(data))
    return head + mask + masked


@contextlib.asynccontextmanager
async def stalled_socket(
    url: str, token: str, subscriptions: Iterable[dict[str, Any]]
) -> AsyncIterator[None]:
    """A signed-in socket that sends each subscription's `subscribe`, then reads nothing."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    raw.setblocking(False)
    await asyncio.get_running_loop().sock_connect(raw, (host, port))
    reader, writer = await asyncio.open_connection(sock=raw)
    try:
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            f"GET {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n".encode()
        )
        assert b" 101 " in await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        writer.write(_frame(init))
        head = await asyncio.wait_for(reader.readexactly(2), 10)
        ack = json.loads(await reader.readexactly(head[1] & 0x7F))
        assert ack == {"type": "connection_ack"}, ack
        for n, payload in enumerate(subscriptions):
            writer.write(_frame({"id": str(n), "type": "subscribe", "payload": payload}))
        await writer.drain()
        yield
    finally:
        writer.transport.abort()


def sends_held_up(runner: web.AppRunner) -> bool:
    """Whether a connection of the server holds more than it may buffer (its sends wait)."""
    server = runner.server
    assert server is not None
    return any(
        connection.transport is not None
        and connection.transport.get_write_buffer_size() > 64 * 1024
        for connection in server.connections
    )
