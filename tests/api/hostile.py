"""Sending the API what an attacker or a broken client would, over raw HTTP, while watching that
the server stays responsive: every hostile request must be answered within `ANSWER_WITHIN`
seconds, and `/healthz` must answer within `HEALTH_WITHIN` seconds while it is in flight."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from tests.api.harness import Api

# Bounds for a loaded two-core machine: a refused document answers in milliseconds, and the
# documents these tests send held the loop for 19 s to minutes before the limits existed.
ANSWER_WITHIN = 5.0
HEALTH_WITHIN = 3.0


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    text: str
    seconds: float

    def json(self) -> Any:
        assert self.content_type == "application/json", (self.status, self.text[:300])
        return json.loads(self.text)

    def error_messages(self) -> list[str]:
        """The messages of a GraphQL answer with errors and no data."""
        body = self.json()
        assert body.get("data") is None, body
        assert body["errors"], body
        return [error["message"] for error in body["errors"]]


@contextlib.asynccontextmanager
async def raw_connection(
    api: Api,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """A TCP connection to the API's port, for bytes no HTTP client would send."""
    address = urlsplit(api.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        yield reader, writer
    finally:
        writer.close()


def healthz_url(api: Api) -> str:
    return api.url.removesuffix("/graphql") + "/healthz"


async def _send(
    http: aiohttp.ClientSession, api: Api, body: bytes, headers: Mapping[str, str], method: str
) -> Answer:
    started = time.monotonic()
    async with http.request(method, api.url, data=body, headers=headers) as response:
        text = await response.text(errors="replace")
        return Answer(response.status, response.content_type, text, time.monotonic() - started)


async def _watch_health(http: aiohttp.ClientSession, api: Api, request: asyncio.Task[Any]) -> int:
    """Asks /healthz again and again while `request` is in flight (up to `ANSWER_WITHIN`);
    each must answer in time."""
    asked = 0
    deadline = time.monotonic() + ANSWER_WITHIN
    while True:
        started = time.monotonic()
        async with asyncio.timeout(HEALTH_WITHIN):
            async with http.get(healthz_url(api)) as response:
                assert response.status == 200
        asked += 1
        assert time.monotonic() - started < HEALTH_WITHIN
        if request.done() or time.monotonic() > deadline:
            return asked


async def send_raw(
    api: Api,
    body: bytes | str,
    *,
    content_type: str = "application/json",
    token: str | None = None,
    method: str = "POST",
    encoding: str | None = None,
) -> Answer:
    """Sends `body` as it is (`encoding`: the `Content-Encoding` it claims); asserts a bounded
    answer, never a 500, and /healthz meanwhile."""
    headers = {"Content-Type": content_type}
    if encoding:
        headers["Content-Encoding"] = encoding
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    async with aiohttp.ClientSession() as http:
        request = asyncio.create_task(_send(http, api, data, headers, method))
        try:
            health_checks = await _watch_health(http, api, request)
            async with asyncio.timeout(ANSWER_WITHIN):
                answer = await request
        finally:
            request.cancel()
    assert health_checks >= 1
    assert answer.seconds < ANSWER_WITHIN, answer
    assert answer.status != 500 and answer.status < 500, answer
    return answer


async def send_graphql(
    api: Api, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> Answer:
    """A well-formed GraphQL request (JSON with any characters, lone surrogates included)."""
    body = json.dumps({"query": query, "variables": variables or {}})
    return await send_raw(api, body, token=token)
