"""Staff accounts written straight to the database, for tests that need more of a clinic's staff
than the signed-in set (`tests.api.harness.sign_in_all`) or none of the API at all."""

from __future__ import annotations

from collections.abc import Iterable

from domain.roles import Role
from domain.store.models import StaffAccount
from schema.ids import encode_id


async def staff_account(
    clinic_id: str,
    account_id: str,
    role: Role,
    *,
    display_name: str = "Staff member",
    username: str | None = None,
    password_hash: str = "-",
) -> StaffAccount:
    """An active account of the clinic; its username is its id unless given. The default hash
    matches no password: such an account never signs in."""
    return await StaffAccount.create(
        id=account_id,
        clinic_id=clinic_id,
        username=username or account_id,
        display_name=display_name,
        role=role.value,
        password_hash=password_hash,
    )


async def more_consultants(
    clinic_id: str, prefix: str, numbers: Iterable[int], password_hash: str
) -> list[str]:
    """Consultants `<prefix>c<n>` of the clinic, one per number; their global ids."""
    made = []
    for n in numbers:
        account = await staff_account(
            clinic_id,
            f"{prefix}c{n}",
            Role.CONSULTANT,
            display_name=f"Consultant {n}",
            password_hash=password_hash,
        )
        made.append(encode_id("StaffMember", account.id))
    return made
