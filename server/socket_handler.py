"""The graphql-transport-ws handler, with a subscriber's lost connection said as what it is.

When a client's connection drops while pushes wait to be sent to it (a phone losing its network
while it is behind), each of its subscriptions fails on the send, and Strawberry logs each one at
ERROR with a traceback, as it would a fault in the server: one dropped phone with 20
subscriptions wrote 20 tracebacks. A lost connection is said once per subscription at INFO;
every other failure is Strawberry's to log, as before.
"""

from __future__ import annotations

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)

from schema.context import Context


class SocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def handle_task_exception(self, error: Exception) -> None:
        if isinstance(error, ConnectionError):  # reset, or aiohttp's "Connection lost"
            self.task_logger.info("a subscriber's connection was lost: %s", error)
            return
        await super().handle_task_exception(error)
