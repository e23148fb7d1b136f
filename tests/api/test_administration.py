"""Clinic administration: clinics and staff accounts, by administrators only, exactly once."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from typing import Any

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import Clinic, StaffAccount
from tests.api import documents
from tests.api.harness import Api, Staff, signed_in_socket
from tests.api.test_processes import ROOT

CREATE_CLINIC = """
mutation($input: CreateClinicInput!) {
  createClinic(input: $input) {
    __typename
    ... on ClinicPayload { clinic { id name timezone } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
ACCOUNT_RESULT = """
    __typename
    ... on StaffAccountPayload { active mustChangePassword staff { id username role clinicId } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
"""
CREATE_STAFF = (
    "mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) {"
    + ACCOUNT_RESULT
    + "} }"
)
UPDATE_STAFF = (
    "mutation($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) {"
    + ACCOUNT_RESULT
    + "} }"
)
RESET_PASSWORD = (
    "mutation($input: ResetStaffPasswordInput!) { resetStaffPassword(input: $input) {"
    + ACCOUNT_RESULT
    + "} }"
)
TEMPORARY = "temporary-password-1"


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def _create_clinic(api: Api, admin: Staff, **input: Any) -> dict[str, Any]:
    return (await api.run(CREATE_CLINIC, admin.token, input=input))["createClinic"]  # type: ignore[no-any-return]


async def _create_staff(api: Api, admin: Staff, **input: Any) -> dict[str, Any]:
    return (await api.run(CREATE_STAFF, admin.token, input=input))["createStaffAccount"]  # type: ignore[no-any-return]


async def test_an_administrator_creates_a_clinic_once(api: Api, staff: dict[Role, Staff]) -> None:
    # Given a new clinic's details and an idempotency key
    admin = staff[Role.ADMIN]
    clinic_id = _new_id("clinic")
    input = {"clinicId": clinic_id, "name": "Klinika", "timezone": "Europe/Warsaw"}
    key = uuid.uuid4().hex

    # When the administrator creates it, and retries with the same key
    first = await _create_clinic(api, admin, **input, idempotencyKey=key)
    again = await _create_clinic(api, admin, **input, idempotencyKey=key)

    # Then one clinic exists and the retry answers the first result
    assert (
        first
        == again
        == {
            "__typename": "ClinicPayload",
            "clinic": {"id": clinic_id, "name": "Klinika", "timezone": "Europe/Warsaw"},
        }
    )
    assert await Clinic.filter(id=clinic_id).count() == 1
    # And the change is one entry in the administrator's clinic's audit chain
    entries = await AuditEntry.filter(client_id=f"clinic:{clinic_id}").values_list(
        "action", "actor_id", "actor_role", "clinic_id"
    )
    assert entries == [("createClinic", admin.account_id, "ADMIN", "demo-clinic")]
    # The same key for another clinic is a conflict; the same id without a key too
    other = await _create_clinic(api, admin, **{**input, "name": "Other"}, idempotencyKey=key)
    assert other["__typename"] == "Conflict"
    assert (await _create_clinic(api, admin, **input))["__typename"] == "Conflict"
    assert (await Clinic.get(id=clinic_id)).name == "Klinika"


async def test_bad_clinic_details_are_typed_problems(api: Api, staff: dict[Role, Staff]) -> None:
    bad = {"clinicId": "Not Valid!", "name": " ", "timezone": "Mars/Olympus"}
    result = await _create_clinic(api, staff[Role.ADMIN], **bad)
    assert result["__typename"] == "ValidationFailed"
    assert {p["field"] for p in result["problems"]} == {"clinicId", "name", "timezone"}
    assert not await Clinic.exists(id="Not Valid!")


async def test_only_administrators_administer(api: Api, staff: dict[Role, Staff]) -> None:
    clinic_id = _new_id("clinic")
    for role in (Role.SUPERVISOR, Role.FRONT_DESK):
        result = await _create_clinic(api, staff[role], clinicId=clinic_id, name="X")
        assert result == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "Mutation.createClinic needs one of: ADMIN",
        }
    assert not await Clinic.exists(id=clinic_id)


async def test_a_new_account_signs_in_with_its_temporary_password(
    api: Api, staff: dict[Role, Staff]
) -> None:
    # Given an administrator creating a nurse's account
    admin = staff[Role.ADMIN]
    username = _new_id("nurse")
    created = await _create_staff(
        api,
        admin,
        clinicId="demo-clinic",
        username=username,
        displayName="Ewa",
        role="NURSE",
        temporaryPassword=TEMPORARY,
    )
    assert created["__typename"] == "StaffAccountPayload", created
    assert (created["active"], created["mustChangePassword"]) == (True, True)
    assert created["staff"]["role"] == "NURSE"

    # When the nurse signs in with it
    login = await api.run(documents.LOGIN, input={"username": username, "password": TEMPORARY})

    # Then the account works, in its clinic, with its role
    assert login["login"]["__typename"] == "LoginPayload"
    row = await StaffAccount.get(username=username)
    assert (row.clinic_id, row.role) == ("demo-clinic", "NURSE")
    assert row.password_hash != TEMPORARY and TEMPORARY not in row.password_hash


async def test_racing_retries_of_one_creation_make_one_account(
    api: Api, staff: dict[Role, Staff]
) -> None:
    username = _new_id("desk")
    input = {
        "clinicId": "demo-clinic",
        "username": username,
        "displayName": "Desk",
        "role": "FRONT_DESK",
        "temporaryPassword": TEMPORARY,
        "idempotencyKey": uuid.uuid4().hex,
    }
    results = await asyncio.gather(
        *(_create_staff(api, staff[Role.ADMIN], **input) for _ in range(8))
    )
    assert {r["__typename"] for r in results} == {"StaffAccountPayload"}
    assert len({r["staff"]["id"] for r in results}) == 1
    assert await StaffAccount.filter(username=username).count() == 1


async def test_a_taken_username_and_a_weak_password_are_refused(
    api: Api, staff: dict[Role, Staff]
) -> None:
    taken = staff[Role.NURSE].username
    result = await _create_staff(
        api,
        staff[Role.ADMIN],
        clinicId="demo-clinic",
        username=taken,
        displayName="Copy",
        role="NURSE",
        temporaryPassword="short",
    )
    assert result["__typename"] == "ValidationFailed"
    assert result["problems"] == [{"field": "temporaryPassword", "message": "12 to 256 characters"}]
    result = await _create_staff(
        api,
        staff[Role.ADMIN],
        clinicId="demo-clinic",
        username=taken,
        displayName="Copy",
        role="NURSE",
        temporaryPassword=TEMPORARY,
    )
    assert result["problems"] == [{"field": "username", "message": "already taken"}]
    assert await StaffAccount.filter(username=taken).count() == 1


async def test_create_admin_makes_the_first_administrator(api: Api, database: str) -> None:
    # Given an empty installation's command line
    username = _new_id("root")
    env = {
        "GLOWPATH_DATABASE_URL": database,
        "GLOWPATH_ADMIN_PASSWORD": "first-admin-password",
        "GLOWPATH_LOG_LEVEL": "WARNING",
        "PATH": "/usr/bin:/bin",
    }
    command = [sys.executable, "-m", "server.cli", "create-admin", "--username", username]

    # When `glowpath create-admin` runs, then again with the same name
    first = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    second = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)

    # Then the administrator exists once and can sign in and administer
    assert first.returncode == 0, first.stderr
    assert f"created administrator {username}" in first.stdout
    assert second.returncode == 1 and "is taken" in second.stderr
    login = await api.run(
        documents.LOGIN, input={"username": username, "password": "first-admin-password"}
    )
    assert login["login"]["staff"]["role"] == "ADMIN"
    created = await api.run(
        CREATE_CLINIC,
        login["login"]["token"],
        input={"clinicId": _new_id("clinic"), "name": "From the shell"},
    )
    assert created["createClinic"]["__typename"] == "ClinicPayload"


CHANGE_PASSWORD = """
mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { __typename ... on UserError { code message } }
}
"""


async def _new_account(api: Api, admin: Staff, role: str = "NURSE") -> tuple[str, str]:
    """A fresh account's (username, Relay id), made by the administrator."""
    username = _new_id(role.lower())
    created = await _create_staff(
        api,
        admin,
        clinicId="demo-clinic",
        username=username,
        displayName="New",
        role=role,
        temporaryPassword=TEMPORARY,
    )
    return username, created["staff"]["id"]


async def _sign_in(api: Api, username: str, password: str) -> dict[str, Any]:
    data = await api.run(documents.LOGIN, input={"username": username, "password": password})
    return data["login"]  # type: ignore[no-any-return]


async def test_a_temporary_password_allows_only_choosing_ones_own(
    api: Api, staff: dict[Role, Staff]
) -> None:
    # Given an account signed in with the temporary password an administrator gave it
    username, _ = await _new_account(api, staff[Role.ADMIN], "FRONT_DESK")
    token = (await _sign_in(api, username, TEMPORARY))["token"]

    # When it asks for anything else, it is told to choose its own password first
    journeys = await api.run(documents.JOURNEYS, token, first=5)
    assert journeys["journeys"] == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "choose your own password first (changePassword)",
    }
    me = await api.run(documents.ME, token)
    assert me["me"]["username"] == username

    # Then once it has chosen its own, signed in again, it works
    changed = await api.run(
        CHANGE_PASSWORD,
        token,
        input={"currentPassword": TEMPORARY, "newPassword": "my-own-password-9"},
    )
    assert changed["changePassword"]["__typename"] == "ChangePasswordPayload"
    token = (await _sign_in(api, username, "my-own-password-9"))["token"]
    journeys = await api.run(documents.JOURNEYS, token, first=5)
    assert journeys["journeys"]["__typename"] == "JourneyConnection"
    assert not (await StaffAccount.get(username=username)).must_change_password


async def test_a_temporary_password_opens_no_subscription(
    api: Api, staff: dict[Role, Staff]
) -> None:
    # Given a supervisor's account signed in with the temporary password it was given
    username, _ = await _new_account(api, staff[Role.ADMIN], "SUPERVISOR")
    token = (await _sign_in(api, username, TEMPORARY))["token"]
    subscribe = {"query": "subscription { tasksChanged { change } }"}

    # When it opens a subscription its role could open
    async with signed_in_socket(api, token) as socket:
        await socket.send_json({"type": "subscribe", "id": "1", "payload": subscribe})
        # Then it ends at once with the refusal (it stayed open, waiting for pushes)
        refusal = await asyncio.wait_for(socket.receive_json(), timeout=10)
        ended = await asyncio.wait_for(socket.receive_json(), timeout=10)
    assert refusal["type"] == "next", refusal
    assert [e["message"] for e in refusal["payload"]["errors"]] == [
        "choose your own password first (changePassword)"
    ]
    assert refusal["payload"]["errors"][0]["extensions"]["code"] == "NOT_AUTHORIZED"
    assert ended == {"type": "complete", "id": "1"}


async def test_deactivation_and_a_new_role_end_the_sessions_at_once(
    api: Api, staff: dict[Role, Staff]
) -> None:
    # Given an account that has chosen its password and signed in
    admin = staff[Role.ADMIN]
    username, staff_id = await _new_account(api, admin, "CONSULTANT")
    await api.run(
        CHANGE_PASSWORD,
        (await _sign_in(api, username, TEMPORARY))["token"],
        input={"currentPassword": TEMPORARY, "newPassword": "consultant-pass-1"},
    )
    token = (await _sign_in(api, username, "consultant-pass-1"))["token"]
    assert (await api.run(documents.ME, token))["me"]["__typename"] == "StaffMember"

    # When the administrator gives it a new role
    updated = await api.run(UPDATE_STAFF, admin.token, input={"staffId": staff_id, "role": "NURSE"})
    assert updated["updateStaffAccount"]["staff"]["role"] == "NURSE"

    # Then the old token stops working on its next request; a new sign-in carries the new role
    assert (await api.run(documents.ME, token))["me"]["__typename"] == "NotAuthorized"
    again = await _sign_in(api, username, "consultant-pass-1")
    assert again["staff"]["role"] == "NURSE"

    # And when it is deactivated, that token stops too, and signing in is refused
    key = uuid.uuid4().hex
    input = {"staffId": staff_id, "active": False, "idempotencyKey": key}
    first = await api.run(UPDATE_STAFF, admin.token, input=input)
    retry = await api.run(UPDATE_STAFF, admin.token, input=input)
    assert first == retry and first["updateStaffAccount"]["active"] is False
    assert (await api.run(documents.ME, again["token"]))["me"]["__typename"] == "NotAuthorized"
    assert (await _sign_in(api, username, "consultant-pass-1"))["__typename"] == "NotAuthorized"
    # The same key for another change is a conflict
    other = await api.run(UPDATE_STAFF, admin.token, input={**input, "active": True})
    assert other["updateStaffAccount"]["__typename"] == "Conflict"


async def test_a_password_reset_signs_out_and_asks_for_a_new_one(
    api: Api, staff: dict[Role, Staff]
) -> None:
    admin = staff[Role.ADMIN]
    username, staff_id = await _new_account(api, admin)
    token = (await _sign_in(api, username, TEMPORARY))["token"]
    reset = await api.run(
        RESET_PASSWORD,
        admin.token,
        input={"staffId": staff_id, "temporaryPassword": "another-temporary-2"},
    )
    assert reset["resetStaffPassword"]["mustChangePassword"] is True
    assert (await api.run(documents.ME, token))["me"]["__typename"] == "NotAuthorized"
    assert (await _sign_in(api, username, TEMPORARY))["__typename"] == "NotAuthorized"
    assert (await _sign_in(api, username, "another-temporary-2"))["__typename"] == "LoginPayload"
    missing = await api.run(
        RESET_PASSWORD,
        admin.token,
        input={"staffId": "U3RhZmZNZW1iZXI6bm9ib2R5", "temporaryPassword": "another-temporary-2"},
    )
    assert missing["resetStaffPassword"]["__typename"] == "NotFound"
