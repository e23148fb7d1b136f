"""Signing in: staff accounts with argon2id passwords; the token goes in `Authorization: Bearer`.

Every attempt passes the throttle first (a refused one costs no hashing), then the password is
verified in a thread: an unknown username is verified against a decoy, so it costs the same as
a wrong password. A hash older than the current scheme is replaced on a successful sign-in.
"""

from __future__ import annotations

import time
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.auth import AccessToken, issue_token, session_problem
from domain.errors import FieldProblemCode as Code
from domain.passwords import MAX_LENGTH
from domain.store import accounts
from domain.store.models import USERNAME_MAX_LENGTH, StaffAccount
from schema.auth.hashing import PASSWORD_WORK, RETRY_AFTER_SECONDS, HashingBusy
from schema.auth.throttle import client_address
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    TooManyAttempts,
    ValidationFailed,
    invalid,
    not_authorized,
    too_many_attempts,
)
from schema.metrics import LOGIN_ATTEMPTS
from schema.staff.types import StaffMember


@strawberry.input(description="A member of staff's credentials.")
class LoginInput:
    username: str = strawberry.field(
        description="As given by the clinic; surrounding spaces ignored."
    )
    password: str = strawberry.field(description="At most 256 characters.")


@strawberry.type(description="Signed in: send `token` as `Authorization: Bearer <token>`.")
class LoginPayload:
    token: str = strawberry.field(
        description="A signed JWT; it stops working at `expiresAt`, on `logout`, on a password "
        "change, or when the account is deactivated or given another role."
    )
    expires_at: int = strawberry.field(description="Unix time the token stops working.")
    staff: StaffMember = strawberry.field(description="The account signed in.")


_WRONG = "wrong username or password"
LoginResult = Annotated[
    LoginPayload | NotAuthorized | ValidationFailed | TooManyAttempts,
    strawberry.union("LoginResult", description="The token, or why there is none."),
]


async def login(info: Info[Context, None], input: LoginInput) -> LoginResult:
    username = input.username.strip()
    if not username or not input.password:
        LOGIN_ATTEMPTS.labels("invalid").inc()
        return invalid("username", "username and password are required", Code.REQUIRED)
    if len(username) > USERNAME_MAX_LENGTH:  # no account has it; the column refuses it too
        LOGIN_ATTEMPTS.labels("invalid").inc()
        return invalid("username", f"at most {USERNAME_MAX_LENGTH} characters", Code.TOO_LONG)
    if len(input.password) > MAX_LENGTH:
        LOGIN_ATTEMPTS.labels("invalid").inc()
        return invalid("password", f"at most {MAX_LENGTH} characters", Code.TOO_LONG)
    context = info.context
    address = client_address(context.request, context.config.trusted_proxy_hops)
    wait = context.auth.throttle.admit(username, address)
    if wait is not None:
        LOGIN_ATTEMPTS.labels("throttled").inc()
        return too_many_attempts(wait)
    # The token counts as issued when the account was read: a revocation while the password
    # is being verified (a new password, a logout everywhere) ends it as it ends older ones.
    read_at = time.time()
    account = await StaffAccount.get_or_none(username=username, active=True)
    stored = account.password_hash if account else None
    try:
        verdict = await PASSWORD_WORK.verify(input.password, stored)
    except HashingBusy:
        context.auth.throttle.not_checked(username, address)
        LOGIN_ATTEMPTS.labels("throttled").inc()
        return too_many_attempts(RETRY_AFTER_SECONDS)
    if account is None or stored is None or not verdict.matches:
        LOGIN_ATTEMPTS.labels("failed").inc()
        return not_authorized(_WRONG)
    context.auth.throttle.succeeded(username, address)
    token = AccessToken.new(str(account.id), read_at, context.config.token_ttl_seconds)
    now_account = await StaffAccount.get_or_none(id=account.id)
    refusal = _changed_while_verifying(token, stored, now_account)
    if now_account is None or refusal is not None:
        LOGIN_ATTEMPTS.labels("failed").inc()
        return not_authorized(refusal or _WRONG)
    if verdict.needs_rehash:
        await _rehash(now_account, stored, input.password)
    LOGIN_ATTEMPTS.labels("ok").inc()
    return LoginPayload(
        token=issue_token(token, context.config.signing_keys),
        expires_at=token.expires_at,
        staff=StaffMember.from_row(now_account),
    )


def _changed_while_verifying(
    token: AccessToken, verified: str, account: StaffAccount | None
) -> str | None:
    """Why the account, read again once the password was verified, gives no token: a password
    changed or an account deactivated meanwhile is refused as it would be a moment later (the
    old password no longer signs in), and a token its sessions' end would revoke is never
    handed out."""
    if account is None or not account.active or account.password_hash != verified:
        return _WRONG
    problem = session_problem(token, accounts.state_of(account), False, time.time())
    return f"{problem}: sign in again" if problem else None


async def _rehash(account: StaffAccount, stored: str, password: str) -> None:
    try:
        fresh = await PASSWORD_WORK.hash(password)
    except HashingBusy:
        return  # the next sign-in will do it
    if await accounts.upgrade_password_hash(str(account.id), stored, fresh):
        account.password_hash = fresh
