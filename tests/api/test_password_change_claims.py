"""A password change refused by the hashing queue or the sign-in throttle claims no key.

`changePassword` claimed its idempotency key first and only then met the throttle and the
bounded hashing queue (`schema.auth.hashing`): refused there with `TooManyAttempts`, the key
stood claimed and never settled. Both are now met before the claim, the queue's place held
through the hashes: nothing is claimed or written, the retry with the key is a first attempt,
and a key used for another request is still a `Conflict`."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from temporalio.testing import WorkflowEnvironment

from domain.store.models import IdempotencyKey, StaffAccount
from schema.auth.hashing import MAX_WAITING, PASSWORD_WORK, RETRY_AFTER_SECONDS
from schema.auth.throttle import PER_USERNAME_AT_ADDRESS, LoginThrottle
from schema.context import AuthServices
from server.seed import DEMO_PASSWORD
from tests.api.harness import Api
from tests.api.sessions import CHANGE_PASSWORD, LOGOUT, Account, new_account, sign_in
from tests.api.test_login_throttle import own_api
from tests.support import ManualClock

NEW_PASSWORD = "a far longer passphrase"


async def _change(api: Api, token: str, key: str, current: str = DEMO_PASSWORD) -> dict[str, Any]:
    change = {"currentPassword": current, "newPassword": NEW_PASSWORD, "idempotencyKey": key}
    return (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]  # type: ignore[no-any-return]


async def _claimed(account: Account, key: str) -> bool:
    return await IdempotencyKey.exists(account_id=account.account_id, key=key)


async def test_a_change_past_the_hashing_queue_claims_no_key_and_its_retry_is_made(
    api: Api,
) -> None:
    # Given a signed-in account, and the hashing queue full
    account = await new_account()
    token = await sign_in(api, account)
    before = (await StaffAccount.get(id=account.account_id)).password_hash
    key = uuid.uuid4().hex
    with contextlib.ExitStack() as held:
        places = [held.enter_context(PASSWORD_WORK.place()) for _ in range(MAX_WAITING)]
        assert all(places) and PASSWORD_WORK.in_flight == MAX_WAITING
        # When the account changes its password
        refused = await _change(api, token, key)
    # Then it is told to come back, its key not even claimed, nothing changed
    assert refused["__typename"] == "TooManyAttempts", refused
    assert refused["retryAfterSeconds"] == RETRY_AFTER_SECONDS
    assert not await _claimed(account, key)
    assert (await StaffAccount.get(id=account.account_id)).password_hash == before
    # And once the queue has room, the same request with the same key is made, once
    assert PASSWORD_WORK.in_flight == 0
    made = await _change(api, token, key)
    assert made["__typename"] == "ChangePasswordPayload", made
    assert (await StaffAccount.get(id=account.account_id)).password_hash != before
    assert await IdempotencyKey.filter(account_id=account.account_id, key=key).count() == 1


async def test_a_throttled_change_claims_no_key_and_its_retry_is_made(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    clock = ManualClock()
    auth = AuthServices(throttle=LoginThrottle(clock=clock))
    async with own_api(database, temporal_env, temporal_address, auth) as api:
        # Given a signed-in account that signed out elsewhere under a key, and whose current
        # password was then guessed at until throttled
        account = await new_account()
        token = await sign_in(api, account)
        logout_key = uuid.uuid4().hex
        logout = {"everywhere": False, "idempotencyKey": logout_key}
        other = await api.run(LOGOUT, await sign_in(api, account), input=logout)
        assert other["logout"]["__typename"] == "LogoutPayload", other
        before = (await StaffAccount.get(id=account.account_id)).password_hash
        for _ in range(PER_USERNAME_AT_ADDRESS.free_attempts):
            guessed = await _change(api, token, uuid.uuid4().hex, current="a wrong guess")
            assert guessed["__typename"] == "ValidationFailed", guessed
        # When its owner changes the password, and the logout's key is reused for it
        key = uuid.uuid4().hex
        refused = await _change(api, token, key)
        reused = await _change(api, token, logout_key)
        # Then the change is refused while the throttle waits, its key not even claimed, and
        # the reused key is a Conflict as before
        assert refused["__typename"] == "TooManyAttempts", refused
        assert not await _claimed(account, key)
        assert reused["__typename"] == "Conflict", reused
        assert (await StaffAccount.get(id=account.account_id)).password_hash == before
        # And once the wait is over, the same request with the same key is made
        clock.now += refused["retryAfterSeconds"]
        made = await _change(api, token, key)
        assert made["__typename"] == "ChangePasswordPayload", made
        assert (await StaffAccount.get(id=account.account_id)).password_hash != before
