"""What a WebSocket must show to stay open, and how many one client address may hold.

Every subscription needs a signed-in role, yet a `connection_init` without a token was
acknowledged and the socket then stayed open for as long as its sender liked: one client opened
300 such sockets in 0.57 s, about 40 KB each, and a few thousand more would have taken every file
descriptor of the process. Now:

- a socket whose `connection_init` carries no token that works (none, forged, expired, signed
  out, revoked, of a deactivated account) is closed with 4403 Forbidden, the protocol's code for
  a refused `connection_init`; a token that stops working later ends the subscriptions it holds
  with `NOT_AUTHORIZED`, as before (`schema.auth.watch`);
- a socket that sends no `connection_init` is closed with 4408 after
  `CONNECTION_INIT_WAIT_SECONDS` (Strawberry's default: a minute);
- one client address holds at most `MAX_SOCKETS_PER_ADDRESS` sockets; the upgrade of one more is
  answered 429. The address is the one sign-in throttling counts (`client_address`: the TCP peer,
  or with `GLOWPATH_TRUSTED_PROXY_HOPS` the proxies' `X-Forwarded-For` entry);
- a message is at most `MAX_SOCKET_MESSAGE_BYTES`, what a subscription needs.
"""

from __future__ import annotations

import logging

from aiohttp import WSCloseCode
from strawberry.exceptions import ConnectionRejectionError

from schema.context import Context
from server.in_flight import InFlightPerKey

log = logging.getLogger(__name__)

# A client sends `connection_init` as soon as the socket opens (graphql-ws does so in the same
# tick); 10 s leaves a slow phone its margin while a socket that says nothing is let go soon.
CONNECTION_INIT_WAIT_SECONDS = 10.0

# Sockets one client address may hold at once. Generous: a clinic's staff share one public
# address behind its router, each with a socket per open tab (graphql-ws opens one per client);
# 200 covers 50 people with four tabs each, while one sender needs 100 addresses to hold the
# 20,000 descriptors of a process.
MAX_SOCKETS_PER_ADDRESS = 200

# Bytes of one socket message; a larger one closes the socket with 1009 (RFC 6455's "message too
# big") before it is decoded. Each live subscription holds its subscribe message (document and
# variables) for as long as it lasts: at a request's 1 MiB, an account's 50 held 50 MB. A
# subscription's document is a few KB at most (the 2,000 tokens the API parses come to about 10 KB
# of ordinary names), its variables an id or a cursor. Some clients send their mutations over the
# socket too: the largest real one is a consent signed with its drawn signature, a PNG of up to
# 256 KiB sent as base64, with its text beside it. 512 KiB takes it with room, and an account's 50
# subscriptions hold at most 25.6 MB. A larger request goes over HTTP (up to 1 MiB).
MAX_SOCKET_MESSAGE_BYTES = 512 * 1024


async def refuse_unless_signed_in(context: Context) -> None:
    """At `connection_init`: raises `ConnectionRejectionError` (closed with 4403) unless the
    payload's token works. The session is checked again before each operation, as over HTTP."""
    try:
        await context.check_session()
    except Exception:
        # The database could not say (cut, overloaded): not the client's fault, so not 4403,
        # which a client takes as "sign in again". 1011 is retried, after a back-off.
        log.exception("session check of a WebSocket's connection_init failed")
        await context.response.close(code=WSCloseCode.INTERNAL_ERROR, message=b"Unexpected error.")
        raise ConnectionRejectionError from None
    if context.claims is None:
        raise ConnectionRejectionError


class SocketsPerAddress(InFlightPerKey):
    """The open sockets of each client address, within `MAX_SOCKETS_PER_ADDRESS`."""

    def limit(self) -> int:
        return MAX_SOCKETS_PER_ADDRESS
