"""Open subscriptions end with the session that opened them: on expiry, logout, deactivation, a
new role or password; checked before each push and between pushes alike.

The subscriptions are served by API servers of this module's own (their session watch is at
hand, so a test knows when a subscription is under watch); the journeys they watch are moved
through the suite's main API, as another member of staff would move them."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import graphql
import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from temporalio.testing import WorkflowEnvironment

from domain.permissions import SUBSCRIPTIONS as SUBSCRIPTION_RULES
from domain.roles import Role
from domain.store import accounts
from schema import export_sdl
from schema.auth.watch import SessionWatch
from schema.context import AuthServices
from server.seed import DEMO_PASSWORD
from server.view import MAX_OPERATIONS_PER_SOCKET
from tests.api import documents
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver, end_journey
from tests.api.harness import Api, eventually, running_api
from tests.api.sessions import (
    ALERTS,
    CHANGE_PASSWORD,
    LOGOUT,
    Account,
    ended_unauthorized,
    new_account,
    reading,
    sign_in,
    unknown_role,
)

WITHIN = 20.0  # seconds for a subscription to end: one watch poll (1 s) and a generous margin
NUDGE = """
mutation Nudge($input: SupervisorNoteInput!) {
  nudgeJourney(input: $input) { __typename ... on UserError { code message } }
}
"""
BOARD = "subscription Board($clinicId: ID!) { supervisorBoard(clinicId: $clinicId) { change } }"
DESK = "subscription Desk($clinicId: ID!) { triageBoardChanged(clinicId: $clinicId) { clinicId } }"


@dataclasses.dataclass
class Served:
    """An API server of the test's own, with its session watch."""

    api: Api
    watch: SessionWatch

    async def under_watch(self, account: Account) -> None:
        async def watched() -> bool:
            return self.watch.watches(account.account_id)

        await eventually(watched, bool, timeout=WITHIN, what=f"{account.username} under watch")

    async def polls(self, count: int) -> None:
        """Returns once the watch has finished `count` polls that all began after this call."""
        target = self.watch.ticks + count + 1  # the poll under way may have read before

        async def polled() -> bool:
            return self.watch.ticks >= target

        await eventually(polled, bool, timeout=WITHIN, what=f"{count} polls of the watch")


@contextlib.asynccontextmanager
async def serve(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str, **changes: Any
) -> AsyncIterator[Served]:
    auth = AuthServices(**changes.pop("auth", {}))
    settings = api_settings(database, temporal_address, "subscription-sessions")
    async with running_api(
        dataclasses.replace(settings, **changes), temporal_env.client, auth
    ) as api:
        yield Served(api, auth.watch)


@pytest.fixture(scope="module")
async def watched(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Served]:
    async with serve(database, temporal_env, temporal_address) as served:
        yield served


async def start_journey(api: Api, clinic_id: str) -> tuple[str, str]:
    """A journey in the clinic, started by a supervisor of it: (journey id, their token)."""
    colleague = await new_account(Role.SUPERVISOR, clinic_id=clinic_id)
    token = await sign_in(api, colleague)
    client = {
        "fullName": "Ewa Subscriber",
        "birthDate": "1990-02-03",
        "phone": "+48 600 100 201",
        "dataConsent": True,
        "registerAnyway": True,  # shared test data, another person
    }
    registered = (await api.run(documents.REGISTER_CLIENT, token, input=client))["registerClient"]
    started = await api.run(
        documents.START_JOURNEY, token, input={"clientId": registered["client"]["id"]}
    )
    journey = started["startJourney"]
    assert journey["__typename"] == "JourneyPayload", journey
    return str(journey["journey"]["id"]), token


async def nudge(api: Api, token: str, journey_id: str, note: str) -> None:
    answer = await api.run(NUDGE, token, input={"journeyId": journey_id, "note": note})
    assert answer["nudgeJourney"]["__typename"] == "JourneyPayload", answer


Opening = tuple[str, dict[str, Any]]


async def _journey_changed(api: Api, watcher: Account) -> Opening:
    journey_id, _ = await start_journey(api, watcher.clinic_id)
    return documents.JOURNEY_CHANGED, {"id": journey_id}


async def _supervisor_board(api: Api, watcher: Account) -> Opening:
    return BOARD, {"clinicId": watcher.clinic_id}


async def _my_journey_alerts(api: Api, watcher: Account) -> Opening:
    return ALERTS, {}


async def _tasks_changed(api: Api, watcher: Account) -> Opening:
    return "subscription Tasks { tasksChanged { change } }", {}


async def _triage_board_changed(api: Api, watcher: Account) -> Opening:
    return DESK, {"clinicId": watcher.clinic_id}


# How to open each subscription of the schema, as a supervisor of a clinic of its own.
SUBSCRIPTIONS: dict[str, Callable[[Api, Account], Awaitable[Opening]]] = {
    "journeyChanged": _journey_changed,
    "supervisorBoard": _supervisor_board,
    "myJourneyAlerts": _my_journey_alerts,
    "tasksChanged": _tasks_changed,
    "triageBoardChanged": _triage_board_changed,
}


def subscription_fields() -> list[str]:
    subscription = graphql.build_schema(export_sdl()).subscription_type
    assert subscription is not None
    return sorted(subscription.fields)


@pytest.mark.parametrize("field", subscription_fields())
async def test_every_subscription_ends_when_its_token_is_revoked(
    api: Api, watched: Served, field: str
) -> None:
    assert field in SUBSCRIPTIONS, f"add {field} to SUBSCRIPTIONS: every subscription is checked"
    # Given a supervisor watching it (a consultant, where only consultants may)
    rule = SUBSCRIPTION_RULES[field]
    watcher = await new_account(
        Role.SUPERVISOR if rule.admits(Role.SUPERVISOR) else Role.CONSULTANT
    )
    document, variables = await SUBSCRIPTIONS[field](api, watcher)
    token = await sign_in(api, watcher)
    async with watched.api.subscription(document, token, **variables) as stream:
        async with reading(stream) as reader:
            await watched.under_watch(watcher)
            # When they sign out everywhere (from another tab), while nothing is being pushed
            signed_out = await api.run(LOGOUT, token, input={"everywhere": True})
            assert signed_out["logout"]["__typename"] == "LogoutPayload"
            # Then the subscription ends, saying why
            end = await reader.end(within=WITHIN)
    assert ended_unauthorized(end, "the token was revoked"), end


async def _logout_this_token(api: Api, account: Account, token: str) -> None:
    assert (await api.run(LOGOUT, token, input={}))["logout"]["__typename"] == "LogoutPayload"


async def _deactivate(api: Api, account: Account, token: str) -> None:
    await accounts.deactivate_account(account.account_id)


async def _new_role(api: Api, account: Account, token: str) -> None:
    await accounts.change_role(account.account_id, Role.CASHIER)


async def _new_password(api: Api, account: Account, token: str) -> None:
    change = {"currentPassword": DEMO_PASSWORD, "newPassword": "a far longer passphrase"}
    answer = await api.run(CHANGE_PASSWORD, token, input=change)
    assert answer["changePassword"]["__typename"] == "ChangePasswordPayload"


@pytest.mark.parametrize(
    ("revoke", "reason"),
    [
        (_logout_this_token, "the token was signed out"),
        (_deactivate, "the account is not active"),
        (_new_role, "the token was revoked"),
        (_new_password, "the token was revoked"),
        (unknown_role, "the account's role is not one this release knows"),
    ],
    ids=["logout", "deactivation", "new-role", "new-password", "unknown-role"],
)
async def test_a_subscription_ends_with_its_session(
    api: Api,
    watched: Served,
    revoke: Callable[[Api, Account, str], Awaitable[None]],
    reason: str,
) -> None:
    account = await new_account(Role.CONSULTANT)
    token = await sign_in(api, account)
    async with watched.api.subscription(ALERTS, token) as stream, reading(stream) as reader:
        await watched.under_watch(account)
        await revoke(api, account, token)
        end = await reader.end(within=WITHIN)
    assert ended_unauthorized(end, reason), end
    assert end.received == []


async def test_a_subscription_ends_when_its_token_expires_though_nothing_is_pushed(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given a server whose tokens live three seconds, and a subscription that pushes nothing
    async with serve(database, temporal_env, temporal_address, token_ttl_seconds=3) as served:
        account = await new_account(Role.CONSULTANT)
        token = await sign_in(served.api, account)
        async with served.api.subscription(ALERTS, token) as stream, reading(stream) as reader:
            await served.under_watch(account)
            # Then it ends by itself once the token expires
            end = await reader.end(within=WITHIN)
    assert ended_unauthorized(end, "the token has expired"), end
    assert end.received == []


async def test_each_push_checks_the_session_first(
    api: Api, database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given a server whose watch does not poll during the test: only the check before a push
    # can stop a revoked subscriber
    slow = {"watch": SessionWatch(interval_seconds=3600)}
    async with serve(database, temporal_env, temporal_address, auth=slow) as served:
        watcher = await new_account(Role.SUPERVISOR)
        journey_id, colleague = await start_journey(api, watcher.clinic_id)
        token = await sign_in(api, watcher)
        async with served.api.subscription(documents.JOURNEY_CHANGED, token, id=journey_id) as s:
            async with reading(s) as reader:
                await served.under_watch(watcher)
                # (the first push, the journey as it is, was sent while the token was good)
                await eventually(
                    lambda: _pushed(reader), bool, timeout=WITHIN, what="the journey as it is"
                )
                # When the watcher's tokens are revoked, and then the journey changes
                await accounts.revoke_tokens(watcher.account_id)
                await nudge(api, colleague, journey_id, "after the revocation")
                # Then the change is not pushed to them: the subscription ends instead
                end = await reader.end(within=WITHIN)
    assert [p["journeyChanged"]["history"][-1]["action"] for p in end.received] == ["check_in"]
    assert ended_unauthorized(end, "the token was revoked"), end


async def _pushed(reader: Any) -> list[Any]:
    return list(reader.received)


async def test_signing_out_another_device_leaves_this_subscription_open(
    api: Api, watched: Served
) -> None:
    # Given a supervisor watching a journey, signed in on a second device too
    watcher = await new_account(Role.SUPERVISOR)
    journey_id, colleague = await start_journey(api, watcher.clinic_id)
    token, other_device = await sign_in(api, watcher), await sign_in(api, watcher)
    async with watched.api.subscription(documents.JOURNEY_CHANGED, token, id=journey_id) as s:
        async with reading(s) as reader:
            await watched.under_watch(watcher)
            # When the other device signs out, and the watch has polled since
            await _logout_this_token(api, watcher, other_device)
            await watched.polls(2)
            # Then the subscription still delivers the next change
            await nudge(api, colleague, journey_id, "still watching?")

            def nudged(pushes: list[Any]) -> bool:
                return any(p["journeyChanged"]["history"][-1]["action"] == "nudge" for p in pushes)

            async def pushed() -> list[Any]:
                return list(reader.received)

            await eventually(pushed, nudged, timeout=WITHIN, what="the nudge pushed")


def _watching(journey_id: str) -> GraphQLRequest:
    return GraphQLRequest(
        "subscription W($id: ID!) { journeyChanged(id: $id) { lastEventSeq } }",
        variable_values={"id": journey_id},
    )


async def test_one_account_holds_a_bounded_number_of_live_subscriptions(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a supervisor watching one journey 50 times over two sockets (25 each, the most a
    # socket holds), each subscription pushed its first view
    journey = await driver.start()
    watch = _watching(journey["id"])
    supervisor = driver.token(Role.SUPERVISOR)
    async with contextlib.AsyncExitStack() as held:
        streams = []
        for _ in range(2):
            session = await held.enter_async_context(api.websocket(supervisor))
            streams += [session.subscribe(watch) for _ in range(MAX_OPERATIONS_PER_SOCKET)]
        firsts = await asyncio.wait_for(asyncio.gather(*(anext(s) for s in streams)), WITHIN)
        seqs = {first["journeyChanged"]["lastEventSeq"] for first in firsts}
        assert len(seqs) == 1, seqs
        # When the same account opens one more, on a third socket
        third = await held.enter_async_context(api.websocket(supervisor))
        with pytest.raises(TransportQueryError, match="at most 50 live subscriptions"):
            await asyncio.wait_for(anext(third.subscribe(watch)), WITHIN)
        # Then it is refused, while another account's is not
        other = await held.enter_async_context(api.websocket(driver.token(Role.FRONT_DESK)))
        others = other.subscribe(watch)
        pushed = await asyncio.wait_for(anext(others), WITHIN)
        assert {pushed["journeyChanged"]["lastEventSeq"]} == seqs
        for stream in [*streams, others]:
            await stream.aclose()
    await end_journey(driver, journey["id"])


async def test_one_socket_holds_a_bounded_number_of_operations(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a socket holding 25 subscriptions, each pushed its first view
    journey = await driver.start()
    watch = _watching(journey["id"])
    async with api.websocket(driver.token(Role.SUPERVISOR)) as session:
        streams = [session.subscribe(watch) for _ in range(MAX_OPERATIONS_PER_SOCKET)]
        await asyncio.wait_for(asyncio.gather(*(anext(s) for s in streams)), WITHIN)
        # When one more is opened on it, it is refused; the 25 stay open
        with pytest.raises(TransportQueryError, match="Subscription limit reached"):
            await asyncio.wait_for(anext(session.subscribe(watch)), WITHIN)
        for stream in streams:
            await stream.aclose()
    await end_journey(driver, journey["id"])
