"""A sign-in whose password is still being verified when the password changes gets no token
that outlives the change.

A sign-in reads the account, verifies the password on the hashing threads (tens to hundreds of
milliseconds, longer behind a queue of others), then issues its token. A token issued after the
change, for the password the change replaced, would work: whoever knew the old password keeps
a session the owner just ended by changing it.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest

from domain import passwords
from server.seed import DEMO_PASSWORD
from tests.api.harness import Api, eventually
from tests.api.sessions import CHANGE_PASSWORD, login, me, new_account, sign_in

NEW_PASSWORD = "a far longer passphrase"
# Bounds every wait of the test: the held verification ends when released.
WITHIN_SECONDS = 20


class FirstVerificationHeld:
    """`passwords.verify_password` whose first call once armed waits until released; every
    other call runs at once (the password change verifies the current password too)."""

    def __init__(self, verify: Callable[[str, str], passwords.Verdict]) -> None:
        self._verify = verify
        self._lock = threading.Lock()
        self._armed = False
        self.entered = threading.Event()
        self._released = threading.Event()

    def __call__(self, password: str, stored: str) -> passwords.Verdict:
        with self._lock:
            first, self._armed = self._armed, False
        if first:
            self.entered.set()
            self._released.wait(WITHIN_SECONDS)
        return self._verify(password, stored)

    def arm(self) -> None:
        with self._lock:
            self._armed = True

    def release(self) -> None:
        self._released.set()


@pytest.fixture
def held_verification(monkeypatch: pytest.MonkeyPatch) -> Iterator[FirstVerificationHeld]:
    held = FirstVerificationHeld(passwords.verify_password)
    monkeypatch.setattr(passwords, "verify_password", held)
    try:
        yield held
    finally:
        held.release()  # a failed test leaves no thread waiting


async def test_a_sign_in_under_way_with_the_old_password_outlives_no_password_change(
    api: Api, held_verification: FirstVerificationHeld
) -> None:
    # Given the owner signed in, and someone else signing in with the same password, whose
    # password is being verified
    account = await new_account()
    owner = await sign_in(api, account)
    held_verification.arm()
    intruder = asyncio.ensure_future(login(api, account.username, DEMO_PASSWORD))

    async def entered() -> bool:
        return held_verification.entered.is_set()

    await eventually(entered, bool, timeout=WITHIN_SECONDS, what="the sign-in verifying")
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
    api: Api, held_verification: FirstVerificationHeld
) -> None:
    # Given a sign-in being verified
    account = await new_account()
    owner = await sign_in(api, account)
    held_verification.arm()
    under_way = asyncio.ensure_future(login(api, account.username, DEMO_PASSWORD))

    async def entered() -> bool:
        return held_verification.entered.is_set()

    await eventually(entered, bool, timeout=WITHIN_SECONDS, what="the sign-in verifying")
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
