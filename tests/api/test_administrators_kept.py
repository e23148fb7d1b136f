"""A clinic keeps an active administrator: nobody demotes themselves, nor the last one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.models import StaffAccount
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, Staff
from tests.api.test_administration import (
    CHANGE_PASSWORD,
    TEMPORARY,
    UPDATE_STAFF,
    _create_staff,
    _new_id,
    _sign_in,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _update(api: Api, token: str, **input: Any) -> dict[str, Any]:
    return (await api.run(UPDATE_STAFF, token, input=input))["updateStaffAccount"]  # type: ignore[no-any-return]


async def _clinic_of(admin: Staff) -> str:
    return (await StaffAccount.get(id=admin.account_id)).clinic_id


async def _active_admins(clinic_id: str) -> int:
    return await StaffAccount.filter(clinic_id=clinic_id, role="ADMIN", active=True).count()


async def _another_admin(api: Api, admin: Staff, clinic_id: str) -> tuple[str, str]:
    """A second administrator of the clinic, signed in with its own password: (Relay id, token)."""
    username = _new_id("admin")
    created = await _create_staff(
        api,
        admin,
        clinicId=clinic_id,
        username=username,
        displayName="Second",
        role="ADMIN",
        temporaryPassword=TEMPORARY,
    )
    first = (await _sign_in(api, username, TEMPORARY))["token"]
    changed = await api.run(
        CHANGE_PASSWORD,
        first,
        input={"currentPassword": TEMPORARY, "newPassword": "second-admin-pass"},
    )
    assert changed["changePassword"]["__typename"] == "ChangePasswordPayload"
    return created["staff"]["id"], (await _sign_in(api, username, "second-admin-pass"))["token"]


async def test_an_administrator_cannot_change_their_own_role(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a clinic with two administrators, so the clinic would keep one
    admin = (await fresh_clinic()).staff[Role.ADMIN]
    await _another_admin(api, admin, await _clinic_of(admin))

    # When one makes their own account a cashier's
    refused = await _update(api, admin.token, staffId=admin.global_id, role="CASHIER")

    # Then it is refused, and they are still an administrator, still signed in
    assert refused == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "an administrator cannot change their own role",
    }
    me = await api.run(documents.ME, admin.token)
    assert me["me"]["role"] == "ADMIN"
    # Their own name is theirs to change
    renamed = await _update(api, admin.token, staffId=admin.global_id, displayName="Renamed")
    assert renamed["__typename"] == "StaffAccountPayload"


async def test_the_clinics_last_administrator_stays_one(
    api: Api, staff: dict[Role, Staff], fresh_clinic: FreshClinic
) -> None:
    # Given a clinic whose only administrator another clinic's administrator may administer
    last = (await fresh_clinic()).staff[Role.ADMIN]
    clinic_id = await _clinic_of(last)
    other = staff[Role.ADMIN]

    # When the other demotes or deactivates them, it is refused and nothing changes
    for change in ({"role": "NURSE"}, {"active": False}):
        refused = await _update(api, other.token, staffId=last.global_id, **change)
        assert refused == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "the clinic would have no active administrator left",
        }
    assert (await api.run(documents.ME, last.token))["me"]["role"] == "ADMIN"
    assert await _active_admins(clinic_id) == 1

    # Then once the clinic has a second administrator, the first may be demoted
    await _another_admin(api, last, clinic_id)
    demoted = await _update(api, other.token, staffId=last.global_id, role="NURSE")
    assert demoted["staff"]["role"] == "NURSE"
    assert await _active_admins(clinic_id) == 1


async def test_two_demotions_at_once_leave_one_administrator(
    api: Api, staff: dict[Role, Staff], fresh_clinic: FreshClinic
) -> None:
    # Given a clinic with two administrators
    first = (await fresh_clinic()).staff[Role.ADMIN]
    clinic_id = await _clinic_of(first)
    second_id, _ = await _another_admin(api, first, clinic_id)

    # When another clinic's administrator demotes both at once
    other = staff[Role.ADMIN].token
    answers = await asyncio.gather(
        _update(api, other, staffId=first.global_id, role="CASHIER"),
        _update(api, other, staffId=second_id, role="CASHIER"),
    )

    # Then one is demoted and the other refused: the clinic keeps an administrator
    assert sorted(answer["__typename"] for answer in answers) == [
        "NotAuthorized",
        "StaffAccountPayload",
    ]
    assert await _active_admins(clinic_id) == 1


async def test_two_administrators_demoting_each_other_keep_one(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a clinic with two administrators, both signed in
    first = (await fresh_clinic()).staff[Role.ADMIN]
    clinic_id = await _clinic_of(first)
    second_id, second_token = await _another_admin(api, first, clinic_id)

    # When each demotes the other at once
    answers = await asyncio.gather(
        _update(api, first.token, staffId=second_id, role="CASHIER"),
        _update(api, second_token, staffId=first.global_id, role="CASHIER"),
    )

    # Then at most one goes through (the other refused, or signed out by it first)
    assert [answer["__typename"] for answer in answers].count("StaffAccountPayload") == 1
    assert await _active_admins(clinic_id) == 1
