"""Signing in: staff accounts with hashed passwords; the token goes in `Authorization: Bearer`."""

from __future__ import annotations

import time
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.auth import TokenClaims, hash_password, issue_token, verify_password
from domain.roles import Role
from domain.store.models import StaffAccount
from schema.context import Context
from schema.errors import NotAuthorized, ValidationFailed, invalid, not_authorized
from schema.staff.types import StaffMember

# Verified against when the username is unknown, so both failures take the same time.
_DECOY_HASH = hash_password("decoy", salt=b"glowpath-decoy!!")


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str
    expires_at: int = strawberry.field(description="Unix time the token stops working.")
    staff: StaffMember


LoginResult = Annotated[
    LoginPayload | NotAuthorized | ValidationFailed, strawberry.union("LoginResult")
]


async def login(info: Info[Context, None], input: LoginInput) -> LoginResult:
    if not input.username.strip() or not input.password:
        return invalid("username", "username and password are required")
    account = await StaffAccount.get_or_none(username=input.username.strip(), active=True)
    if account is None:
        verify_password(input.password, _DECOY_HASH)
        return not_authorized("wrong username or password")
    if not verify_password(input.password, account.password_hash):
        return not_authorized("wrong username or password")
    expires_at = int(time.time()) + info.context.config.token_ttl_seconds
    claims = TokenClaims(str(account.id), Role(account.role), str(account.clinic_id), expires_at)
    token = issue_token(claims, info.context.config.secret_key)
    return LoginPayload(token=token, expires_at=expires_at, staff=StaffMember.from_row(account))
