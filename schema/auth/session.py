"""Who is asking, checked before every operation: the bearer token, then the account behind it.

`SessionCheck` (a schema extension, so one mechanism covers queries, mutations and
subscriptions, over HTTP and WebSocket alike) looks the account up once per operation: one
query, whose answer every resolver of the operation reads from the context. A token of a
deactivated account, one issued before the account's `tokens_valid_after`, or one signed out
no longer works from its next request on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.auth import AccessToken, SigningKeys, TokenClaims, read_token, session_problem
from domain.roles import Role
from domain.store import accounts
from domain.store.models import StaffAccount

log = logging.getLogger(__name__)
UNEXPECTED = "Unexpected error."


@dataclass(frozen=True)
class Session:
    """A genuine token, and the account behind it as the check found it."""

    token: AccessToken
    account: StaffAccount | None
    problem: str | None  # why the token no longer works; None while it does
    clinic_timezone: str | None = None  # the account's clinic's, read with the account

    @property
    def claims(self) -> TokenClaims | None:
        if self.problem is not None or self.account is None:
            return None
        return TokenClaims(
            account_id=str(self.account.id),
            role=Role(self.account.role),
            clinic_id=str(self.account.clinic_id),
            expires_at=self.token.expires_at,
        )


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def check_session(raw_token: str | None, keys: SigningKeys) -> Session | None:
    """None for no token or a forged, malformed or expired one; else the session."""
    now = time.time()
    token = read_token(raw_token, keys, now) if raw_token else None
    if token is None:
        return None
    found = await accounts.look_up(token)
    state = accounts.state_of(found.account)
    problem = session_problem(token, state, found.token_signed_out, now)
    return Session(token, found.account, problem, found.clinic_timezone)


class SessionCheck(SchemaExtension):
    """Checks the caller's session before each operation runs (subscriptions: when they start;
    `schema.auth.watch` keeps checking while they last)."""

    async def on_execute(self) -> AsyncIterator[None]:
        # Imported here: the context module imports this one.
        from schema.context import Context

        context = self.execution_context.context
        if isinstance(context, Context):
            try:
                await context.check_session()
            except Exception as error:
                # Raised from an extension, the error would reach the client unmasked (the
                # masking sees only what resolvers raise): a cut database would answer with
                # its driver's message, host and port included.
                log.exception("session check failed")
                raise GraphQLError(UNEXPECTED) from error
        yield
