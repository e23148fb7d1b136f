"""The graphql-transport-ws handler: queries and mutations over the socket bounded in time as
over HTTP, and a subscriber's lost connection said as what it is.

A query or a mutation sent over the socket ran without the HTTP path's time limit (the view
bounds `execute_single`, which the socket never calls): three queries on one socket ran for
88 s and held 7 GB. Each now gets the same limit and, past it, the same error as over HTTP.
Subscriptions are not bounded: they are meant to last.

Strawberry gives every operation on a socket the one context made when the socket opened. Each
operation here runs with a context of its own (`Context.for_operation`): its own DataLoaders, so
a query reads what the database holds now, not what an earlier query on the socket cached (a
client renamed by a colleague kept the old name on every open socket), and its own session, so
operations at once do not check their fields against each other's.

When a client's connection drops while pushes wait to be sent to it (a phone losing its network
while it is behind), each of its subscriptions fails on the send, and Strawberry logs each one at
ERROR with a traceback, as it would a fault in the server: one dropped phone with 20
subscriptions wrote 20 tracebacks. A lost connection is said once per subscription at INFO;
every other failure is Strawberry's to log, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextvars import ContextVar

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from schema.build import MAX_TOKENS
from schema.context import Context
from schema.metrics import REQUEST_TIMEOUTS
from workflows.request_deadline import request_deadline

log = logging.getLogger(__name__)

# The context of the operation the current task runs; unset outside an operation's task.
_OPERATION_CONTEXT: ContextVar[Context | None] = ContextVar("socket_operation", default=None)


def _subscribes(query: str, operation_name: str | None) -> bool:
    """Whether the operation the message names is a subscription. A document that does not
    parse, is longer than the API takes, or names no operation, is Strawberry's to refuse (and
    is bounded meanwhile). Parsed within the token limit: an unbounded parse of a 4 MB message
    held the event loop for 5 s."""
    try:
        operation = get_operation_ast(parse(query, max_tokens=MAX_TOKENS), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation is OperationType.SUBSCRIPTION


class SocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    # Strawberry reads `self.context` when it runs an operation, and sets the connection
    # parameters on it at `connection_init`: within an operation's task it is that operation's.
    @property
    def context(self) -> Context:
        return _OPERATION_CONTEXT.get() or self.socket_context

    @context.setter
    def context(self, value: Context) -> None:
        self.socket_context = value

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # Each operation runs in a task of its own: the variable is that task's.
        _OPERATION_CONTEXT.set(self.socket_context.for_operation())
        limit: float | None = getattr(self.view, "execution_timeout", None)
        if limit is None or _subscribes(operation.query, operation.operation_name):
            await super().run_operation(operation)
            return
        try:
            with request_deadline(limit):  # its waits on Temporal share it, as over HTTP
                async with asyncio.timeout(limit):
                    await super().run_operation(operation)
        except TimeoutError:
            REQUEST_TIMEOUTS.inc()
            log.warning("GraphQL operation over a socket stopped after %g s", limit)
            stopped = GraphQLError(f"the request took longer than {limit:g} s and was stopped")
            with contextlib.suppress(Exception):  # the socket may be gone by now
                await operation.send_initial_errors([stopped])

    async def handle_task_exception(self, error: Exception) -> None:
        # A reset, aiohttp's "Connection lost", or Strawberry's wrapping of either.
        lost = isinstance(error, ConnectionError | WebSocketDisconnected)
        if lost or isinstance(error.__cause__, ConnectionError):
            self.task_logger.info("a subscriber's connection was lost: %r", error)
            return
        await super().handle_task_exception(error)
