"""Queries and mutations sent over the graphql-transport-ws socket are held to what a request
over HTTP is held to.

Most checks live in the schema and hold on both paths alike: the session (looked up for each
operation), the permission table and the password that must change first, the document's
limits, introspection, the answer's size. The request deadline is set for the socket's
operations by `server.socket_handler`. What the HTTP path alone held, and the socket did not:

- the bound on what one request may send (1 MiB): a socket took messages of up to 4 MiB.
"""

from __future__ import annotations

import json

import aiohttp

from domain.roles import Role
from server.request_body import MAX_BODY_BYTES
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, signed_in_socket

MESSAGE_TOO_BIG = 1009  # RFC 6455's close code


def _padded_me(padding: int) -> dict[str, object]:
    """`me`, with a variable the document does not declare (ignored) of `padding` characters."""
    return {"query": "{ me { __typename } }", "variables": {"padding": "p" * padding}}


async def _post(api: Api, token: str, body: dict[str, object]) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(api.url, json=body, headers=headers) as answer:
            return answer.status


async def test_a_message_past_the_request_bound_closes_the_socket(
    api: Api, driver: JourneyDriver
) -> None:
    token = driver.token(Role.NURSE)
    past_the_bound, within_it = _padded_me(MAX_BODY_BYTES), _padded_me(MAX_BODY_BYTES // 2)
    # Given a body over HTTP is refused past 1 MiB, and taken within it
    assert await _post(api, token, past_the_bound) == 413
    assert await _post(api, token, within_it) == 200
    async with signed_in_socket(api, token) as ws:
        # When a message within the bound is sent over the socket, it is answered
        await ws.send_json({"id": "within", "type": "subscribe", "payload": within_it})
        answered = await ws.receive_json()
        assert (answered["type"], answered["payload"]) == (
            "next",
            {"data": {"me": {"__typename": "StaffMember"}}},
        )
        # And one past it closes the socket, "message too big", unread (it was answered)
        await ws.send_json({"id": "past", "type": "subscribe", "payload": past_the_bound})
        while (message := await ws.receive()).type is aiohttp.WSMsgType.TEXT:
            assert json.loads(message.data)["id"] != "past", message.data
    assert (message.type, ws.close_code) == (aiohttp.WSMsgType.CLOSE, MESSAGE_TOO_BIG), message
