"""A password change refused for a wrong current password settles its key with that refusal.

`changePassword` claims its key, then checks the current password (one hash): the refusal
left the key claimed, never settled. Each retry with the key checked the password again and
counted as one more failed sign-in (a client retrying a lost answer locked its owner out), a
retry while throttled heard `TooManyAttempts`, and a retry after the password was changed to
the request's new one (by another request) heard that this one had changed it. The refusal is
now the key's answer: a retry hears it again, unchecked and uncounted; the same key with the
right password is a `Conflict`; of attempts sent at once, one counts."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.store.models import IdempotencyKey, StaffAccount
from schema.auth.throttle import PER_USERNAME_AT_ADDRESS, LoginThrottle
from schema.context import AuthServices
from server.seed import DEMO_PASSWORD
from tests.api.harness import Api
from tests.api.sessions import CHANGE_PASSWORD, Account, login, new_account, sign_in
from tests.api.test_login_throttle import own_api
from tests.api.test_overlapping_attempts import HeldFirstAttempt
from tests.support import ManualClock

NEW_PASSWORD = "a far longer passphrase"
WRONG = "not the password at all"
FREE = PER_USERNAME_AT_ADDRESS.free_attempts
REFUSED = {
    "__typename": "ValidationFailed",
    "problems": [{"field": "currentPassword", "message": "not your current password"}],
}


@contextlib.asynccontextmanager
async def throttled_api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Api]:
    """An API of its own, with a throttle of its own whose clock stands still."""
    auth = AuthServices(throttle=LoginThrottle(clock=ManualClock()))
    async with own_api(database, temporal_env, temporal_address, auth) as api:
        yield api


def _change(key: str | None, current: str = WRONG) -> dict[str, Any]:
    return {"currentPassword": current, "newPassword": NEW_PASSWORD, "idempotencyKey": key}


async def _send(api: Api, token: str, change: dict[str, Any]) -> dict[str, Any]:
    answer = await api.run(CHANGE_PASSWORD, token, input=change)
    return {k: v for k, v in answer["changePassword"].items() if k not in ("code", "message")}


async def _hash(account: Account) -> str:
    return (await StaffAccount.get(id=account.account_id)).password_hash


async def _failures_left(api: Api, token: str) -> int:
    """Wrong guesses (under keys of their own) the throttle still admits, counted by making
    them until it refuses one: the free attempts less those counted so far."""
    for made in range(FREE + 1):
        answer = await _send(api, token, _change(uuid.uuid4().hex))
        if answer["__typename"] == "TooManyAttempts":
            return made
        assert answer == REFUSED, answer
    raise AssertionError(f"{FREE + 1} wrong guesses were all admitted")


async def test_a_retry_of_a_wrong_current_password_is_answered_and_counted_once(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    async with throttled_api(database, temporal_env, temporal_address) as api:
        # Given a signed-in account whose change named a wrong current password
        account = await new_account()
        token, key = await sign_in(api, account), uuid.uuid4().hex
        before = await _hash(account)
        assert await _send(api, token, _change(key)) == REFUSED
        # When the client retries it with its key, more times than the free attempts
        retries = [await _send(api, token, _change(key)) for _ in range(FREE + 1)]
        # Then every retry hears the first answer, the key stands for it, and the request
        # counted as one failed attempt
        assert retries == [REFUSED] * (FREE + 1)
        settled = await IdempotencyKey.get(account_id=account.account_id, key=key)
        assert settled.result_id != ""
        assert await _failures_left(api, token) == FREE - 1
        # And once throttled, a retry is still told the first answer
        assert await _send(api, token, _change(key)) == REFUSED
        assert await _hash(account) == before


async def test_the_key_of_a_wrong_current_password_is_a_conflict_for_the_right_one(
    api: Api,
) -> None:
    # Given a change refused for a wrong current password
    account = await new_account()
    token, key = await sign_in(api, account), uuid.uuid4().hex
    before = await _hash(account)
    assert await _send(api, token, _change(key)) == REFUSED
    # When the right current password is sent under the same key
    reused = await _send(api, token, _change(key, DEMO_PASSWORD))
    # Then it is a Conflict and changes nothing
    assert reused["__typename"] == "Conflict", reused
    assert await _hash(account) == before
    # And under a new key, the change is made
    made = await _send(api, token, _change(uuid.uuid4().hex, DEMO_PASSWORD))
    assert made["__typename"] == "ChangePasswordPayload", made
    assert (await login(api, account.username, NEW_PASSWORD))["__typename"] == "LoginPayload"


async def test_a_refused_change_retried_after_its_new_password_was_set_is_still_refused(
    api: Api,
) -> None:
    # Given a change refused for a wrong current password
    account = await new_account()
    token, key = await sign_in(api, account), uuid.uuid4().hex
    assert await _send(api, token, _change(key)) == REFUSED
    # And the same new password set since, by a change with the right one (which signs the
    # token out)
    made = await _send(api, token, _change(uuid.uuid4().hex, DEMO_PASSWORD))
    assert made["__typename"] == "ChangePasswordPayload", made
    # When the refused change is retried with its key, by the token that sent it
    retried = await _send(api, token, _change(key))
    # Then it hears its own answer, not that it changed the password
    assert retried == REFUSED


@pytest.mark.parametrize("held", [True, False], ids=["first-attempt-held", "sent-at-once"])
async def test_wrong_current_passwords_sent_at_once_answer_one_refusal_counted_once(
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
    monkeypatch: pytest.MonkeyPatch,
    held: bool,
) -> None:
    async with throttled_api(database, temporal_env, temporal_address) as api:
        # Given a signed-in account
        account = await new_account()
        token, key = await sign_in(api, account), uuid.uuid4().hex
        before = await _hash(account)
        # When a change with a wrong current password is sent with one key three times at
        # once (or its first attempt is held after its claim while two more are made)
        if held:
            hold = HeldFirstAttempt(monkeypatch, key)
            first = asyncio.create_task(_send(api, token, _change(key)))
            await asyncio.wait_for(hold.held.wait(), timeout=30)
            others = [await _send(api, token, _change(key)) for _ in range(2)]
            hold.release()
            answers = [await first, *others]
        else:
            sends = (_send(api, token, _change(key)) for _ in range(3))
            answers = list(await asyncio.gather(*sends))
        # Then every attempt hears the one refusal, a retry too, and it counted once
        assert answers == [REFUSED] * 3
        assert await _send(api, token, _change(key)) == REFUSED
        assert await _failures_left(api, token) == FREE - 1
        assert await _hash(account) == before
