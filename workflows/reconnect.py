"""Waiting for Temporal at start-up: retry with back-off while it is unreachable.

A worker started before Temporal (a deploy that starts every service at once, a Temporal
restart) waits for it instead of exiting: it says so once, keeps quiet while it retries, and
says when Temporal answered. Cancelling the wait (SIGTERM) ends it at once. The API waits the
same way, serving meanwhile: its client is lazy, and one that has not connected yet fails each
call as one whose server went away does (`ConnectFailureAsUnavailable`), so the callers' handling
of an outage covers it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import TypeVar

import google.protobuf.message
from temporalio.service import RPCError, RPCStatusCode, ServiceClient, ServiceResponse

# (the type the SDK's ServiceClient declares for its worker's client)
from temporalio.service import _BridgeServiceClient as BridgeServiceClient

from workflows.backoff import Backoff

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a Temporal frontend that is down, starting or overloaded answers; anything else (a bad
# namespace, a refused permission) is a mistake that waiting will not mend.
_TRANSIENT = frozenset(
    {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.RESOURCE_EXHAUSTED}
)
STARTUP_BACKOFF = Backoff(first=0.5, ceiling=10.0)
# One attempt's bound: an address that takes the connection and never answers (a black-holed
# port, a proxy with nothing behind it) counts as unreachable, instead of holding the start-up
# for as long as the SDK's own connect timeout (30 s) or, for a plain call, for ever.
ATTEMPT_SECONDS = 10.0


def unreachable(error: BaseException) -> bool:
    """True for the errors of a Temporal frontend that cannot be reached (yet)."""
    if isinstance(error, RPCError):
        return error.status in _TRANSIENT
    # The SDK reports a refused or failed connection as a plain RuntimeError.
    return isinstance(error, RuntimeError) and str(error).startswith("Failed client connect")


async def until_reachable(
    attempt: Callable[[], Awaitable[T]],
    address: str,
    backoff: Backoff = STARTUP_BACKOFF,
    attempt_seconds: float = ATTEMPT_SECONDS,
) -> T:
    """Runs ``attempt`` until it does not fail for want of Temporal; returns its result. Each
    attempt is bounded by ``attempt_seconds``; one that hears nothing by then is retried."""
    delays = backoff.delays()
    waiting_since: float | None = None
    while True:
        try:
            result = await _bounded(attempt, attempt_seconds)
        except Exception as error:
            if not unreachable(error):
                raise
            if waiting_since is None:
                waiting_since = time.monotonic()
                log.warning(
                    "Temporal at %s is unreachable (%s); waiting for it, retrying with back-off",
                    address,
                    _brief(error),
                )
            delay = next(delays)
            log.debug("Temporal at %s still unreachable; next attempt in %.1f s", address, delay)
            await asyncio.sleep(delay)
            continue
        if waiting_since is not None:
            waited = time.monotonic() - waiting_since
            log.info("Temporal at %s answered after %.1f s of waiting", address, waited)
        return result


async def _bounded(attempt: Callable[[], Awaitable[T]], seconds: float) -> T:
    """``attempt``, with no answer within ``seconds`` raised as the deadline Temporal would."""
    try:
        async with asyncio.timeout(seconds):
            return await attempt()
    except TimeoutError as error:
        no_answer = f"no answer in {seconds:g} s"
        raise RPCError(no_answer, RPCStatusCode.DEADLINE_EXCEEDED, b"") from error


class ConnectFailureAsUnavailable(ServiceClient):
    """A lazy client's service calls, with a failure to connect raised as ``RPCError``
    ``UNAVAILABLE``: what a connected client raises once its server has gone away, and what the
    API's callers of Temporal already answer `Unavailable` for. The SDK raises a plain
    ``RuntimeError`` for it, which they did not expect: an API that started before Temporal
    answered a journey's start with an internal error."""

    def __init__(self, inner: ServiceClient) -> None:
        super().__init__(inner.config)
        self._inner = inner

    @property
    def worker_service_client(self) -> BridgeServiceClient:
        return self._inner.worker_service_client

    def update_rpc_metadata(self, metadata: Mapping[str, str | bytes]) -> None:
        self._inner.update_rpc_metadata(metadata)

    def update_api_key(self, api_key: str | None) -> None:
        self._inner.update_api_key(api_key)

    async def _rpc_call(
        self,
        rpc: str,
        req: google.protobuf.message.Message,
        resp_type: type[ServiceResponse],
        *,
        service: str,
        retry: bool,
        metadata: Mapping[str, str | bytes],
        timeout: timedelta | None,
    ) -> ServiceResponse:
        try:
            return await self._inner._rpc_call(
                rpc,
                req,
                resp_type,
                service=service,
                retry=retry,
                metadata=metadata,
                timeout=timeout,
            )
        except RuntimeError as error:
            if not unreachable(error):
                raise
            raise RPCError(str(error), RPCStatusCode.UNAVAILABLE, b"") from error


def _brief(error: BaseException) -> str:
    if isinstance(error, RPCError):
        return f"{error.status.name}: {error.message}"
    return str(error)
