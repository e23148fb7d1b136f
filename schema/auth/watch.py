"""Subscriptions last only as long as the session that opened them.

`while_signed_in` wraps every subscription (in the `Subscription` root, the one place they all
pass through). It checks the session again before each push, and ends the subscription as soon
as the token expires or is revoked, even when nothing is being pushed: a `SessionWatch` per app
polls, once a tick for all open subscriptions (two queries, whatever their number), the accounts
and signed-out tokens behind them. The subscription then ends with an error whose
`extensions.code` is `NOT_AUTHORIZED`, and the client signs in again.

Each signed-in subscription also holds a lease that bounds its account's open subscriptions
across every API process (`schema.auth.live_bound`); the same poll renews them all, in one
statement more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from graphql import GraphQLError

from domain.auth import AccessToken, session_problem
from domain.errors import ErrorCode
from domain.store import accounts
from schema.auth.live_bound import LiveBound
from schema.live_errors import SubscriptionRefused

if TYPE_CHECKING:
    from strawberry.types import Info

    from schema.context import Context

log = logging.getLogger(__name__)
T = TypeVar("T")
POLL_SECONDS = 1.0
# Open subscriptions of one account at once, on every API process sharing the database, on all
# their sockets (25 per socket).
MAX_LIVE_PER_ACCOUNT = 50


class SessionEnded(GraphQLError):
    """Ends a subscription whose session ended (an expected end: not logged as an error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"{reason}: sign in again", extensions={"code": ErrorCode.NOT_AUTHORIZED.value}
        )


class Watched:
    """One open subscription's session; `ended` is set, with a reason, when it ends."""

    def __init__(self, token: AccessToken) -> None:
        self.token = token
        self.ended = asyncio.Event()
        self.reason = ""

    def end(self, reason: str) -> None:
        self.reason = reason
        self.ended.set()


class SessionWatch:
    def __init__(self, interval_seconds: float = POLL_SECONDS) -> None:
        self.interval = interval_seconds
        self.leases = LiveBound(interval_seconds, MAX_LIVE_PER_ACCOUNT)
        self._watched: set[Watched] = set()
        self._poller: asyncio.Task[None] | None = None
        self.ticks = 0  # polls finished so far

    def watches(self, account_id: str) -> bool:
        """Whether an open subscription of the account is being watched."""
        return any(w.token.account_id == account_id for w in self._watched)

    @contextlib.asynccontextmanager
    async def watching(self, token: AccessToken) -> AsyncIterator[Watched]:
        # Every push is built for its subscriber alone: one token opening thousands over many
        # sockets turned one step into 4,000 pushes and 734 MB.
        lease = await self.leases.take(token.account_id)
        if lease is None:
            raise SubscriptionRefused(
                f"at most {MAX_LIVE_PER_ACCOUNT} live subscriptions per account at once: "
                "end one first",
                ErrorCode.TOO_MANY_ATTEMPTS,
            )
        watched = Watched(token)
        self._watched.add(watched)
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll(), name="session-watch")
        try:
            yield watched
        finally:
            self._watched.discard(watched)
            await self.leases.give_back(lease)

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller

    async def _poll(self) -> None:
        while self._watched:
            await asyncio.sleep(self.interval)
            # The database may blink: the pushes still check on their own, and a lease lasts
            # many polls.
            try:
                await self.leases.renew()
            except Exception:
                log.exception("renewing the live subscriptions' leases failed")
            try:
                await self._tick()
            except Exception:
                log.exception("session watch poll failed")
            self.ticks += 1

    async def _tick(self) -> None:
        watched = [w for w in self._watched if not w.ended.is_set()]
        if not watched:
            return
        states, signed_out = await accounts.states(
            {w.token.account_id for w in watched}, {w.token.token_id for w in watched}
        )
        now = time.time()
        for w in watched:
            state = states.get(w.token.account_id)
            problem = session_problem(w.token, state, w.token.token_id in signed_out, now)
            if problem:
                w.end(problem)


async def while_signed_in(
    info: Info[Context, Any], source: AsyncGenerator[T, None]
) -> AsyncGenerator[T, None]:
    """`source`'s items while the caller's session lasts; then `SessionEnded`."""
    context = info.context
    session = context.session
    async with aclosing(source):
        if session is None or session.claims is None:
            # Not signed in: each subscription answers null once and ends by itself.
            async for item in source:
                yield item
            return
        async with context.auth.watch.watching(session.token) as watched:
            while True:
                try:
                    item = await _next_unless_ended(source, watched)
                except StopAsyncIteration:
                    return
                checked = await context.check_session()  # before each push, as a request would
                if checked is None:  # no longer genuine: past its expiry
                    _ended("the token has expired")
                if checked.problem is not None:
                    _ended(checked.problem)
                yield item


async def _next_unless_ended(source: AsyncGenerator[T, None], watched: Watched) -> T:
    next_item = asyncio.ensure_future(anext(source))
    ended = asyncio.ensure_future(watched.ended.wait())
    try:
        await asyncio.wait({next_item, ended}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        ended.cancel()
        if not next_item.done():
            next_item.cancel()
            # Let the source take its cancellation before it is closed.
            await asyncio.wait({next_item})
    if watched.ended.is_set():
        if next_item.done() and not next_item.cancelled():
            next_item.exception()  # the session's end wins over whatever the source did
        _ended(watched.reason)
    return next_item.result()


def _ended(reason: str) -> NoReturn:
    log.info("subscription ended: %s", reason)
    raise SessionEnded(reason)
