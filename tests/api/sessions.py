"""Pieces of the session tests: the documents, accounts of their own, and watching a stream end."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store import accounts
from domain.store.models import Clinic, StaffAccount
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.harness import Api, demo_password_hash

LOGOUT = """
mutation Logout($input: LogoutInput!) {
  logout(input: $input) {
    __typename
    ... on LogoutPayload { everywhere signedOutAt }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""

CHANGE_PASSWORD = """
mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) {
    __typename
    ... on ChangePasswordPayload { changedAt }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
    ... on TooManyAttempts { retryAfterSeconds }
  }
}
"""

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on LoginPayload { token expiresAt staff { username role } }
    ... on UserError { code message }
    ... on TooManyAttempts { retryAfterSeconds }
  }
}
"""

ALERTS = "subscription Alerts { myJourneyAlerts { action journey { id } } }"
NOT_SIGNED_IN = {
    "__typename": "NotAuthorized",
    "code": "NOT_AUTHORIZED",
    "message": "sign in first",
}


@dataclass(frozen=True)
class Account:
    account_id: str
    username: str
    clinic_id: str


async def new_account(
    role: Role = Role.NURSE, clinic_id: str | None = None, password_hash: str | None = None
) -> Account:
    """An account nobody else uses (in a clinic of its own unless given one)."""
    tag = uuid.uuid4().hex[:10]
    clinic_id = clinic_id or f"auth-clinic-{tag}"
    await Clinic.get_or_create(id=clinic_id, defaults={"name": f"{clinic_id} clinic"})
    username = f"auth-{role.value.lower()}-{tag}"
    row = await StaffAccount.create(
        id=f"staff-{username}",
        clinic_id=clinic_id,
        username=username,
        display_name="Session Test",
        role=role.value,
        password_hash=password_hash or await asyncio.to_thread(demo_password_hash),
    )
    return Account(str(row.id), username, clinic_id)


async def login(api: Api, username: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
    data = await api.run(LOGIN, input={"username": username, "password": password})
    return data["login"]  # type: ignore[no-any-return]


async def sign_in(api: Api, account: Account, password: str = DEMO_PASSWORD) -> str:
    answer = await login(api, account.username, password)
    assert answer["__typename"] == "LoginPayload", answer
    return str(answer["token"])


async def _sign_out(api: Api, account: Account, token: str) -> None:
    assert (await api.run(LOGOUT, token, input={}))["logout"]["__typename"] == "LogoutPayload"


async def _deactivate(api: Api, account: Account, token: str) -> None:
    await accounts.deactivate_account(account.account_id)


async def _new_role(api: Api, account: Account, token: str) -> None:
    await accounts.change_role(account.account_id, Role.CASHIER)


async def unknown_role(api: Api, account: Account, token: str) -> None:
    """The account given a role this release does not know (a later release's, read after a
    rollback), past the API and with no revocation: once, every request of it was a fault."""
    await StaffAccount.filter(id=account.account_id).update(role="SCRIBE")


Revoke = Callable[[Api, Account, str], Awaitable[None]]
# The ways a token stops working before it expires, and what the API then says of it.
REVOCATIONS = pytest.mark.parametrize(
    ("revoke", "reason"),
    [
        (_sign_out, "the token was signed out"),
        (_deactivate, "the account is not active"),
        (_new_role, "the token was revoked"),
        (unknown_role, "the account's role is not one this release knows"),
    ],
    ids=["logout", "deactivation", "new-role", "unknown-role"],
)


async def me(api: Api, token: str) -> dict[str, Any]:
    return (await api.run(documents.ME, token))["me"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class StreamEnd:
    received: list[Any]  # what was pushed before the end
    errors: list[Any] | None  # the errors it ended with; None if it completed without


class StreamReader:
    """Reads a subscription in the background from the moment it is made (reading is what
    sends the `subscribe` message), so a test can act while it is open."""

    def __init__(self, stream: AsyncIterator[Any]) -> None:
        self.received: list[Any] = []
        self._task = asyncio.ensure_future(self._read(stream))

    async def _read(self, stream: AsyncIterator[Any]) -> list[Any] | None:
        try:
            async for result in stream:
                self.received.append(result)
        except TransportQueryError as error:
            return list(error.errors or [])
        return None

    async def end(self, *, within: float) -> StreamEnd:
        """How the stream ended; fails if it is still open after `within` seconds."""
        try:
            errors = await asyncio.wait_for(asyncio.shield(self._task), timeout=within)
        except TimeoutError:
            raise AssertionError(
                f"the subscription was still open after {within:.0f} s; pushed: {self.received!r}"
            ) from None
        return StreamEnd(list(self.received), errors)

    async def close(self) -> None:
        if not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task})


@contextlib.asynccontextmanager
async def reading(stream: AsyncIterator[Any]) -> AsyncIterator[StreamReader]:
    reader = StreamReader(stream)
    try:
        yield reader
    finally:
        await reader.close()


def ended_unauthorized(end: StreamEnd, reason: str) -> bool:
    """The stream ended with exactly one NOT_AUTHORIZED error saying `reason`."""
    if end.errors is None or len(end.errors) != 1:
        return False
    error = end.errors[0]
    return bool(
        error.get("extensions") == {"code": "NOT_AUTHORIZED"}
        and error.get("message") == f"{reason}: sign in again"
    )
