"""Sign-ins, password changes and account changes under way when the account's sessions end.

A sign-in reads the account, verifies the password on the hashing threads (tens to hundreds of
milliseconds, longer behind a queue of others), then issues its token. A token issued after a
password change, for the password the change replaced, would work: whoever knew the old
password keeps a session the owner just ended by changing it.

A password change verifies the current password and hashes the new one on the same threads,
then writes it. One whose session was revoked meanwhile (an administrator's reset of the
password of an account thought taken over) must not write its password over the reset. Nor
does an administrator deactivated while a new account's password is being hashed make it.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest

from domain import passwords
from domain.roles import Role
from domain.store.models import StaffAccount
from schema.ids import encode_id
from server.seed import DEMO_CLINIC_ID, DEMO_PASSWORD
from tests.api.harness import Api, Staff, eventually
from tests.api.sessions import CHANGE_PASSWORD, login, me, new_account, sign_in

NEW_PASSWORD = "a far longer passphrase"
RESET = "an administrators reset"
RESULT = "{ __typename ... on UserError { code message } }"
RESET_PASSWORD = (
    "mutation($input: ResetStaffPasswordInput!) { resetStaffPassword(input: $input) "
    + RESULT
    + " }"
)
CREATE_STAFF = (
    "mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) "
    + RESULT
    + " }"
)
UPDATE_STAFF = (
    "mutation($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) "
    + RESULT
    + " }"
)
# Bounds every wait of the test: the held verification ends when released.
WITHIN_SECONDS = 20


class FirstCallHeld:
    """A password function whose first call once armed waits until released; every other call
    runs at once (a password change verifies the current password too)."""

    def __init__(self, work: Callable[..., object]) -> None:
        self._work = work
        self._lock = threading.Lock()
        self._armed = False
        self.entered = threading.Event()
        self._released = threading.Event()

    def __call__(self, *args: str) -> object:
        with self._lock:
            first, self._armed = self._armed, False
        if first:
            self.entered.set()
            self._released.wait(WITHIN_SECONDS)
        return self._work(*args)

    def arm(self) -> None:
        with self._lock:
            self._armed = True

    def release(self) -> None:
        self._released.set()


def _held(monkeypatch: pytest.MonkeyPatch, name: str) -> Iterator[FirstCallHeld]:
    held = FirstCallHeld(getattr(passwords, name))
    monkeypatch.setattr(passwords, name, held)
    try:
        yield held
    finally:
        held.release()  # a failed test leaves no thread waiting


@pytest.fixture
def held_verification(monkeypatch: pytest.MonkeyPatch) -> Iterator[FirstCallHeld]:
    yield from _held(monkeypatch, "verify_password")


@pytest.fixture
def held_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[FirstCallHeld]:
    yield from _held(monkeypatch, "hash_password")


async def _entered(held: FirstCallHeld) -> None:
    async def entered() -> bool:
        return held.entered.is_set()

    await eventually(entered, bool, timeout=WITHIN_SECONDS, what="the password work held")


async def test_a_sign_in_under_way_with_the_old_password_outlives_no_password_change(
    api: Api, held_verification: FirstCallHeld
) -> None:
    # Given the owner signed in, and someone else signing in with the same password, whose
    # password is being verified
    account = await new_account()
    owner = await sign_in(api, account)
    held_verification.arm()
    intruder = asyncio.ensure_future(login(api, account.username, DEMO_PASSWORD))
    await _entered(held_verification)
    # When the owner changes the password meanwhile
    change = {
        "currentPassword": DEMO_PASSWORD,
        "newPassword": NEW_PASSWORD,
        "idempotencyKey": uuid.uuid4().hex,
    }
    changed = (await api.run(CHANGE_PASSWORD, owner, input=change))["changePassword"]
    assert changed["__typename"] == "ChangePasswordPayload"
    held_verification.release()
    answer = await asyncio.wait_for(intruder, WITHIN_SECONDS)
    # Then the sign-in with the replaced password is refused, as it would be a moment later
    assert answer == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "wrong username or password",
    }
    # And only the new password signs in
    assert (await login(api, account.username))["__typename"] == "NotAuthorized"
    fresh = await sign_in(api, account, NEW_PASSWORD)
    assert (await me(api, fresh))["username"] == account.username


async def test_a_token_from_a_sign_in_under_way_at_a_logout_everywhere_is_signed_out(
    api: Api, held_verification: FirstCallHeld
) -> None:
    # Given a sign-in being verified
    account = await new_account()
    owner = await sign_in(api, account)
    held_verification.arm()
    under_way = asyncio.ensure_future(login(api, account.username, DEMO_PASSWORD))
    await _entered(held_verification)
    # When the account signs out everywhere meanwhile
    logout = "mutation($input: LogoutInput!) { logout(input: $input) { __typename } }"
    ended = await api.run(logout, owner, input={"everywhere": True})
    assert ended["logout"]["__typename"] == "LogoutPayload"
    held_verification.release()
    answer = await asyncio.wait_for(under_way, WITHIN_SECONDS)
    # Then the sign-in that began before it hands out no token (it would outlive the logout)
    assert answer["__typename"] == "NotAuthorized", answer
    assert answer["message"] == "the token was revoked: sign in again"
    # And a sign-in begun after it works
    fresh = await sign_in(api, account)
    assert (await me(api, fresh))["username"] == account.username


async def test_a_password_change_under_way_at_an_administrators_reset_does_not_undo_it(
    api: Api, staff: dict[Role, Staff], held_hashing: FirstCallHeld
) -> None:
    # Given an account signed in, changing its password: the new one is being hashed
    account = await new_account(clinic_id=DEMO_CLINIC_ID)
    token = await sign_in(api, account)
    held_hashing.arm()
    change = {"currentPassword": DEMO_PASSWORD, "newPassword": NEW_PASSWORD}
    under_way = asyncio.ensure_future(api.run(CHANGE_PASSWORD, token, input=change))
    await _entered(held_hashing)
    # When an administrator resets the password meanwhile (it signs every session out)
    reset = await api.run(
        RESET_PASSWORD,
        staff[Role.ADMIN].token,
        input={"staffId": encode_id("StaffMember", account.account_id), "temporaryPassword": RESET},
    )
    assert reset["resetStaffPassword"]["__typename"] == "StaffAccountPayload"
    held_hashing.release()
    answer = (await asyncio.wait_for(under_way, WITHIN_SECONDS))["changePassword"]
    # Then the change from the signed-out session is refused, and the reset stands
    assert answer == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "the token was revoked: sign in again",
    }
    assert (await login(api, account.username, NEW_PASSWORD))["__typename"] == "NotAuthorized"
    assert (await login(api, account.username, RESET))["__typename"] == "LoginPayload"


async def test_an_account_made_by_an_administrator_deactivated_meanwhile_is_not_made(
    api: Api, staff: dict[Role, Staff], held_hashing: FirstCallHeld
) -> None:
    # Given a second administrator making an account: its first password is being hashed
    leaving = await new_account(Role.ADMIN, clinic_id=DEMO_CLINIC_ID)
    token = await sign_in(api, leaving)
    username = f"made-late-{uuid.uuid4().hex[:10]}"
    made = {
        "clinicId": DEMO_CLINIC_ID,
        "username": username,
        "displayName": "Made Late",
        "role": "ADMIN",
        "temporaryPassword": RESET,
    }
    held_hashing.arm()
    under_way = asyncio.ensure_future(api.run(CREATE_STAFF, token, input=made))
    await _entered(held_hashing)
    # When the clinic's other administrator deactivates it meanwhile
    leaving_id = encode_id("StaffMember", leaving.account_id)
    update = {"staffId": leaving_id, "active": False}
    deactivated = await api.run(UPDATE_STAFF, staff[Role.ADMIN].token, input=update)
    assert deactivated["updateStaffAccount"]["__typename"] == "StaffAccountPayload"
    held_hashing.release()
    answer = (await asyncio.wait_for(under_way, WITHIN_SECONDS))["createStaffAccount"]
    # Then the request its session no longer stands behind makes no account
    assert answer == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "the account is not active: sign in again",
    }
    assert not await StaffAccount.exists(username=username)


async def test_a_reset_by_an_administrator_deactivated_meanwhile_is_not_made(
    api: Api, staff: dict[Role, Staff], held_hashing: FirstCallHeld
) -> None:
    # Given a second administrator resetting an account's password: it is being hashed
    leaving = await new_account(Role.ADMIN, clinic_id=DEMO_CLINIC_ID)
    token = await sign_in(api, leaving)
    account = await new_account(clinic_id=DEMO_CLINIC_ID)
    before = (await StaffAccount.get(id=account.account_id)).password_hash
    reset = {"staffId": encode_id("StaffMember", account.account_id), "temporaryPassword": RESET}
    held_hashing.arm()
    under_way = asyncio.ensure_future(api.run(RESET_PASSWORD, token, input=reset))
    await _entered(held_hashing)
    # When the clinic's other administrator deactivates it meanwhile
    update = {"staffId": encode_id("StaffMember", leaving.account_id), "active": False}
    deactivated = await api.run(UPDATE_STAFF, staff[Role.ADMIN].token, input=update)
    assert deactivated["updateStaffAccount"]["__typename"] == "StaffAccountPayload"
    held_hashing.release()
    answer = (await asyncio.wait_for(under_way, WITHIN_SECONDS))["resetStaffPassword"]
    # Then the password is as it was, and the account's sessions go on
    assert answer == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "the account is not active: sign in again",
    }
    assert (await StaffAccount.get(id=account.account_id)).password_hash == before
    assert (await login(api, account.username))["__typename"] == "LoginPayload"
