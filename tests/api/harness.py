"""The pieces the API suite is built from: a real HTTP server, staff accounts, a GraphQL client.

The client is the independent `gql` library, over HTTP (aiohttp) for queries and mutations and
over graphql-transport-ws (websockets) for subscriptions, as a front end would talk to the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiohttp
from aiohttp import web
from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportError
from gql.transport.websockets import WebsocketsTransport
from temporalio.client import Client as TemporalClient

from domain.auth import AccessToken, SigningKeys, hash_password, issue_token
from domain.roles import STAFF_ROLES, Role
from domain.store.models import Clinic, StaffAccount
from schema.context import AuthServices
from schema.feed import JourneyFeed
from schema.ids import encode_id
from server.app import create_app
from server.http_protocol import AppRunner
from server.seed import DEMO_PASSWORD, demo_username
from server.settings import Settings
from tests.api import documents
from tests.clinic_day import TEST_CLINIC_ZONE

# Generous: after a worker is killed, the first action on a cached journey waits for Temporal's
# sticky queue to time out (about 10 s) before another worker takes it.
REQUEST_TIMEOUT = 60
GRAPHQL_TRANSPORT_WS = "graphql-transport-ws"


@dataclass(frozen=True)
class Staff:
    """A signed-in member of staff: the raw account id, the Relay id, and the bearer token."""

    account_id: str
    global_id: str
    username: str
    role: Role
    token: str


class Api:
    """The GraphQL endpoint of one running server; `feed` is its change feed when the server
    runs in this process (a subscription read through `live.reading` then starts being heard
    before the test goes on)."""

    def __init__(self, url: str, feed: JourneyFeed | None = None) -> None:
        self.url = url
        self.ws_url = "ws" + url.removeprefix("http")
        self.feed = feed

    async def run(self, document: str, token: str | None = None, **variables: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        transport = AIOHTTPTransport(url=self.url, headers=headers, timeout=REQUEST_TIMEOUT)
        async with Client(transport=transport, execute_timeout=REQUEST_TIMEOUT) as session:
            return await session.execute(GraphQLRequest(document, variable_values=variables))

    @contextlib.asynccontextmanager
    async def websocket(self, token: str | None = None) -> AsyncIterator[Any]:
        """One graphql-transport-ws connection; the token goes in its connection_init payload."""
        transport = WebsocketsTransport(
            url=self.ws_url,
            subprotocols=[GRAPHQL_TRANSPORT_WS],
            init_payload={"Authorization": f"Bearer {token}"} if token else {},
        )
        async with Client(transport=transport, execute_timeout=REQUEST_TIMEOUT) as session:
            yield session

    def subscription(
        self, document: str, token: str | None = None, **variables: Any
    ) -> Subscription:
        """The stream of results of one subscription, on a connection of its own."""
        return Subscription(self, GraphQLRequest(document, variable_values=variables), token)


class Subscription:
    """One subscription to enter: its stream of results, on a connection of its own (the
    subscription starts with the stream's first read). `feed` is its server's, when known."""

    def __init__(self, api: Api, request: GraphQLRequest, token: str | None) -> None:
        self.feed = api.feed
        self._connection = api.websocket(token)
        self._request = request
        self._stream: AsyncGenerator[Any, None] | None = None

    async def __aenter__(self) -> AsyncIterator[Any]:
        session = await self._connection.__aenter__()
        self._stream = session.subscribe(self._request)
        return self._stream

    async def __aexit__(self, *exc_info: Any) -> bool | None:
        # A stream left mid-way keeps its listener, and the client's close waits its whole
        # close_timeout (10 s) for that listener to read the completion it queued: closed first,
        # the stream sends its `complete` and lets go at once. A test still reading it in
        # another task has it running (aclose refuses); its end is the connection's then.
        if self._stream is not None:
            with contextlib.suppress(RuntimeError, TransportError):
                await self._stream.aclose()
        return await self._connection.__aexit__(*exc_info)


# Seconds a raw socket's whole use may take: the server answers at once; this bounds a hang.
SOCKET_WITHIN = 30


@contextlib.asynccontextmanager
async def raw_socket(
    api: Api, headers: Mapping[str, str] | None = None
) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A raw graphql-transport-ws socket before its `connection_init`, its whole use bounded."""
    async with aiohttp.ClientSession() as session, asyncio.timeout(SOCKET_WITHIN):
        async with session.ws_connect(
            api.ws_url, protocols=[GRAPHQL_TRANSPORT_WS], headers=headers
        ) as ws:
            yield ws


async def initialised(
    ws: aiohttp.ClientWebSocketResponse, payload: Mapping[str, Any] | None
) -> Any:
    """What the server answers a `connection_init` with this payload: its message, or the code
    it closes the socket with."""
    init: dict[str, Any] = {"type": "connection_init"}
    if payload is not None:
        init["payload"] = payload
    await ws.send_json(init)
    message = await ws.receive(timeout=SOCKET_WITHIN)
    if message.type is aiohttp.WSMsgType.TEXT:
        return message.json()
    assert message.type is aiohttp.WSMsgType.CLOSE, message
    return ws.close_code


@contextlib.asynccontextmanager
async def signed_in_socket(api: Api, token: str) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A raw graphql-transport-ws socket past its `connection_ack`, for messages no GraphQL
    client would send; the whole use bounded in time."""
    async with raw_socket(api) as ws:
        answer = await initialised(ws, {"Authorization": f"Bearer {token}"})
        assert answer == {"type": "connection_ack"}, answer
        yield ws


@contextlib.asynccontextmanager
async def running_api(
    settings: Settings, temporal: TemporalClient, auth: AuthServices | None = None, **options: Any
) -> AsyncIterator[Api]:
    """The real aiohttp application on 127.0.0.1 and a free port, for the block's duration;
    `options` go to `create_app` (e.g. a short `execution_timeout`)."""
    feed = options.setdefault("feed", JourneyFeed())
    runner = AppRunner(create_app(settings, temporal, auth, **options), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        yield Api(f"http://127.0.0.1:{port}/graphql", feed)
    finally:
        await runner.cleanup()


@functools.cache
def demo_password_hash() -> str:
    """One hash of the demo password for every test account: hashing costs tens of ms each."""
    return hash_password(DEMO_PASSWORD)


def clinic_today() -> date:
    """Today where a test clinic is: the date the server checks and files records under."""
    return datetime.now(TEST_CLINIC_ZONE).date()


def clinic_month() -> str:
    """The test clinic's current month, YYYY-MM, as the monthly reports take it."""
    return clinic_today().strftime("%Y-%m")


async def create_clinic(clinic_id: str, prefix: str = "") -> None:
    """A clinic with one active account per staff role, as `glowpath seed` creates them."""
    await Clinic.get_or_create(id=clinic_id, defaults={"name": f"{clinic_id} clinic"})
    password_hash = await asyncio.to_thread(demo_password_hash)
    for role in STAFF_ROLES:
        username = prefix + demo_username(role.value)
        if not await StaffAccount.exists(username=username):
            await StaffAccount.create(
                id=f"staff-{username}",
                clinic_id=clinic_id,
                username=username,
                display_name=f"Test {role.value.title()}",
                role=role.value,
                password_hash=password_hash,
            )


async def sign_in_all(api: Api, prefix: str = "") -> dict[Role, Staff]:
    """Every role signs in with its own username and password through the `login` mutation."""

    async def sign_in(role: Role) -> Staff:
        username = prefix + demo_username(role.value)
        data = await api.run(
            documents.LOGIN, input={"username": username, "password": DEMO_PASSWORD}
        )
        payload = data["login"]
        assert payload["__typename"] == "LoginPayload", payload
        assert payload["staff"]["username"] == username
        assert payload["staff"]["role"] == role.value
        return Staff(
            account_id=f"staff-{username}",
            global_id=payload["staff"]["id"],
            username=username,
            role=role,
            token=payload["token"],
        )

    signed_in = await asyncio.gather(*(sign_in(role) for role in STAFF_ROLES))
    return {staff.role: staff for staff in signed_in}


def tokens_for_all(keys: SigningKeys, prefix: str = "") -> dict[Role, Staff]:
    """Every role of `create_clinic(..., prefix)`'s accounts with a token as `login` issues it
    (`AccessToken.new`, `issue_token`, the server's keys and token lifetime), its password
    not verified. Verifying one is argon2's 19 MiB and tens of milliseconds, a third of the
    suite's CPU when each new clinic's staff signed in: a test of signing in uses `sign_in_all`."""
    staff = {}
    for role in STAFF_ROLES:
        username = prefix + demo_username(role.value)
        account_id = f"staff-{username}"
        token = AccessToken.new(account_id, time.time(), Settings().token_ttl_seconds)
        staff[role] = Staff(
            account_id=account_id,
            global_id=encode_id("StaffMember", account_id),
            username=username,
            role=role,
            token=issue_token(token, keys),
        )
    return staff


async def eventually(
    probe: Callable[[], Any], accept: Callable[[Any], bool], *, timeout: float, what: str
) -> Any:
    """Polls `probe()` until `accept` says yes; fails with the last answer after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await probe()
        if accept(last):
            return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s; last seen: {last!r}")
