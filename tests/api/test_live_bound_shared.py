"""One bound of live subscriptions per account across API processes sharing the database: an
account's 50 on one process refuse its 51st on another, a subscription ended frees its place at
once everywhere, and the leases of a process that died count until they expire.

Both servers' session watches poll once an hour, so no renewal, sweep or expiry happens during a
test: a place is freed only by giving its lease back, or by a lease the test wrote expiring."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from temporalio.testing import WorkflowEnvironment

from domain.errors import ErrorCode
from domain.roles import Role
from domain.store.models import LiveSubscriptionLease
from schema.auth.watch import MAX_LIVE_PER_ACCOUNT, SessionWatch
from server.view import MAX_OPERATIONS_PER_SOCKET
from tests.api.harness import Api, eventually
from tests.api.sessions import new_account, sign_in
from tests.api.test_subscription_sessions import WITHIN, Served, _watching, serve, start_journey

REFUSED = f"at most {MAX_LIVE_PER_ACCOUNT} live subscriptions per account at once: end one first"
# Well below a lease (an hour here): a place freed within it was given back, not expired.
AT_ONCE = 10.0


@pytest.fixture(scope="module")
async def two_apis(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[tuple[Served, Served]]:
    async with contextlib.AsyncExitStack() as servers:
        pair = [
            await servers.enter_async_context(
                serve(
                    database,
                    temporal_env,
                    temporal_address,
                    auth={"watch": SessionWatch(interval_seconds=3600)},
                )
            )
            for _ in range(2)
        ]
        yield pair[0], pair[1]


async def _watcher(api: Api) -> tuple[str, str, Any]:
    """A supervisor of a clinic of their own, their token, and a subscription to a journey there
    (it pushes the journey as it is at once: the subscription is open once that came)."""
    supervisor = await new_account(Role.SUPERVISOR)
    journey_id, _ = await start_journey(api, supervisor.clinic_id)
    return supervisor.account_id, await sign_in(api, supervisor), _watching(journey_id)


async def _open_the_bound(
    held: contextlib.AsyncExitStack, api: Api, token: str, watch: Any
) -> list[Any]:
    """MAX_LIVE_PER_ACCOUNT subscriptions on `api`, each pushed its first view; they end as
    `held` closes."""
    streams: list[Any] = []
    while len(streams) < MAX_LIVE_PER_ACCOUNT:
        session = await held.enter_async_context(api.websocket(token))
        room = min(MAX_OPERATIONS_PER_SOCKET, MAX_LIVE_PER_ACCOUNT - len(streams))
        opened = [session.subscribe(watch) for _ in range(room)]
        for stream in opened:
            held.push_async_callback(stream.aclose)
        streams += opened
    await asyncio.wait_for(asyncio.gather(*(anext(s) for s in streams)), WITHIN)
    return streams


async def _refused(held: contextlib.AsyncExitStack, api: Api, token: str, watch: Any) -> None:
    session = await held.enter_async_context(api.websocket(token))
    with pytest.raises(TransportQueryError) as refused:
        await asyncio.wait_for(anext(session.subscribe(watch)), WITHIN)
    (error,) = refused.value.errors or []
    assert error["message"] == REFUSED, error
    assert error["extensions"]["code"] == ErrorCode.TOO_MANY_ATTEMPTS.value, error


async def _opens(held: contextlib.AsyncExitStack, api: Api, token: str, watch: Any) -> None:
    """One subscription on `api`, pushed its first view; it ends as `held` closes."""
    session = await held.enter_async_context(api.websocket(token))
    stream = session.subscribe(watch)
    held.push_async_callback(stream.aclose)
    await asyncio.wait_for(anext(stream), WITHIN)


async def _leases(account_id: str) -> int:
    return await LiveSubscriptionLease.filter(account_id=account_id).count()


async def test_an_accounts_bound_on_one_api_process_refuses_its_next_on_another(
    api: Api, two_apis: tuple[Served, Served]
) -> None:
    first, second = two_apis
    account_id, token, watch = await _watcher(api)
    async with contextlib.AsyncExitStack() as held:
        # Given an account holding its 50 live subscriptions on one API process
        await _open_the_bound(held, first.api, token, watch)
        # When it opens one more on another process on the same database
        # Then it is refused as on the first, typed and saying why
        await _refused(held, second.api, token, watch)
        await _refused(held, first.api, token, watch)
        # while another account opens one there
        _, other_token, other_watch = await _watcher(api)
        await _opens(held, second.api, other_token, other_watch)
        assert await _leases(account_id) == MAX_LIVE_PER_ACCOUNT
    # And the leases are given back when the subscriptions end
    await eventually(lambda: _leases(account_id), lambda n: n == 0, timeout=AT_ONCE, what="none")


async def test_a_subscription_ended_frees_its_place_at_once_on_another_process(
    api: Api, two_apis: tuple[Served, Served]
) -> None:
    first, second = two_apis
    account_id, token, watch = await _watcher(api)
    async with contextlib.AsyncExitStack() as held:
        # Given an account holding its 50 on one API process, refused on another
        streams = await _open_the_bound(held, first.api, token, watch)
        await _refused(held, second.api, token, watch)
        # When one of the 50 ends
        await streams.pop().aclose()
        await eventually(
            lambda: _leases(account_id),
            lambda n: n == MAX_LIVE_PER_ACCOUNT - 1,
            timeout=AT_ONCE,
            what="the lease given back",
        )
        # Then its place is the other process's at once, and only that one
        await _opens(held, second.api, token, watch)
        await _refused(held, second.api, token, watch)


async def test_a_dead_processs_leases_count_until_they_expire(
    api: Api, two_apis: tuple[Served, Served]
) -> None:
    first, _ = two_apis
    account_id, token, watch = await _watcher(api)
    # Given an API process that died holding the account's 50 live subscriptions, a moment ago
    gone = f"gone-replica:{uuid.uuid4().hex[:8]}"
    await LiveSubscriptionLease.bulk_create(
        [
            LiveSubscriptionLease(
                id=uuid.uuid4().hex,
                account_id=account_id,
                holder=gone,
                expires_at=datetime.now(UTC) + timedelta(seconds=30),
            )
            for _ in range(MAX_LIVE_PER_ACCOUNT)
        ]
    )
    async with contextlib.AsyncExitStack() as held:
        # When the account opens one on a live process, it is refused while they last
        await _refused(held, first.api, token, watch)
        # Then once they expired (no process renews them), their places are free again
        await LiveSubscriptionLease.filter(holder=gone).update(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)
        )
        await _open_the_bound(held, first.api, token, watch)
        await _refused(held, first.api, token, watch)
    await LiveSubscriptionLease.filter(holder=gone).delete()
