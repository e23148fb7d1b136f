"""What `glowpath` says when a command cannot reach what it needs, Temporal refuses it, or the
read model lacks a migration: one line naming the setting or the command to run, exit 1,
instead of a traceback. Only these are told this way; any other error still shows its traceback,
since it is a fault to report, not a setting to fix."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator

from asyncpg.exceptions import (  # type: ignore[import-untyped]
    InvalidAuthorizationSpecificationError,
    InvalidCatalogNameError,
    InvalidPasswordError,
)
from temporalio.service import RPCError
from tortoise.exceptions import DBConnectionError

from domain.store.schema_version import SchemaBehind
from server.settings import Settings, env_name
from workflows.reconnect import unreachable

_DATABASE_REFUSALS = (
    DBConnectionError,
    InvalidAuthorizationSpecificationError,
    InvalidCatalogNameError,
    InvalidPasswordError,
)

_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)


def _leaves(error: BaseException) -> Iterator[BaseException]:
    """The errors themselves: a task group (the worker, `dev`) wraps its tasks' in a group."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _leaves(inner)
    else:
        yield error


def connection_failure(error: BaseException, settings: Settings) -> str | None:
    """The line to print for ``error`` when it is a failure to connect; None otherwise."""
    for leaf in _leaves(error):
        if unreachable(leaf):
            return (
                f"Temporal at {settings.temporal_address} is unreachable ({leaf}): check "
                f"{env_name('temporal_address')} and that the server runs"
            )
        if isinstance(leaf, SchemaBehind):  # a migration this release needs has not run
            return str(leaf)
        if isinstance(leaf, RPCError):  # a namespace it does not have, a refused permission
            return (
                f"Temporal at {settings.temporal_address} refused: {leaf.message} (check "
                f"{env_name('temporal_namespace')}={settings.temporal_namespace} and its access)"
            )
        if isinstance(leaf, _DATABASE_REFUSALS):
            # The URL itself is never printed: it may hold the password.
            return f"cannot open the database of {env_name('database_url')}: {leaf}"
        if isinstance(leaf, ConnectionError | TimeoutError):
            return f"cannot reach the database of {env_name('database_url')}: {leaf}"
        if isinstance(leaf, socket.gaierror):  # the database's host, or the one to listen on
            names = ", ".join(map(env_name, ("database_url", "http_host")))
            return f"cannot resolve a host name ({leaf}): check {names}"
        if isinstance(leaf, OSError) and leaf.errno in _CANNOT_LISTEN:
            ports = ("http_host", "http_port", "ops_port", "worker_http_port")
            return f"cannot listen: {leaf}: check {', '.join(map(env_name, ports))}"
    return None
