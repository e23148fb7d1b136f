"""A subscriber's lost connection is said at INFO without a traceback; any other failure of a
subscription's task is still logged at ERROR with one (found by a hostile pass: a socket that
stopped reading and then dropped wrote one ERROR traceback per subscription)."""

from __future__ import annotations

import logging

import pytest
from aiohttp import ClientConnectionResetError
from strawberry.http.exceptions import WebSocketDisconnected

from server.socket_handler import SocketHandler
from server.view import GlowpathView

TASK_LOGGER = "strawberry.ws.task"


def _handler() -> SocketHandler:
    return object.__new__(SocketHandler)  # only its logging is exercised


def _disconnected() -> WebSocketDisconnected:
    """Strawberry's wrapping of a write to a closing transport (seen once in 150 dropped
    subscriptions, logged at ERROR with its traceback)."""
    try:
        try:
            raise ClientConnectionResetError("Cannot write to closing transport")
        except ClientConnectionResetError as reset:
            raise WebSocketDisconnected from reset
    except WebSocketDisconnected as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "lost",
    [
        ConnectionResetError("Connection reset by peer"),
        ConnectionError("Connection lost"),
        _disconnected(),
        WebSocketDisconnected(),
    ],
)
async def test_a_lost_connection_is_said_at_info(
    caplog: pytest.LogCaptureFixture, lost: Exception
) -> None:
    with caplog.at_level(logging.INFO, logger=TASK_LOGGER):
        await _handler().handle_task_exception(lost)
    assert [(r.levelno, r.exc_info) for r in caplog.records] == [(logging.INFO, None)]


async def test_any_other_failure_keeps_its_error_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger=TASK_LOGGER):
        await _handler().handle_task_exception(RuntimeError("a resolver's bug"))
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_the_api_serves_its_sockets_with_this_handler() -> None:
    assert GlowpathView.graphql_transport_ws_handler_class is SocketHandler
