"""HTTP middlewares: a request id on every request, and CORS for single-page apps elsewhere.

Request id: taken from ``X-Request-Id`` when it looks like one, else a new uuid; it is put in
the logging context for the whole request (a WebSocket's lifetime included) and echoed back.

CORS: the API's own origin is always allowed; ``GLOWPATH_CORS_ORIGINS`` adds others (``*``: any).
A preflight from an allowed origin gets 204 with the allowed methods and headers, from any other
403. Answers to allowed origins carry ``Access-Control-Allow-Origin``. A WebSocket upgrade whose
``Origin`` is not allowed is refused with 403 (browsers do not apply CORS to WebSockets, so
without this check any web page could open a subscription with a token it holds).
Response headers are added in ``on_response_prepare``, so they reach error pages and the
WebSocket handshake too. Every answer of ``/graphql`` carries ``Cache-Control: private,
no-store``: queries may come over GET, and their answers hold clients' personal data, which no
browser or proxy cache may keep (the photo links send the same).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from strawberry.http.websocket_origin import is_same_origin, normalize_origin

from server.logs import REQUEST_ID

REQUEST_ID_HEADER = "X-Request-Id"
GRAPHQL_PATH = "/graphql"
NO_STORE = "private, no-store"
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, Accept, X-Request-Id, GraphQL-Require-Preflight"
PREFLIGHT_MAX_AGE = "600"

_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_REQUEST_ID_KEY = web.RequestKey("request_id", str)
_CORS_KEY = web.RequestKey("cors_origin", str)


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    request[_REQUEST_ID_KEY] = request_id
    token = REQUEST_ID.set(request_id)
    try:
        return await handler(request)
    finally:
        REQUEST_ID.reset(token)


def request_id(request: web.Request) -> str | None:
    return request.get(_REQUEST_ID_KEY)


class OriginPolicy:
    """Which browser origins may call the API."""

    def __init__(self, origins: Iterable[str]) -> None:
        configured = {o if o == "*" else normalize_origin(o.rstrip("/")) for o in origins}
        self.any = "*" in configured
        self.origins = frozenset(o for o in configured if o is not None and o != "*")

    def allows(self, origin: str, request: web.Request) -> bool:
        if self.any or normalize_origin(origin) in self.origins:
            return True
        # Same origin: the page was served from the host the browser is talking to.
        return is_same_origin(origin, request.host)


def cors_middleware(origins: Iterable[str]) -> Middleware:
    policy = OriginPolicy(origins)

    @web.middleware
    async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is None:
            return await handler(request)
        allowed = policy.allows(origin, request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            if not allowed:
                raise web.HTTPForbidden(text="origin not allowed\n")
            request[_CORS_KEY] = origin
            return web.Response(
                status=204,
                headers={
                    "Access-Control-Allow-Methods": ALLOW_METHODS,
                    "Access-Control-Allow-Headers": ALLOW_HEADERS,
                    "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
                },
            )
        if not allowed and request.headers.get("Upgrade", "").lower() == "websocket":
            raise web.HTTPForbidden(text="origin not allowed\n")
        if allowed:
            request[_CORS_KEY] = origin
        return await handler(request)

    return cors


async def add_response_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: the request id, the CORS headers for an allowed origin, and
    no caching of GraphQL answers."""
    if request.path == GRAPHQL_PATH:
        response.headers["Cache-Control"] = NO_STORE
    rid = request_id(request)
    if rid is not None:
        response.headers[REQUEST_ID_HEADER] = rid
    origin = request.get(_CORS_KEY)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = REQUEST_ID_HEADER
    response.headers.add("Vary", "Origin")


def middlewares(cors_origins: Iterable[str]) -> list[Middleware]:
    return [request_id_middleware, cors_middleware(cors_origins)]
