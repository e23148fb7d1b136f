"""The GraphQL view: GraphQL over POST/GET and graphql-transport-ws, with the API's bounds on
bodies, sockets and time, and its refusals answered as GraphQL errors rather than plain text."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import weakref
from datetime import timedelta
from typing import Any, TypeGuard

from aiohttp import web
from cross_web import HTTPException
from graphql import GraphQLError
from strawberry.aiohttp.views import GraphQLView
from strawberry.http.websocket_origin import normalize_allowed_origins
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from schema.auth.throttle import client_address
from schema.context import ApiConfig, AuthServices, Context
from schema.error_text import shortened
from schema.feed import JourneyFeed
from schema.metrics import REQUEST_TIMEOUTS
from server import graphiql, middleware, request_body, socket_limits, uploads
from server.socket_close import ServerSocket
from server.socket_handler import SocketHandler
from workflows.client import JourneyGateway
from workflows.request_deadline import request_deadline

log = logging.getLogger(__name__)

# Longer than any action waits for Temporal (a journey on a killed worker's sticky queue takes
# about 10 s to move to another worker), short enough that no request holds a connection for long.
# A request's waits on Temporal share it, less a margin for its answer (`request_deadline`).
EXECUTION_TIMEOUT_SECONDS = 30.0
# A request's body must arrive within this: one that trickles in holds its connection and its
# task for as long as its sender likes. At least 120 s, and long enough for the largest photo
# accepted on a slow uplink (1 Mbit/s: 84 s for 10 MiB).
BODY_TIMEOUT_SECONDS = 120.0
SLOW_UPLINK_BYTES_PER_SECOND = 125_000


def body_timeout_for(photo_max_bytes: int) -> float:
    return max(BODY_TIMEOUT_SECONDS, photo_max_bytes / SLOW_UPLINK_BYTES_PER_SECOND)


# Operations in flight on one socket (Strawberry's default: 100). An SPA watches a board, a
# task list and the journeys on screen; each subscription rebuilds its answer per push, and a
# query or mutation over the socket may run for up to EXECUTION_TIMEOUT_SECONDS.
MAX_OPERATIONS_PER_SOCKET = 25

HANDSHAKE: web.RequestKey[web.WebSocketReady] = web.RequestKey("handshake", web.WebSocketReady)


class GlowpathView(GraphQLView[Context, None]):
    graphql_transport_ws_handler_class = SocketHandler

    def __init__(
        self,
        *,
        gateway: JourneyGateway,
        config: ApiConfig,
        feed: JourneyFeed,
        auth: AuthServices,
        allowed_origins: tuple[str, ...] = (),
        execution_timeout: float = EXECUTION_TIMEOUT_SECONDS,
        body_timeout: float = BODY_TIMEOUT_SECONDS,
        **kwargs: Any,
    ) -> None:
        # Strawberry's own argument sets it (a class attribute was overridden by its default).
        kwargs.setdefault("max_subscriptions_per_connection", MAX_OPERATIONS_PER_SOCKET)
        init_wait = timedelta(seconds=socket_limits.CONNECTION_INIT_WAIT_SECONDS)
        kwargs.setdefault("connection_init_wait_timeout", init_wait)
        super().__init__(**kwargs)
        self.gateway, self.config, self.feed, self.auth = gateway, config, feed, auth
        self.execution_timeout, self.body_timeout = execution_timeout, body_timeout
        # Strawberry checks a WebSocket's Origin as well: same list as the CORS middleware.
        self.allowed_origins = normalize_allowed_origins(allowed_origins)
        self.sockets: weakref.WeakSet[ServerSocket] = weakref.WeakSet()
        self.sockets_per_address = socket_limits.SocketsPerAddress()
        self.uploads_per_account = uploads.UploadsPerAccount()
        # Uploads are read within bounds (server/uploads.py), never whole into memory.
        self.request_adapter_class = functools.partial(  # type: ignore[assignment]
            uploads.BoundedUploadAdapter, max_file_bytes=config.photo_max_bytes
        )

    def websocket_handshake(self, request: web.Request) -> web.WebSocketReady:
        """Whether the request opens a WebSocket, and with which protocol: checked once. The
        view asks up to four times a request, and aiohttp checks (and logs an offer of none
        of the API's protocols) each time it is asked."""
        if HANDSHAKE not in request:
            socket = web.WebSocketResponse(protocols=self.websocket_subprotocols)
            request[HANDSHAKE] = socket.can_prepare(request)
        return request[HANDSHAKE]

    def is_websocket_request(self, request: web.Request) -> TypeGuard[web.Request]:
        return self.websocket_handshake(request).ok

    async def pick_websocket_subprotocol(self, request: web.Request) -> str | None:
        return self.websocket_handshake(request).protocol

    async def create_websocket_response(
        self, request: web.Request, subprotocol: str | None
    ) -> web.WebSocketResponse:
        # A message is bounded to what a subscription needs (aiohttp's default took 4 MiB); a
        # larger one closes the socket with 1009, "message too big", before it is decoded.
        ws = ServerSocket(
            request.transport,
            protocols=[subprotocol] if subprotocol else [],
            max_msg_size=socket_limits.MAX_SOCKET_MESSAGE_BYTES,
        )
        await ws.prepare(request)
        return ws

    async def on_ws_connect(self, context: Context) -> UnsetType:
        # A socket without a working token is refused at `connection_init` (4403).
        await socket_limits.refuse_unless_signed_in(context)
        return UnsetType()  # the acknowledgement carries no payload

    @property
    def graphql_ide_html(self) -> str:
        # The project's page, whose assets this server serves (see server/graphiql.py).
        return graphiql.page_html()

    async def get_context(self, request: web.Request, response: Any) -> Context:
        if isinstance(response, ServerSocket):
            self.sockets.add(response)
        return Context(
            gateway=self.gateway,
            config=self.config,
            feed=self.feed,
            auth=self.auth,
            authorization=request.headers.get("Authorization"),
            request=request,
            response=response,
            request_id=middleware.request_id(request),
            over_http=not isinstance(response, web.WebSocketResponse),
        )

    async def parse_http_body(self, request: Any) -> Any:
        try:
            async with asyncio.timeout(self.body_timeout):
                return await super().parse_http_body(request)
        except TimeoutError:
            message = f"the request body took longer than {self.body_timeout:g} s to arrive"
            raise HTTPException(408, message) from None

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        # No query or mutation over HTTP may wait longer than this: its caller gets an error,
        # and whatever it awaited is cancelled. (CPU-bound work cannot be interrupted: the
        # document limits keep that small.) Subscriptions are not bounded: they are meant to last.
        # Its waits on Temporal share one deadline inside it, so the last of them still ends in
        # time for `Unavailable` to be answered (`workflows.request_deadline`).
        try:
            with request_deadline(self.execution_timeout):
                async with asyncio.timeout(self.execution_timeout):
                    return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            REQUEST_TIMEOUTS.inc()
            message = f"the request took longer than {self.execution_timeout:g} s and was stopped"
            log.warning("GraphQL request stopped after %g s", self.execution_timeout)
            return ExecutionResult(data=None, errors=[GraphQLError(message)])

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        # Strawberry answers a refused request in plain text; a client expects GraphQL errors.
        if request.method == "POST" and uploads.is_multipart(request):
            refused = await uploads.refusal(
                request, self.config.photo_max_bytes, self.config.signing_keys
            )
            if refused is not None:
                return request_body.graphql_error_response(
                    refused.status, refused.message, refused.code
                )
            account = uploads.uploader(request, self.config.signing_keys)
            limit = uploads.MAX_UPLOADS_PER_ACCOUNT
            return await self._run_admitted(
                request,
                self.uploads_per_account.held(account),
                f"this account already sends {limit} uploads at once: wait for one",
                "TOO_MANY_UPLOADS",
            )
        elif (request.content_length or 0) > request_body.MAX_BODY_BYTES:
            # Refused before it is read: the body the length promises was awaited (up to the
            # body's time limit) only to be refused once its first 1 MiB had come.
            message = f"the request body is larger than {request_body.MAX_BODY_BYTES:,} bytes"
            return request_body.graphql_error_response(413, message)
        elif self.is_websocket_request(request):
            address = client_address(request, self.config.trusted_proxy_hops)
            limit = socket_limits.MAX_SOCKETS_PER_ADDRESS
            return await self._run_admitted(
                request,
                self.sockets_per_address.held(address),
                f"this address already holds {limit} WebSockets",
                "TOO_MANY_SOCKETS",
            )
        return await self._run(request)

    async def _run_admitted(
        self,
        request: web.Request,
        admission: contextlib.AbstractContextManager[bool],
        refusal: str,
        code: str,
    ) -> web.StreamResponse:
        """Runs the request while `admission` counts it, or answers 429 when it is over its
        limit (`refusal`, with `code` in the error's extensions)."""
        with admission as admitted:
            if not admitted:
                return request_body.graphql_error_response(429, refusal, code)
            return await self._run(request)

    async def _run(self, request: web.Request) -> web.StreamResponse:
        try:
            return await self.run(request=request)
        except HTTPException as refused:
            # Strawberry's reason may quote the request ("Unknown operation named ...").
            reason = shortened(refused.reason)
            return request_body.graphql_error_response(refused.status_code, reason)
        except web.HTTPRequestEntityTooLarge as too_large:
            message = f"the request body is larger than {request_body.MAX_BODY_BYTES:,} bytes"
            return request_body.graphql_error_response(too_large.status, message)
        except web.RequestPayloadError:
            # aiohttp's decoder failed inside the read (a body that is not the gzip its
            # Content-Encoding says): it escaped as a plain-text 500 and an ERROR traceback.
            return request_body.graphql_error_response(400, request_body.unreadable(request))

    def decode_json(self, data: str | bytes) -> object:
        # WebSocket messages; a refusal is a JSONDecodeError, which closes the socket (4400).
        return request_body.decode_socket_message(data)

    def parse_json(self, data: str | bytes) -> Any:
        # A POSTed body: an object, or Strawberry fails on it with a 500.
        try:
            return request_body.decode_request(data)
        except request_body.BodyRefused as refused:
            raise HTTPException(400, refused.reason) from None

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        # A `map` or `operations` of the wrong shape (a list, a path through a string) made
        # Strawberry fail with a 500; it is the caller's mistake.
        try:
            return await super().parse_multipart(request)
        except (TypeError, ValueError, IndexError, AttributeError):
            raise HTTPException(400, "the multipart `map` does not fit `operations`") from None
        except RecursionError:
            # JSON reads `operations` some hundreds deep; Strawberry's copy of it, made to put
            # the files in, runs out of stack sooner (a plain-text 500 and a traceback).
            raise HTTPException(400, "the JSON is nested too deeply") from None

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        # A GET's `variables` and `extensions`, each JSON text; Strawberry checks their shape.
        parsed = dict(params)
        for name in ("variables", "extensions"):
            if parsed.get(name):
                try:
                    parsed[name] = request_body.decode_json(parsed[name])
                except request_body.BodyRefused as refused:
                    raise HTTPException(400, f"{name}: {refused.reason}") from None
        return parsed

    async def close_sockets(self) -> None:
        """On shutdown: tell subscribers to reconnect (to another replica) instead of waiting."""
        sockets = list(self.sockets)
        # (each within a bound: a client that reads nothing held the shutdown forever)
        await asyncio.gather(*(ws.close_going_away() for ws in sockets), return_exceptions=True)
