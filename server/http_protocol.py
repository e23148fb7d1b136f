"""Requests that are not well-formed HTTP: a 400 that says so in words, quoting nothing; and
connections that send nothing closed once idle.

aiohttp answers a request it cannot parse (a line past 8,190 bytes, a bad header, TLS sent to a
plain port) with its parser's message, which quotes the request's own bytes as a Python
`bytearray(b'...')` or `b'...'`: the server's internals shown to whoever sent it. Here the answer
names what was wrong and what to do; the log line keeps the parser's reason
(`server.http_mistakes`). Every other answer of aiohttp's, a 500 included, stays its own.

aiohttp closes a connection left idle, or whose request's head has not ended, after its
`keepalive_timeout`; its `AppRunner` takes 3,630 s by default, so a sender opening connections and
sending nothing (or a header a byte at a time) held a socket and a task each for an hour.

A client that makes no room for its answers within the same bound is let go too: aiohttp waited
for it with no limit, so a sender that pipelined requests (or asked for one large answer) and read
nothing held its connection and its task for as long as it liked, never idle (two such
connections, with a 1 s bound, still stood 20 s later, their send buffers full). The bound is on
each wait for room, not on the whole answer: a slow reader (a photo on a poor uplink) is not cut.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse
from aiohttp.web_server import Server

# aiohttp's own bound on a request line and on each header line (its `max_line_size` and
# `max_field_size` defaults), named in the answer so the sender knows what to shorten.
MAX_LINE_BYTES = 8190
# Seconds a connection may wait for its next request, or for the end of a request's head. Longer
# than a load balancer's usual idle timeout (60 s): one that reused a connection the API had just
# closed would answer its client 502. A request being answered, or a WebSocket, is not idle.
IDLE_CONNECTION_SECONDS = 75.0

NOT_HTTP = "Bad Request: the request is not well-formed HTTP/1.1."
LINE_TOO_LONG = (
    f"Bad Request: the request line or a header is longer than {MAX_LINE_BYTES} bytes "
    "(send a large query in a POST body)."
)


class _PlainParseErrors(RequestHandler):
    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> StreamResponse:
        if status == 400 and isinstance(exc, HttpProcessingError):
            message = LINE_TOO_LONG if isinstance(exc, LineTooLong) else NOT_HTTP
        return super().handle_error(request, status, exc, message)

    async def _drain_helper(self) -> None:
        # Waits while the connection's send buffer is full: each wait ends when the client has
        # read some of it. One that lasts the whole bound drops the connection; its request
        # ends as on a client gone (aiohttp takes a ConnectionError so).
        try:
            async with asyncio.timeout(IDLE_CONNECTION_SECONDS):
                await super()._drain_helper()
        except TimeoutError:
            if self.transport is not None:
                self.transport.abort()
            raise ConnectionResetError("the client took none of its answer in time") from None

    async def shutdown(self, timeout: float | None = 15.0) -> None:
        # aiohttp waits `timeout` for the request under way, then asks it to stop and waits
        # `timeout` again before cancelling it: a request that outlived the grace held the stop
        # for twice GLOWPATH_SHUTDOWN_TIMEOUT_SECONDS. Half each: the grace in all.
        await super().shutdown(None if timeout is None else timeout / 2)


class _Server(Server):
    def __call__(self) -> RequestHandler:
        return _PlainParseErrors(self, loop=self._loop, **self._kwargs)


class AppRunner(web.AppRunner):
    """`web.AppRunner` whose connections answer unparseable requests, are closed once idle, as
    described above, and on shutdown give a request under way its `shutdown_timeout` in all."""

    async def _make_server(self) -> Server:
        made = await super()._make_server()
        # The application's server, rebuilt with the same handler and settings before it
        # serves a connection (aiohttp forbids subclassing the application that makes it).
        return _Server(
            made.request_handler,
            request_factory=made.request_factory,
            handler_cancellation=made.handler_cancellation,
            **{"keepalive_timeout": IDLE_CONNECTION_SECONDS, **made._kwargs},
        )
