"""Queries and mutations sent over the graphql-transport-ws socket are held to what a request
over HTTP is held to.

Most checks live in the schema and hold on both paths alike: the session (looked up for each
operation), the permission table and the password that must change first, the document's
limits, introspection, the answer's size. The request deadline is set for the socket's
operations by `server.socket_handler`. What the HTTP path alone held, and the socket did not:

- a bound on what one message may send: a socket took messages of up to 4 MiB. A socket's
  bound (`MAX_SOCKET_MESSAGE_BYTES`, 512 KiB) is below a request's (1 MiB): each live
  subscription holds its message, and an account may hold 50;
- a context for each request: every operation on a socket shared the one made when it opened,
  so a query was answered from what an earlier one on the socket had read.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable

import aiohttp
from gql import GraphQLRequest

from domain.roles import Role
from domain.store.models import StaffAccount
from server.request_body import MAX_BODY_BYTES
from server.socket_limits import MAX_SOCKET_MESSAGE_BYTES
from tests.api import documents
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, IDENTITY, new_key, write
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, signed_in_socket
from tests.api.sessions import NOT_SIGNED_IN, REVOCATIONS, Revoke, new_account, sign_in

MESSAGE_TOO_BIG = 1009  # RFC 6455's close code
NEW_CLIENT = {
    "fullName": "Ewa Lis",
    "birthDate": "1990-01-02",
    "phone": "+48 600 100 200",
    "dataConsent": True,
}


def _padded(query: str, padding: int, **variables: object) -> dict[str, object]:
    """The operation, with a variable the document does not declare (ignored) of `padding`
    characters."""
    return {"query": query, "variables": {**variables, "padding": "p" * padding}}


async def _post(api: Api, token: str, body: dict[str, object]) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(api.url, json=body, headers=headers) as answer:
            return answer.status


async def test_a_request_body_past_the_socket_bound_is_taken_over_http(
    api: Api, driver: JourneyDriver
) -> None:
    # A query or mutation larger than a socket takes is sent over HTTP, within 1 MiB
    token = driver.token(Role.NURSE)
    assert await _post(api, token, _padded(documents.ME, MAX_BODY_BYTES)) == 413
    assert await _post(api, token, _padded(documents.ME, MAX_SOCKET_MESSAGE_BYTES)) == 200


async def test_a_message_past_the_socket_bound_closes_the_socket(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a journey the front desk watches, with a subscribe message of half the bound
    journey = (await driver.start())["id"]
    watch = functools.partial(_padded, documents.JOURNEY_CHANGED, id=journey)
    within_it, past_the_bound = (
        watch(MAX_SOCKET_MESSAGE_BYTES // 2),
        watch(MAX_SOCKET_MESSAGE_BYTES),
    )
    async with signed_in_socket(api, driver.token(Role.FRONT_DESK)) as ws:
        # When it is sent over the socket, the journey is pushed
        await ws.send_json({"id": "within", "type": "subscribe", "payload": within_it})
        pushed = await ws.receive_json()
        assert (pushed["id"], pushed["type"]) == ("within", "next"), pushed
        assert pushed["payload"]["data"]["journeyChanged"]["id"] == journey, pushed
        # And one past the bound (a sixteenth of what HTTP takes) closes the socket, "message
        # too big", unread (it was subscribed, and held)
        await ws.send_json({"id": "past", "type": "subscribe", "payload": past_the_bound})
        while (message := await ws.receive()).type is aiohttp.WSMsgType.TEXT:
            assert json.loads(message.data)["id"] != "past", message.data
    assert (message.type, ws.close_code) == (aiohttp.WSMsgType.CLOSE, MESSAGE_TOO_BIG), message


async def test_each_operation_on_a_socket_reads_the_data_as_it_now_stands(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a consultant whose socket has read a client's identity
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    async with clinic.api.websocket(clinic.token(Role.CONSULTANT)) as socket:
        read = GraphQLRequest(IDENTITY, variable_values={"id": client})
        assert (await socket.execute(read))["client"]["fullName"] == "Anna Nowak"
        # When the front desk corrects her name meanwhile
        amended = await write(
            clinic,
            AMEND_CLIENT_IDENTITY,
            Role.FRONT_DESK,
            clientId=client,
            fullName="Anna Lis",
            reason="married",
            idempotencyKey=new_key(),
        )
        assert amended["__typename"] == "ClientPayload", amended
        # Then the next query on the open socket reads the corrected identity (it was answered
        # from what the first had read: the old name, one version)
        page = (await socket.execute(read))["client"]
    assert page["fullName"] == "Anna Lis"
    assert [v["fullName"] for v in page["identityHistory"]] == ["Anna Nowak", "Anna Lis"]


@REVOCATIONS
async def test_a_token_revoked_while_its_socket_is_open_stops_at_the_next_operation(
    api: Api, revoke: Revoke, reason: str
) -> None:
    # Given a nurse's socket that has run an operation with her token
    account = await new_account(Role.NURSE)
    token = await sign_in(api, account)
    async with api.websocket(token) as socket:
        me = GraphQLRequest(documents.ME)
        assert (await socket.execute(me))["me"]["role"] == "NURSE"
        # When the token is revoked while the socket stays open
        await revoke(api, account, token)
        # Then the next query on the socket runs signed out, and so does a mutation
        assert (await socket.execute(me))["me"] == NOT_SIGNED_IN
        registered = await socket.execute(
            GraphQLRequest(
                documents.REGISTER_CLIENT,
                variable_values={"input": NEW_CLIENT},
            )
        )
    assert registered["registerClient"] == NOT_SIGNED_IN


async def test_a_password_that_must_change_holds_over_the_socket(api: Api) -> None:
    # Given an account that must choose its own password, signed in
    account = await new_account(Role.FRONT_DESK)
    token = await sign_in(api, account)
    await StaffAccount.filter(id=account.account_id).update(must_change_password=True)
    # Then over the socket, as over HTTP, it may ask who it is and nothing else
    async with api.websocket(token) as socket:
        assert (await socket.execute(GraphQLRequest(documents.ME)))["me"]["role"] == "FRONT_DESK"
        journeys = await socket.execute(
            GraphQLRequest(documents.JOURNEYS, variable_values={"first": 5})
        )
    assert journeys["journeys"] == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "choose your own password first (changePassword)",
    }
