"""Clinic administration: staff accounts (clinics: `schema.admin.clinics`), for the ADMIN role only.

Every change is a row the administrator's key can replay: a retry with the same
`idempotencyKey` answers the first result; the same key with another input is a `Conflict`.
Role changes, deactivation and password resets revoke the account's tokens at once. Each change
is an audit entry in the administrator's clinic's chain, its subject `clinic:<id>` or
`staff:<account id>`.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.types import Info
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain import passwords
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import NotAuthorized as DomainNotAuthorized
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.roles import Role
from domain.store import administration as accounts
from domain.store import records
from domain.store.accounts import session_problem_now
from domain.store.models import Clinic as ClinicRow
from domain.store.models import StaffAccount
from domain.store.records import KeyClaim
from schema import idempotency
from schema.admin.types import (
    CreateStaffAccountInput,
    ResetStaffPasswordInput,
    StaffAccountPayload,
    StaffAccountResult,
    UpdateStaffAccountInput,
)
from schema.audit.collector import note_access
from schema.auth.hashing import PASSWORD_WORK, RETRY_AFTER_SECONDS
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    Unavailable,
    ValidationFailed,
    busy,
    from_domain,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.staff.types import StaffMember


def invalid_input(problems: list[FieldProblem]) -> ValidationFailed:
    failed = from_domain(DomainValidationFailed(problems))
    assert isinstance(failed, ValidationFailed)
    return failed


def password_problems(field: str, password: str) -> list[FieldProblem]:
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        limits = f"{passwords.MIN_LENGTH} to {passwords.MAX_LENGTH} characters"
        short = len(password) < passwords.MIN_LENGTH
        return [FieldProblem(field, limits, Code.TOO_SHORT if short else Code.TOO_LONG)]
    return []


async def _replayed(info: Info[Context, None], input: object) -> tuple[Any, KeyClaim | None]:
    """Claims the key (`schema.idempotency`), and answers with the claim: None, go ahead; else
    the id of the first result, or the `Conflict` to answer."""
    claims = info.context.claims
    if claims is None:
        return None, None
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict(), ledger
    return idempotency.answered(ledger), ledger


async def _remember(info: Info[Context, None], input: object, result_id: str) -> None:
    claims = info.context.claims
    if claims is not None:
        await idempotency.settle(claims.account_id, input, result_id)


def _payload(row: StaffAccount) -> StaffAccountPayload:
    return StaffAccountPayload(
        staff=StaffMember.from_row(row),
        active=row.active,
        must_change_password=row.must_change_password,
    )


async def _not_found(info: Info[Context, None], input: object, what: str) -> NotFound | Conflict:
    """`what` is not found, or the key stands for another request (`Conflict`)."""
    claims, refusal = info.context.claims, not_found(what)
    if claims is None:
        return refusal
    return await idempotency.refusal_or_conflict(info, claims.account_id, input, refusal)


async def create_staff_account(
    info: Info[Context, None], input: CreateStaffAccountInput
) -> StaffAccountResult:
    problems = accounts.account_problems(input.username, input.display_name, input.role)
    problems += password_problems("temporaryPassword", input.temporary_password)
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key or problems:
        return invalid_input([*problems, *([bad_key] if bad_key else [])])
    if not await ClinicRow.exists(id=input.clinic_id):
        return await _not_found(info, input, "clinic")
    taken = await _username_taken(info, input)
    if taken is not None:
        return taken
    # A place for its hash before the key is claimed: a full queue claims nothing.
    with PASSWORD_WORK.place() as placed:
        if placed:
            return await _create_placed(info, input)
    return _hashing_busy()


async def _username_taken(
    info: Info[Context, None], input: CreateStaffAccountInput
) -> ValidationFailed | Conflict | None:
    """A username already taken, refused before the key is claimed and the password hashed
    (one lookup; claimed first, the key stood unsettled and each retry paid a hash to hear it
    again). Taken by the account this very request made (its id derived from the key's claim,
    its answer lost or not), it goes on, to be answered as the first time."""
    claims = info.context.claims
    if claims is None or not await StaffAccount.exists(username=input.username):
        return None

    async def made_it(claim: KeyClaim) -> bool:
        account_id = _account_id(claim)
        return account_id is not None and await StaffAccount.exists(id=account_id)

    taken = invalid_input([FieldProblem("username", "already taken", Code.DUPLICATE)])
    return await idempotency.refusal_answer(
        info, claims.account_id, input, taken, went_through=made_it
    )


async def _create_placed(
    info: Info[Context, None], input: CreateStaffAccountInput
) -> StaffAccountResult:
    """`createStaffAccount` of an input that passed its checks, in its place for the hash."""
    earlier, ledger = await _replayed(info, input)
    if earlier is not None and not isinstance(earlier, str):
        return earlier  # type: ignore[no-any-return]
    if isinstance(earlier, str):
        return _payload(await StaffAccount.get(id=earlier))
    made = await _made_before(info, input, ledger)
    if made is not None:
        return _payload(made)
    password_hash = await PASSWORD_WORK.hash(input.temporary_password, placed=True)
    new = accounts.NewAccount(
        str(input.clinic_id), input.username, input.display_name, input.role, password_hash
    )
    account_id = _account_id(ledger)
    try:
        async with in_transaction():
            row = await accounts.create_account(new, account_id=account_id)
            await _still_signed_in(info)
    except _SessionEnded as ended:
        return ended.refusal
    except IntegrityError:
        # A retry racing this one with the same key made it first: its account is the answer.
        # Else another request took the username since it was looked up: the key stays
        # unsettled, and a retry of it is refused before its claim.
        raced = account_id and await StaffAccount.get_or_none(id=account_id)
        if raced:
            return _payload(raced)
        return invalid_input([FieldProblem("username", "already taken", Code.DUPLICATE)])
    note_access(f"staff:{row.id}", info.field_name)
    await _remember(info, input, row.id)
    return _payload(row)


async def _made_before(
    info: Info[Context, None], input: CreateStaffAccountInput, ledger: KeyClaim | None
) -> StaffAccount | None:
    """The account a first attempt of this very request made, its answer lost before the key
    was settled: settled now, answered with no second hash."""
    account_id = _account_id(ledger) if idempotency.unfinished(ledger) else None
    made = await StaffAccount.get_or_none(id=account_id) if account_id else None
    if made is not None:
        await _remember(info, input, made.id)
    return made


def _hashing_busy() -> Unavailable:
    """Refused before the key is claimed, nothing written: a retry with it goes afresh."""
    return busy("too many passwords are being hashed", RETRY_AFTER_SECONDS)


def _account_id(ledger: KeyClaim | None) -> str | None:
    """Derived from the key's claim, so two retries racing each other make one account (a
    claim written before salts has "account:key" as its seed: the id that release derived)."""
    if ledger is None or not ledger.seed:
        return None
    return f"staff-{uuid.uuid5(uuid.NAMESPACE_URL, ledger.seed).hex}"


async def _account(staff_id: str) -> StaffAccount | None:
    raw = decode_id(staff_id, "StaffMember")
    return await StaffAccount.get_or_none(id=raw) if raw else None


async def update_staff_account(
    info: Info[Context, None], input: UpdateStaffAccountInput
) -> StaffAccountResult:
    async def change(row: StaffAccount) -> NotAuthorized | None:
        claims = info.context.claims
        own = claims is not None and row.id == claims.account_id
        if own and input.active is False:
            return not_authorized("an administrator cannot deactivate their own account")
        # Signed out at once and no longer an administrator: another has to undo it, if any.
        if own and input.role is not None and input.role is not Role.ADMIN:
            return not_authorized("an administrator cannot change their own role")
        try:
            await accounts.update_account(row, input.role, input.active, input.display_name)
        except DomainNotAuthorized as refused:
            return from_domain(refused)  # type: ignore[return-value]
        return None

    problems = accounts.account_problems(None, input.display_name, input.role)
    return await _change_account(info, input, input.staff_id, problems, change)


async def reset_staff_password(
    info: Info[Context, None], input: ResetStaffPasswordInput
) -> StaffAccountResult:
    problems = password_problems("temporaryPassword", input.temporary_password)
    hashed: list[str] = []

    async def prepare() -> None:
        hashed.append(await PASSWORD_WORK.hash(input.temporary_password, placed=True))

    async def change(row: StaffAccount) -> None:
        await accounts.reset_password(row, hashed[0])

    return await _change_account(info, input, input.staff_id, problems, change, prepare)


async def _change_account(
    info: Info[Context, None],
    input: UpdateStaffAccountInput | ResetStaffPasswordInput,
    staff_id: str,
    problems: list[FieldProblem],
    change: Callable[[StaffAccount], Awaitable[NotAuthorized | None]],
    prepare: Callable[[], Awaitable[None]] | None = None,
) -> StaffAccountResult:
    """Checks, then `change` once per idempotency key; answers the account as it is now.
    `prepare`: a password's hash the change needs, done before its transaction, which holds
    the write lock, and only for a change that will be made, in a place of the hashing queue
    taken before the key is claimed: a full queue answers `Unavailable`, nothing claimed."""
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key or problems:
        return invalid_input([*problems, *([bad_key] if bad_key else [])])
    row = await _account(staff_id)
    if row is None:
        return await _not_found(info, input, "staff account")
    with PASSWORD_WORK.place() if prepare else contextlib.nullcontext(True) as placed:
        if placed:
            return await _change_placed(info, input, row, change, prepare)
    return _hashing_busy()


async def _change_placed(
    info: Info[Context, None],
    input: UpdateStaffAccountInput | ResetStaffPasswordInput,
    row: StaffAccount,
    change: Callable[[StaffAccount], Awaitable[NotAuthorized | None]],
    prepare: Callable[[], Awaitable[None]] | None,
) -> StaffAccountResult:
    """`_change_account` past its checks, in its place for the hash (given `prepare`)."""
    earlier, _ = await _replayed(info, input)
    if earlier is not None and not isinstance(earlier, str):
        return earlier  # type: ignore[no-any-return]
    if earlier is None:
        if prepare is not None:
            await prepare()
        refusals: list[NotAuthorized] = []

        async def replace() -> None:
            refused = await change(row)
            if refused is None:
                try:
                    await _still_signed_in(info)
                except _SessionEnded as ended:
                    refused = ended.refusal
            if refused is not None:
                refusals.append(refused)
                raise _Refused  # nothing written, the key left unsettled

        claims = info.context.claims
        assert claims is not None  # the claim above needs one
        # The change and the key's settlement at once: a retry after a lost answer must not
        # apply the change again over what was done since (the password its owner chose).
        with contextlib.suppress(_Refused):
            await idempotency.replace_and_settle(claims.account_id, input, row.id, replace)
        if refusals:
            return refusals[0]
        note_access(f"staff:{row.id}", info.field_name)
    return _payload(await StaffAccount.get(id=row.id))


class _Refused(Exception):
    """The change refused itself: its transaction ends without a write."""


class _SessionEnded(Exception):
    """The administrator's session ended while the request was under way (a deactivation, a
    new role, a sign-out while a password was being hashed): it writes nothing."""

    def __init__(self, refusal: NotAuthorized) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


async def _still_signed_in(info: Info[Context, None]) -> None:
    """After the writes, in their transaction: raises `_SessionEnded`, rolling them back, when
    the caller's session no longer works (`session_problem_now`)."""
    session = info.context.session
    problem = await session_problem_now(session.token) if session else "no session"
    if problem is not None:
        raise _SessionEnded(not_authorized(f"{problem}: sign in again"))
