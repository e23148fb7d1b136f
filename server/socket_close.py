"""The API's WebSockets: pinged while open, and closed within a bound when it shuts down.

A client that reads nothing (an app frozen or sent to the background, a network gone without
a word) held its subscriptions for as long as its connection stood, which its kernel can keep
up forever: their pushes waited to be sent, so neither a signed-out session nor a deactivated
account ended them, and each kept its place among the account's 50 (two such phones with 25
each, and the account could watch nothing anywhere). Each socket is now pinged every
`HEARTBEAT_SECONDS`, and one that does not answer within half of that is closed, its
subscriptions ended. Browsers and WebSocket libraries answer pings by themselves.

On shutdown every socket is closed with 1001 (going away), so its client reconnects to another
replica. A close first sends what the socket still holds; a client that reads nothing (an app
frozen in the background, a network gone without a word) lets its pushes fill the connection,
and the close of its socket, and the shutdown with it, waited for them forever: one such phone
kept a replica from ever stopping. A socket whose close has not finished within
`CLOSE_WITHIN_SECONDS` has its connection dropped; its subscriptions end as on a lost
connection.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import WSCloseCode, web

log = logging.getLogger(__name__)

# Seconds a socket has on shutdown to send what it holds and its close: a reading client's
# takes milliseconds. Well within the shutdown's own bound (GLOWPATH_SHUTDOWN_TIMEOUT_SECONDS).
CLOSE_WITHIN_SECONDS = 5.0
# Seconds between the pings of each socket; the answer is awaited for half as long. Also keeps
# a load balancer's idle timeout (often 60 s) from closing a socket that has nothing to push.
HEARTBEAT_SECONDS = 30.0


class ServerSocket(web.WebSocketResponse):
    """A WebSocket that knows its connection, so that one that will not close can be dropped."""

    def __init__(self, connection: asyncio.Transport | None, **options: Any) -> None:
        super().__init__(heartbeat=HEARTBEAT_SECONDS, **options)
        self.connection = connection

    async def close_going_away(self) -> None:
        try:
            async with asyncio.timeout(CLOSE_WITHIN_SECONDS):
                await self.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")
        except TimeoutError:
            log.info("a socket whose client reads nothing was dropped on shutdown")
            if self.connection is not None:
                self.connection.abort()
