"""What the GraphQL endpoint accepts as a request, and how it says no.

Strawberry decodes bodies with ``json.loads`` and expects an object; anything else it did not
anticipate (bytes that are not UTF-8, a body of ``null`` or ``"x"``, arrays nested thousands
deep, an integer of ten thousand digits) escaped as an exception and aiohttp answered a
plain-text 500, and ``NaN`` or ``1e999``, which JSON does not have, reached the database. Here
each is a 400 with a GraphQL error body, like every other refused request, so a client
always gets ``{"errors": [{"message": ...}]}`` it can show, and the log is not filled with
tracebacks that an anonymous caller can produce at will.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from aiohttp import web

# A GraphQL request is a document of at most 2,000 tokens and its variables: a megabyte is ample.
MAX_BODY_BYTES = 1024**2


class BodyRefused(json.JSONDecodeError):
    """A JSON text the API refuses; a ``JSONDecodeError`` so that Strawberry's WebSocket
    handler treats it as the malformed message it is (it closes the socket with 4400)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, "", 0)
        self.reason = reason


def _no_constant(name: str) -> Any:
    # Python reads NaN and Infinity, which JSON does not have; no column stores them (PostgreSQL
    # refused a record holding one: a fault, not an answer).
    raise BodyRefused(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity
        raise BodyRefused(f"the number {text[:40]} is too large")
    return value


def decode_json(data: str | bytes) -> Any:
    """The JSON value of a body or a query parameter, or ``BodyRefused`` saying why not."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyRefused("the request body is not valid UTF-8") from None
    try:
        return json.loads(data, parse_constant=_no_constant, parse_float=_finite_float)
    except BodyRefused:
        raise
    except RecursionError:
        raise BodyRefused("the JSON is nested too deeply") from None
    except json.JSONDecodeError:
        raise BodyRefused("the request body is not valid JSON") from None
    except ValueError:
        # An integer longer than Python converts; its own message told the caller to call
        # sys.set_int_max_str_digits(), words of the server's code, not of the API
        digits = sys.get_int_max_str_digits()
        raise BodyRefused(
            f"the JSON cannot be read: a number in it has more than {digits} digits"
        ) from None


# A `subscribe` payload's optional members, and the JSON type each must have when present.
_SUBSCRIBE_OPTIONAL = (("variables", dict), ("operationName", str), ("extensions", dict))


def decode_socket_message(data: str | bytes) -> Any:
    """A graphql-transport-ws message: an object with a text `type`; a `subscribe` carries a
    text `id` and a payload object whose `query` is text, a `complete` a text `id`. Strawberry's
    handler read any other shape as if it were this one and failed (a list, a null payload, a
    numeric query, a `complete` whose id is a list), the socket dropped without a close code
    and the log took a traceback; refused here, the socket is closed with 4400, as for a
    message that is not JSON."""
    message = decode_json(data)
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise BodyRefused("a message is a JSON object with a `type`")
    if message["type"] == "complete" and not isinstance(message.get("id"), str):
        raise BodyRefused("a complete message has a text `id`")
    if message["type"] != "subscribe":
        return message
    payload = message.get("payload")
    if not isinstance(message.get("id"), str) or not isinstance(payload, dict):
        raise BodyRefused("a subscribe message has an `id` and a `payload` object")
    if not isinstance(payload.get("query"), str):
        raise BodyRefused("a subscribe payload's `query` is text")
    for name, kind in _SUBSCRIBE_OPTIONAL:
        if payload.get(name) is not None and not isinstance(payload[name], kind):
            raise BodyRefused(f"a subscribe payload's `{name}` has the wrong type")
    return message


def decode_request(data: str | bytes) -> Any:
    """A POSTed body: one operation (an object); a list is a batch, refused by Strawberry."""
    value = decode_json(data)
    if not isinstance(value, (dict, list)):
        raise BodyRefused("the request body must be a JSON object with a `query`")
    # Strawberry looked any other value up as an operation's name ("Unknown operation named 3").
    name = value.get("operationName") if isinstance(value, dict) else None
    if name is not None and not isinstance(name, str):
        raise BodyRefused("the request's `operationName` is text, or null")
    return value


def unreadable(request: web.Request) -> str:
    """Why a body could not be read from the connection: its compression, or its framing."""
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding and encoding != "identity":
        said = f"{encoding[:20]} (its Content-Encoding)"
        return f"the request body cannot be read: it is not valid {said}"
    return "the request body cannot be read: it is not well-formed HTTP/1.1"


def graphql_error_response(status: int, message: str, code: str = "BAD_REQUEST") -> web.Response:
    """A refused request in the shape of a GraphQL answer, with no `data`."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return web.json_response(body, status=status)
