"""Clinics and staff accounts: the one place they are created and administered.

The admin mutations, `glowpath create-admin` and the demo seed all come through here, so an
account made by any of them obeys the same rules. Password hashing happens above (in a thread);
these functions take the finished hash. Ending sessions is `domain.store.accounts`'.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tortoise.transactions import in_transaction

from domain.errors import FieldProblem, NotAuthorized
from domain.errors import FieldProblemCode as Code
from domain.roles import STAFF_ROLES, Role
from domain.store import accounts, staff_names
from domain.store.departed_tasks import hand_on_tasks
from domain.store.models import Clinic, StaffAccount
from domain.text import one_line, text_problem

# 56 at most: an audit entry names a clinic as `clinic:<id>` in 64 characters.
CLINIC_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,55}")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,99}")
# A clinic's or a staff member's name as screens and printed records show it.
MAX_DISPLAY_NAME = 200


def clinic_problems(clinic_id: str, name: str, timezone: str) -> list[FieldProblem]:
    problems = []
    if not CLINIC_ID.fullmatch(clinic_id):
        problems.append(
            FieldProblem("clinicId", "2 to 56 of a-z, 0-9 and -, starting a-z/0-9", Code.BAD_FORMAT)
        )
    name_problem = text_problem("name", name, required=True, limit=MAX_DISPLAY_NAME)
    if name_problem:
        problems.append(name_problem)
    if not _is_zone(timezone):
        problems.append(
            FieldProblem("timezone", "an IANA time zone, e.g. Europe/Warsaw", Code.UNKNOWN_VALUE)
        )
    return problems


def _is_zone(name: str) -> bool:
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def account_problems(
    username: str | None, display_name: str | None, role: Role | None
) -> list[FieldProblem]:
    """What is wrong with the given parts of an account (None: not given, not checked)."""
    problems = []
    if username is not None and not USERNAME.fullmatch(username):
        problems.append(
            FieldProblem("username", "3 to 100 of a-z, 0-9, '.', '_' and '-'", Code.BAD_FORMAT)
        )
    if display_name is not None:
        name_problem = text_problem(
            "displayName", display_name, required=True, limit=MAX_DISPLAY_NAME
        )
        if name_problem:
            problems.append(name_problem)
    if role is not None and role not in STAFF_ROLES:
        problems.append(
            FieldProblem(
                "role", f"{role.value} is not a role an account can hold", Code.UNKNOWN_VALUE
            )
        )
    return problems


async def create_clinic(clinic_id: str, name: str, timezone: str) -> Clinic:
    """Creates the clinic, or returns it unchanged when it exists (the caller compares)."""
    clinic, _ = await Clinic.get_or_create(
        id=clinic_id, defaults={"name": one_line(name), "timezone": timezone}
    )
    return clinic


@dataclass(frozen=True)
class NewAccount:
    clinic_id: str
    username: str
    display_name: str
    role: Role
    password_hash: str
    # An account made or reset by an administrator chooses its own password on first sign-in.
    must_change_password: bool = True


async def create_account(new: NewAccount, account_id: str | None = None) -> StaffAccount:
    """Raises IntegrityError when the username is taken."""
    async with in_transaction():
        account = await StaffAccount.create(
            id=account_id or f"staff-{uuid.uuid4().hex}",
            clinic_id=new.clinic_id,
            username=new.username,
            display_name=one_line(new.display_name),
            role=new.role.value,
            password_hash=new.password_hash,
            must_change_password=new.must_change_password,
        )
        await staff_names.named(account)
    return account


async def update_account(
    account: StaffAccount, role: Role | None, active: bool | None, display_name: str | None
) -> None:
    """A new role or deactivation also ends every session the account has open, and hands on
    the open tasks the account may no longer do (`departed_tasks`). Raises
    NotAuthorized, writing nothing, when it would leave the clinic without an active ADMIN."""
    changes: dict[str, object] = {}
    if display_name is not None:
        changes["display_name"] = one_line(display_name)
    if active is not None:
        changes["active"] = active
    if role is not None:
        changes["role"] = role.value
    revoke = (role is not None and role.value != account.role) or (
        active is False and account.active
    )
    takes_away = (role is not None and role is not Role.ADMIN) or active is False
    async with in_transaction():
        if takes_away or revoke:
            await _one_change_at_a_time(account.clinic_id)
        if takes_away:
            await _keep_an_administrator(account)
        renamed = changes.get("display_name")
        if isinstance(renamed, str):  # compared with the row as it stands, under its lock
            await staff_names.renamed(str(account.id), renamed)
        if revoke:
            await accounts.revoke_tokens(str(account.id), **changes)
            # With the change, not with each journey's next event (if one ever comes).
            now_role = role or Role(account.role)
            now_active = account.active if active is None else active
            await hand_on_tasks(str(account.id), account.clinic_id, now_role, now_active)
        elif changes:
            await StaffAccount.filter(id=account.id).update(**changes)


async def _one_change_at_a_time(clinic_id: str) -> None:
    """The clinic's row, locked until the change commits: changes that take something away or
    hand tasks on are taken one after the other (SQLite: one writer at a time). Two
    administrators demoting each other at once: the second finds the first already gone. An
    account's tasks handed on to a doctor (`departed_tasks`) while that doctor leaves too: the
    second change finds the first's tasks and moves them on. Taken first, before the account's
    row and its tasks (the lock order is `staff_locks`')."""
    await Clinic.filter(id=clinic_id).select_for_update().first()


async def _keep_an_administrator(account: StaffAccount) -> None:
    """Raises NotAuthorized when the account is its clinic's last active administrator. Were the
    last one anywhere gone, nobody could administer accounts until `glowpath create-admin` ran on
    the server; each clinic that has an administrator keeping one is how that never happens.
    Under the clinic's lock (`_one_change_at_a_time`)."""
    admins = StaffAccount.filter(clinic_id=account.clinic_id, role=Role.ADMIN.value, active=True)
    if not await admins.filter(id=account.id).exists():
        return  # not an administrator (any more): the change takes none away
    if not await admins.exclude(id=account.id).exists():
        raise NotAuthorized("the clinic would have no active administrator left")


async def reset_password(account: StaffAccount, password_hash: str) -> None:
    """A temporary password: sessions end, and only `changePassword` works until it is changed."""
    await accounts.revoke_tokens(
        str(account.id), password_hash=password_hash, must_change_password=True
    )
