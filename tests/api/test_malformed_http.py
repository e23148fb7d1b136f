"""Malformed HTTP is answered 400 in words, and said at INFO without a traceback: an operator
alerting on ERROR is not paged by a long URL (aiohttp logged each at ERROR with a traceback, and
its answer quoted the request's bytes as a Python `bytearray`; both found by hostile passes). A
fault that is not a parse error keeps its ERROR. A WebSocket handshake that offers none of the
API's protocols is said once at INFO, its offer shortened (aiohttp said it twice at WARNING,
quoting the whole header)."""

from __future__ import annotations

import asyncio
import logging
import sys
from urllib.parse import urlsplit

import aiohttp
import pytest

from server.http_mistakes import SERVER_LOGGER, SOCKET_LOGGER, ClientMistakesAtInfo
from server.http_protocol import LINE_TOO_LONG, NOT_HTTP
from tests.api.harness import SOCKET_WITHIN, Api

SUBPROTOCOL_NOT_ACCEPTABLE = 4406  # graphql-transport-ws's close code

ANSWER_WITHIN = 10  # seconds: a refusal comes at once; this only bounds a hang
MALFORMED = [
    b"GET /graphql?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /%s%d HTTP/1.1\r\nHost: x\r\nBad Header%s: y\r\n\r\n",  # "%" in the parser's reason
    b"GET /graphql HTTP/1.1\r\nHost: x\r\nX-Long: " + b"b" * 9000 + b"\r\n\r\n",
    b"POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
]


async def _send_raw(api: Api, request: bytes) -> bytes:
    address = urlsplit(api.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        writer.write(request)
        await writer.drain()
        # The refusal closes the connection: its end bounds the read.
        return await asyncio.wait_for(reader.read(), ANSWER_WITHIN)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "request_bytes", MALFORMED, ids=["request-line", "percent", "header", "chunk"]
)
async def test_malformed_http_is_a_400_said_at_info(
    api: Api, caplog: pytest.LogCaptureFixture, request_bytes: bytes
) -> None:
    with caplog.at_level(logging.INFO, logger=SERVER_LOGGER):
        answer = await _send_raw(api, request_bytes)
    status_line, _, body = answer.partition(b"\r\n\r\n")
    assert status_line.split()[1:2] == [b"400"], status_line
    # The answer says what was wrong in words and quotes none of the request's bytes
    assert body.decode() in (NOT_HTTP, LINE_TOO_LONG), body
    assert (body.decode() == LINE_TOO_LONG) == (
        b"a" * 9000 in request_bytes or b"b" * 9000 in request_bytes
    )
    said = [r for r in caplog.records if r.name == SERVER_LOGGER]
    assert said, "the refusal is still logged"
    assert [(r.levelno, r.exc_info) for r in said] == [(logging.INFO, None)] * len(said)
    assert all("Error handling request" in r.getMessage() for r in said)


def test_a_fault_that_is_not_a_parse_error_keeps_its_error_level() -> None:
    try:
        raise RuntimeError("a handler crashed")
    except RuntimeError:
        record = logging.LogRecord(
            SERVER_LOGGER,
            logging.ERROR,
            __file__,
            1,
            "Error handling request",
            None,
            sys.exc_info(),
        )
    assert ClientMistakesAtInfo().filter(record)
    assert (record.levelno, record.exc_info is not None) == (logging.ERROR, True)


async def test_a_handshake_offering_no_protocol_of_the_api_is_said_once_at_info_and_short(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a client that offers the legacy `graphql-ws` and a header as long as aiohttp takes
    offered = ["graphql-ws", *(f"p{n:05}" for n in range(1000))]
    # When it opens a socket
    with caplog.at_level(logging.INFO, logger=SOCKET_LOGGER):
        async with aiohttp.ClientSession() as session, asyncio.timeout(SOCKET_WITHIN):
            async with session.ws_connect(api.ws_url, protocols=offered) as ws:
                closed = await ws.receive()
    # Then the socket is closed with 4406, and the log says so once, at INFO, in a short line
    assert (closed.type, ws.close_code) == (aiohttp.WSMsgType.CLOSE, SUBPROTOCOL_NOT_ACCEPTABLE)
    said = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == SOCKET_LOGGER]
    assert [level for level, _ in said] == [logging.INFO], said
    assert "graphql-ws" in said[0][1] and len(said[0][1]) <= 400, said
