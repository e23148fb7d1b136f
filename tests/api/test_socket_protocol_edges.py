"""graphql-transport-ws messages that are the caller's mistake, answered as the protocol says
(the socket closed with 4400 and why) and never logged as a fault (found by a hostile pass over
the running API; each test failed before):

- a `complete` whose `id` is not text (a list, an object): Strawberry looked it up among the
  socket's operations, failed on it, and aiohttp logged a traceback at ERROR and dropped the
  socket without a close code; anyone could, before `connection_init`;
- an operation that cannot be chosen from its document (an `operationName` the document does
  not hold, a document of fragments only): over HTTP a 400 saying so, over the socket the
  client heard "Unexpected error." and the log took a traceback at ERROR.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
import pytest

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.harness import GRAPHQL_TRANSPORT_WS, SOCKET_WITHIN, Api, signed_in_socket
from tests.api.hostile import send_raw

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


@pytest.mark.parametrize(
    ("payload", "said"),
    [
        (
            {"query": "query A { me { __typename } }", "operationName": "B"},
            'Unknown operation named "B".',
        ),
        ({"query": "fragment F on Query { __typename }"}, "Can't get GraphQL operation type"),
    ],
    ids=["unknown operation name", "no operation"],
)
async def test_an_operation_that_cannot_be_chosen_is_said_over_the_socket_as_over_http(
    api: Api,
    driver: JourneyDriver,
    caplog: pytest.LogCaptureFixture,
    payload: dict[str, str],
    said: str,
) -> None:
    token = driver.token(Role.SUPERVISOR)
    # Given over HTTP the request is refused saying why
    answer = await send_raw(api, json.dumps(payload), token=token)
    assert (answer.status, answer.error_messages()) == (400, [said])
    with caplog.at_level(logging.INFO):
        async with signed_in_socket(api, token) as ws:
            # When the same operation is sent over the socket
            closing = await _closing(ws, {"id": "q", "type": "subscribe", "payload": payload})
    # Then the socket is closed saying why, as for a document that does not parse
    assert (closing.type, ws.close_code, closing.extra) == (aiohttp.WSMsgType.CLOSE, 4400, said)
    # And the log takes no fault for it
    assert _faults(caplog) == []
