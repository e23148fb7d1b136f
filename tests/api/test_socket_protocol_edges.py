"""graphql-transport-ws messages that are the caller's mistake, answered as the protocol says
(the socket closed with 4400 and why) and never logged as a fault (found by a hostile pass over
the running API; each test failed before):

- a `complete` whose `id` is not text (a list, an object): Strawberry looked it up among the
  socket's operations, failed on it, and aiohttp logged a traceback at ERROR and dropped the
  socket without a close code; anyone could, before `connection_init`.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.harness import GRAPHQL_TRANSPORT_WS, SOCKET_WITHIN, Api, signed_in_socket

BAD_IDS = [[1], {"a": 1}]


def _faults(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def _closing(ws: aiohttp.ClientWebSocketResponse, message: dict[str, Any]) -> Any:
    await ws.send_json(message)
    return await ws.receive(timeout=SOCKET_WITHIN)


@pytest.mark.parametrize("bad_id", BAD_IDS, ids=["list", "object"])
async def test_a_complete_whose_id_is_not_text_closes_a_socket_before_its_init(
    api: Api, caplog: pytest.LogCaptureFixture, bad_id: object
) -> None:
    # Given an anonymous socket that has sent nothing yet
    with caplog.at_level(logging.INFO):
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(api.ws_url, protocols=[GRAPHQL_TRANSPORT_WS]) as ws:
                # When it sends a `complete` whose id is not text
                closing = await _closing(ws, {"type": "complete", "id": bad_id})
    # Then the socket is closed as for any malformed message, and no fault is logged
    assert (closing.type, ws.close_code) == (aiohttp.WSMsgType.CLOSE, 4400), closing
    assert _faults(caplog) == []


@pytest.mark.parametrize("bad_id", BAD_IDS, ids=["list", "object"])
async def test_a_complete_whose_id_is_not_text_closes_a_signed_in_socket(
    api: Api, driver: JourneyDriver, caplog: pytest.LogCaptureFixture, bad_id: object
) -> None:
    with caplog.at_level(logging.INFO):
        async with signed_in_socket(api, driver.token(Role.SUPERVISOR)) as ws:
            closing = await _closing(ws, {"type": "complete", "id": bad_id})
    assert (closing.type, ws.close_code) == (aiohttp.WSMsgType.CLOSE, 4400), closing
    assert _faults(caplog) == []
