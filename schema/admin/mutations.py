"""Clinic administration: clinics and staff accounts, for the ADMIN role only.

Every change is a row the administrator's key can replay: a retry with the same
`idempotencyKey` answers the first result; the same key with another input is a `Conflict`.
Role changes, deactivation and password resets revoke the account's tokens at once. Each change
is an audit entry in the administrator's clinic's chain, its subject `clinic:<id>` or
`staff:<account id>`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain import passwords
from domain.errors import Conflict as DomainConflict
from domain.errors import FieldProblem
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store import administration as accounts
from domain.store import records
from domain.store.models import Clinic as ClinicRow
from domain.store.models import StaffAccount
from schema.admin.types import (
    Clinic,
    ClinicPayload,
    ClinicResult,
    CreateClinicInput,
    CreateStaffAccountInput,
    ResetStaffPasswordInput,
    StaffAccountPayload,
    StaffAccountResult,
    UpdateStaffAccountInput,
)
from schema.audit.collector import note_access
from schema.context import Context
from schema.errors import NotAuthorized, ValidationFailed, from_domain, not_authorized, not_found
from schema.ids import decode_id
from schema.staff.types import StaffMember


def _invalid(problems: list[FieldProblem]) -> ValidationFailed:
    failed = from_domain(DomainValidationFailed(problems))
    assert isinstance(failed, ValidationFailed)
    return failed


def password_problems(field: str, password: str) -> list[FieldProblem]:
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        limits = f"{passwords.MIN_LENGTH} to {passwords.MAX_LENGTH} characters"
        return [FieldProblem(field, limits)]
    return []


def _operation(name: str, input: object) -> str:
    """The ledger's operation: the mutation and a digest of its input, so a reused key with
    another input is told apart from a retry."""
    # Passwords stay out: an unsalted digest of one would be a guessing target in the ledger.
    fields = {
        k: v for k, v in vars(input).items() if k != "idempotency_key" and "password" not in k
    }
    body = json.dumps(fields, sort_keys=True, default=str).encode()
    return f"{name}#{hashlib.sha256(body).hexdigest()[:32]}"


async def _replayed(info: Info[Context, None], key: str | None, operation: str) -> Any:
    """None: go ahead. Else the id of the first result, or the `Conflict` to answer."""
    claims = info.context.claims
    if not key or claims is None:
        return None
    earlier = await records.remembered_result(claims.account_id, key)
    if earlier is None:
        return None
    if earlier.operation != operation:
        return from_domain(records.key_reused())
    return earlier.result_id


async def _remember(info: Info[Context, None], key: str | None, operation: str, rid: str) -> None:
    claims = info.context.claims
    if key and claims is not None:
        await records.remember_result(claims.account_id, key, operation, rid)


def _payload(row: StaffAccount) -> StaffAccountPayload:
    return StaffAccountPayload(
        staff=StaffMember.from_row(row),
        active=row.active,
        must_change_password=row.must_change_password,
    )


async def create_clinic(info: Info[Context, None], input: CreateClinicInput) -> ClinicResult:
    bad_key = records.key_problem(input.idempotency_key)
    problems = accounts.clinic_problems(str(input.clinic_id), input.name, input.timezone)
    if bad_key or problems:
        return _invalid([*problems, *([bad_key] if bad_key else [])])
    operation = _operation(info.field_name, input)
    earlier = await _replayed(info, input.idempotency_key, operation)
    if earlier is not None and not isinstance(earlier, str):
        return earlier  # type: ignore[no-any-return]
    if isinstance(earlier, str):
        return ClinicPayload(clinic=Clinic.from_row(await ClinicRow.get(id=earlier)))
    if await ClinicRow.exists(id=input.clinic_id):
        return from_domain(DomainConflict(f"clinic {input.clinic_id} exists"))  # type: ignore[return-value]
    row = await accounts.create_clinic(str(input.clinic_id), input.name, input.timezone)
    note_access(f"clinic:{row.id}", info.field_name)
    await _remember(info, input.idempotency_key, operation, row.id)
    return ClinicPayload(clinic=Clinic.from_row(row))


async def create_staff_account(
    info: Info[Context, None], input: CreateStaffAccountInput
) -> StaffAccountResult:
    problems = accounts.account_problems(input.username, input.display_name, input.role)
    problems += password_problems("temporaryPassword", input.temporary_password)
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key or problems:
        return _invalid([*problems, *([bad_key] if bad_key else [])])
    if not await ClinicRow.exists(id=input.clinic_id):
        return not_found("clinic")
    operation = _operation(info.field_name, input)
    earlier = await _replayed(info, input.idempotency_key, operation)
    if earlier is not None and not isinstance(earlier, str):
        return earlier  # type: ignore[no-any-return]
    if isinstance(earlier, str):
        return _payload(await StaffAccount.get(id=earlier))
    password_hash = await asyncio.to_thread(passwords.hash_password, input.temporary_password)
    new = accounts.NewAccount(
        str(input.clinic_id), input.username, input.display_name, input.role, password_hash
    )
    account_id = _account_id(info, input)
    try:
        row = await accounts.create_account(new, account_id=account_id)
    except IntegrityError:
        # A retry racing this one with the same key made it first: its account is the answer.
        raced = account_id and await StaffAccount.get_or_none(id=account_id)
        if raced:
            return _payload(raced)
        return _invalid([FieldProblem("username", "already taken")])
    note_access(f"staff:{row.id}", info.field_name)
    await _remember(info, input.idempotency_key, operation, row.id)
    return _payload(row)


def _account_id(info: Info[Context, None], input: CreateStaffAccountInput) -> str | None:
    """Derived from the key, so two retries racing each other make one account."""
    claims = info.context.claims
    if not input.idempotency_key or claims is None:
        return None
    name = f"{claims.account_id}:{input.idempotency_key}"
    return f"staff-{uuid.uuid5(uuid.NAMESPACE_URL, name).hex}"


async def _account(staff_id: str) -> StaffAccount | None:
    raw = decode_id(staff_id, "StaffMember")
    return await StaffAccount.get_or_none(id=raw) if raw else None


async def update_staff_account(
    info: Info[Context, None], input: UpdateStaffAccountInput
) -> StaffAccountResult:
    async def change(row: StaffAccount) -> NotAuthorized | None:
        claims = info.context.claims
        if claims is not None and row.id == claims.account_id and input.active is False:
            return not_authorized("an administrator cannot deactivate their own account")
        await accounts.update_account(row, input.role, input.active, input.display_name)
        return None

    problems = accounts.account_problems(None, input.display_name, input.role)
    return await _change_account(info, input, input.staff_id, problems, change)


async def reset_staff_password(
    info: Info[Context, None], input: ResetStaffPasswordInput
) -> StaffAccountResult:
    async def change(row: StaffAccount) -> None:
        password_hash = await asyncio.to_thread(passwords.hash_password, input.temporary_password)
        await accounts.reset_password(row, password_hash)

    problems = password_problems("temporaryPassword", input.temporary_password)
    return await _change_account(info, input, input.staff_id, problems, change)


async def _change_account(
    info: Info[Context, None],
    input: UpdateStaffAccountInput | ResetStaffPasswordInput,
    staff_id: str,
    problems: list[FieldProblem],
    change: Callable[[StaffAccount], Awaitable[NotAuthorized | None]],
) -> StaffAccountResult:
    """Checks, then `change` once per idempotency key; answers the account as it is now."""
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key or problems:
        return _invalid([*problems, *([bad_key] if bad_key else [])])
    row = await _account(staff_id)
    if row is None:
        return not_found("staff account")
    operation = _operation(info.field_name, input)
    earlier = await _replayed(info, input.idempotency_key, operation)
    if earlier is not None and not isinstance(earlier, str):
        return earlier  # type: ignore[no-any-return]
    if earlier is None:
        refused = await change(row)
        if refused is not None:
            return refused
        note_access(f"staff:{row.id}", info.field_name)
        await _remember(info, input.idempotency_key, operation, row.id)
    return _payload(await StaffAccount.get(id=row.id))
