"""Ending sessions and changing one's password.

`logout` signs out the caller's token (or, with `everywhere`, every token of the account);
`changePassword` sets a new password and signs out every token, the caller's included. Both
take effect on the very next request, and close the account's open subscriptions.

A retry with the same `idempotencyKey` returns the first answer even though the token that
sent it no longer works (its signature still tells whose retry it is); without a key, signing
out a token already signed out is simply done again.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.auth import session_problem
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.passwords import MAX_LENGTH, new_password_problems
from domain.store import accounts, records
from domain.store.models import StaffAccount
from schema import idempotency
from schema.auth.hashing import PASSWORD_WORK, RETRY_AFTER_SECONDS, HashingBusy
from schema.auth.session import Session
from schema.auth.throttle import client_address
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    TooManyAttempts,
    ValidationFailed,
    from_domain,
    not_authorized,
    too_many_attempts,
)


@strawberry.input(description="Which tokens to sign out.")
class LogoutInput:
    everywhere: bool = strawberry.field(
        default=False,
        description="Sign out every token of the account (all devices), not only this one.",
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="Signed out: the token(s) no longer work, subscriptions included.")
class LogoutPayload:
    everywhere: bool = strawberry.field(description="Every token of the account was signed out.")
    signed_out_at: datetime = strawberry.field(description="When, in UTC.")


LogoutResult = Annotated[
    LogoutPayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("LogoutResult", description="Signed out, or why not."),
]


@strawberry.input(description="The password now, and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="Checked (and throttled) as a sign-in.")
    new_password: str = strawberry.field(
        description="12 to 256 characters, not the current password, not the username."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(
    description="The password is changed and every token of the account is signed out, this "
    "one included: sign in again with the new password."
)
class ChangePasswordPayload:
    changed_at: datetime = strawberry.field(description="When, in UTC.")


ChangePasswordResult = Annotated[
    ChangePasswordPayload | NotAuthorized | ValidationFailed | TooManyAttempts | Conflict,
    strawberry.union("ChangePasswordResult", description="Changed, or why not."),
]


async def _earlier(
    info: Info[Context, None], session: Session, input: object
) -> datetime | Conflict | None:
    """Claims the key (`schema.idempotency`): the first answer's time for a retried request,
    a Conflict if the key stands for another one, else None (go ahead)."""
    return _first_answer(await idempotency.claim(info, session.token.account_id, input))


def _first_answer(ledger: records.KeyClaim | None) -> datetime | Conflict | None:
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    return datetime.fromisoformat(first) if first else None


# What a change refused for a wrong current password settles its key with (a change settles
# it with its time): the refusal is that request's answer, told again to its retries.
WRONG_CURRENT_PASSWORD = "refused: currentPassword"


def _change_answer(result: str) -> ChangePasswordPayload | ValidationFailed:
    """The answer a change's settled key stands for."""
    if result == WRONG_CURRENT_PASSWORD:
        return _wrong_current_password()
    return ChangePasswordPayload(changed_at=datetime.fromisoformat(result))


def _first_change_answer(ledger: records.KeyClaim | None) -> ChangePasswordResult | None:
    """A change's first answer as its key's claim (or standing) tells it; None: go ahead."""
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    return _change_answer(first) if first else None


async def _remember(session: Session, input: object, at: datetime) -> datetime:
    """Settles the key with `at`, unless an attempt of the same request settled it first: the
    time that stands, which every attempt answers (each answering its own `at`, attempts sent
    at once told one sign-out different times)."""
    account_id = session.token.account_id
    return datetime.fromisoformat(await idempotency.settle_first(account_id, input, at.isoformat()))


async def _changed_before(
    info: Info[Context, None], session: Session, input: ChangePasswordInput
) -> str | None:
    """What the key of this very change was settled with (its time, or its refusal), or when
    it was made, if an attempt of it made it and its answer was lost before the key was
    settled (a release before wrote the two apart), which then revoked the token that retries
    it: the key claimed and unsettled, and the password the new one (one hash check, only
    then)."""
    account = session.account
    if account is None:
        return None

    async def is_the_new_password(_: records.KeyClaim) -> bool:
        assert account is not None
        try:
            return (await PASSWORD_WORK.verify(input.new_password, account.password_hash)).matches
        except HashingBusy:
            return False

    account_id = session.token.account_id
    if not await idempotency.answered_before(
        info, account_id, input, went_through=is_the_new_password
    ):
        return None
    at = (account.tokens_valid_after or datetime.now(UTC)).isoformat()
    return await idempotency.settle_first(account_id, input, at)


async def _once(
    session: Session, input: object, at: datetime, write: Callable[[], Awaitable[None]]
) -> str:
    """Does `write` (as of `at`) and settles the key in one transaction, unless an attempt of
    the same request settled it first: of attempts sent at once, one signs the account out,
    and every one answers its time (each revoking would answer its own, and sign out again
    a session begun between them); nor can an answer lost between the write and the key's
    settlement leave a retry to a token the write revoked."""
    account_id = session.token.account_id
    await idempotency.replace_and_settle(account_id, input, at.isoformat(), write)
    return await idempotency.settle_first(account_id, input, at.isoformat())


def _wrong_current_password() -> ValidationFailed:
    wrong = FieldProblem("currentPassword", "not your current password", Code.INVALID)
    return from_domain(DomainValidationFailed([wrong]))  # type: ignore[return-value]


async def logout(info: Info[Context, None], input: LogoutInput) -> LogoutResult:
    session = info.context.session
    if session is None:
        return not_authorized()
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_domain(DomainValidationFailed([bad_key]))  # type: ignore[return-value]
    if input.everywhere and session.problem is not None:
        return await _everywhere_refused(info, session, input)
    earlier = await _earlier(info, session, input)
    if isinstance(earlier, Conflict):
        return earlier
    if earlier is not None:
        return LogoutPayload(everywhere=input.everywhere, signed_out_at=earlier)
    now = datetime.now(UTC)
    if input.everywhere:

        async def revoke() -> None:
            await accounts.revoke_tokens_as_of(session.token.account_id, now)

        signed_out_at = datetime.fromisoformat(await _once(session, input, now, revoke))
        return LogoutPayload(everywhere=True, signed_out_at=signed_out_at)
    await accounts.sign_out_token(session.token)
    signed_out_at = await _remember(session, input, now)
    return LogoutPayload(everywhere=False, signed_out_at=signed_out_at)


async def _everywhere_refused(
    info: Info[Context, None], session: Session, input: LogoutInput
) -> LogoutResult:
    """Only a working token may end the others (a signed-out one is no longer trusted): the
    refusal claims no key, one lookup answering a retry of a logout everywhere that signed
    this very token out and a key that stands for another request. (Claimed, the key stood
    unsettled: the retry its owner made once signed in again signed out every session, the
    new one included, though the first answer was this refusal.)"""
    earlier = _first_answer(await idempotency.standing(info, session.token.account_id, input))
    if isinstance(earlier, datetime):
        return LogoutPayload(everywhere=True, signed_out_at=earlier)
    return earlier or not_authorized(f"{session.problem}: sign in again first")


async def change_password(
    info: Info[Context, None], input: ChangePasswordInput
) -> ChangePasswordResult:
    session = info.context.session
    if session is None:
        return not_authorized()
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_domain(DomainValidationFailed([bad_key]))  # type: ignore[return-value]
    account = session.account
    if session.problem is not None or account is None:
        # A token that no longer works claims no key (a refusal writes nothing): only a retry
        # of a change that signed it out is answered, its answer lost or not.
        answered = await _changed_before(info, session, input)
        if answered is not None:
            return _change_answer(answered)
        refusal = not_authorized(f"{session.problem or 'no such account'}: sign in again")
        account_id = session.token.account_id
        return await idempotency.refusal_or_conflict(info, account_id, input, refusal)
    problems = new_password_problems(input.new_password, input.current_password, account.username)
    if problems:
        invalid = from_domain(DomainValidationFailed(problems))
        return await _refused(info, session, input, invalid)  # type: ignore[arg-type]
    # The hashing queue and the throttle are met before the key is claimed, the place in the
    # queue held through both hashes: refused there, the request claims nothing and its retry
    # with the key is a first attempt. (Claimed first, the key stood claimed, never settled.)
    context = info.context
    address = client_address(context.request, context.config.trusted_proxy_hops)
    with PASSWORD_WORK.place() as placed:
        throttle = context.auth.throttle
        wait = throttle.admit(account.username, address) if placed else RETRY_AFTER_SECONDS
        if wait is None:
            return await _change_admitted(info, session, account, input, address)
    return await _refused(info, session, input, too_many_attempts(wait))


async def _refused(
    info: Info[Context, None],
    session: Session,
    input: ChangePasswordInput,
    refusal: ValidationFailed | TooManyAttempts,
) -> ChangePasswordResult:
    """A change refused before its key is claimed, answered as the claim would have answered
    (one lookup, claiming nothing): a `Conflict` for a key used for another request, the first
    answer for a request answered before, else the refusal."""
    earlier = await idempotency.standing(info, session.token.account_id, input)
    return _first_change_answer(earlier) or refusal


async def _change_admitted(
    info: Info[Context, None],
    session: Session,
    account: StaffAccount,
    input: ChangePasswordInput,
    address: str,
) -> ChangePasswordResult:
    """`changePassword` in its place in the hashing queue, its attempt admitted by the throttle
    (counted as failed until the current password matches): the key's claim, then the change."""
    throttle = info.context.auth.throttle
    claimed = await idempotency.claim(info, session.token.account_id, input)
    earlier = _first_change_answer(claimed)
    if earlier is not None:
        throttle.not_checked(account.username, address)  # answered by the ledger, unchecked
        return earlier
    if not await _is_current(input.current_password, account.password_hash):
        return await _wrong_password_settled(info, session, input, address)
    throttle.succeeded(account.username, address)
    new_hash = await PASSWORD_WORK.hash(input.new_password, placed=True)
    now = datetime.now(UTC)

    async def change() -> None:
        if not await accounts.set_password_hash_for_session(session.token, new_hash, now):
            raise _SessionEndedMeanwhile  # rolls the key's settlement back with it

    try:
        return _change_answer(await _once(session, input, now, change))
    except _SessionEndedMeanwhile:
        return not_authorized(f"{await _problem_now(session)}: sign in again")


async def _is_current(password: str, stored: str) -> bool:
    """One hash, in the caller's place in the queue; none for a password too long to be one."""
    if len(password) > MAX_LENGTH:
        return False
    return (await PASSWORD_WORK.verify(password, stored, placed=True)).matches


async def _wrong_password_settled(
    info: Info[Context, None], session: Session, input: ChangePasswordInput, address: str
) -> ChangePasswordResult:
    """A wrong current password, settled as the key's answer: its retries hear it again, the
    password unchecked and the attempt not counted (left claimed, each retry was checked and
    counted as one more failed sign-in, and one retried after the password was set to its new
    one by another request was told it had made the change). Of attempts sent at once, the one
    that settles the key is the failed attempt; the others take theirs back and answer what
    stands."""
    account_id = session.token.account_id
    settled = idempotency.settled_key(account_id, input)
    if settled is None or await records.settle_unsettled(*settled, WRONG_CURRENT_PASSWORD):
        return _wrong_current_password()
    assert session.account is not None  # admitted by the throttle under its username
    info.context.auth.throttle.not_checked(session.account.username, address)
    return _change_answer(await idempotency.settle_first(account_id, input, WRONG_CURRENT_PASSWORD))


class _SessionEndedMeanwhile(Exception):
    """The session that asked for a new password ended while it was being hashed."""


async def _problem_now(session: Session) -> str:
    found = await accounts.look_up(session.token)
    state = accounts.state_of(found.account)
    problem = session_problem(session.token, state, found.token_signed_out, time.time())
    return problem or "the token was revoked"
