"""Tokens with a lifecycle: logout, logout everywhere, deactivation, a new role or password and a
key rotation take effect on the very next request."""

from __future__ import annotations

import dataclasses
import uuid

import jwt
from temporalio.testing import WorkflowEnvironment

from domain.auth import AccessToken, SigningKeys, issue_token
from domain.roles import Role
from domain.store import accounts
from domain.store.models import Client as ClientRow
from domain.store.models import StaffAccount
from server.seed import DEMO_PASSWORD
from server.settings import DEV_SECRET_KEY
from tests.api import documents
from tests.api.conftest import SECRET_KEY, api_settings
from tests.api.harness import Api, Staff, running_api
from tests.api.sessions import (
    CHANGE_PASSWORD,
    LOGOUT,
    NOT_SIGNED_IN,
    login,
    me,
    new_account,
    sign_in,
)

NEW_PASSWORD = "a far longer passphrase"


async def test_logout_ends_this_token_only(api: Api) -> None:
    # Given one account signed in on two devices
    account = await new_account()
    phone, desk = await sign_in(api, account), await sign_in(api, account)
    # When the phone signs out
    answer = (await api.run(LOGOUT, phone, input={}))["logout"]
    assert answer["__typename"] == "LogoutPayload" and answer["everywhere"] is False
    # Then the phone's token stops working at once, and the desk's does not
    assert await me(api, phone) == NOT_SIGNED_IN
    assert (await me(api, desk))["username"] == account.username
    # And signing the same token out again is done again, harmlessly
    again = (await api.run(LOGOUT, phone, input={}))["logout"]
    assert again["__typename"] == "LogoutPayload"


async def test_logout_everywhere_ends_every_token_of_the_account(api: Api) -> None:
    account, other = await new_account(), await new_account()
    phone, desk = await sign_in(api, account), await sign_in(api, account)
    bystander = await sign_in(api, other)
    answer = (await api.run(LOGOUT, phone, input={"everywhere": True}))["logout"]
    assert answer["__typename"] == "LogoutPayload" and answer["everywhere"] is True
    assert await me(api, phone) == NOT_SIGNED_IN
    assert await me(api, desk) == NOT_SIGNED_IN
    # Another account is untouched, and signing in again at once works
    assert (await me(api, bystander))["username"] == other.username
    fresh = await sign_in(api, account)
    assert (await me(api, fresh))["username"] == account.username


async def test_a_retried_logout_everywhere_returns_the_first_answer(api: Api) -> None:
    account = await new_account()
    token, key = await sign_in(api, account), uuid.uuid4().hex
    first = await api.run(LOGOUT, token, input={"everywhere": True, "idempotencyKey": key})
    # The retry comes with the token the first call revoked: the key still finds the answer
    again = await api.run(LOGOUT, token, input={"everywhere": True, "idempotencyKey": key})
    assert again == first
    # Without the key, a revoked token cannot sign the others out
    refused = (await api.run(LOGOUT, token, input={"everywhere": True}))["logout"]
    assert refused == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "the token was revoked: sign in again first",
    }
    # And the same key for a different request is a conflict
    other = (await api.run(LOGOUT, token, input={"idempotencyKey": key}))["logout"]
    assert other["__typename"] == "Conflict"


async def test_a_deactivated_account_stops_on_its_next_request(api: Api) -> None:
    # Given a front desk signed in for twelve hours
    account = await new_account(Role.FRONT_DESK)
    token = await sign_in(api, account)
    assert (await me(api, token))["username"] == account.username
    # When the account is deactivated
    await accounts.deactivate_account(account.account_id)
    # Then its token no longer works, for reads and for writes, and it cannot sign in again
    assert await me(api, token) == NOT_SIGNED_IN
    name = f"Never Registered {uuid.uuid4().hex[:6]}"
    client = {"fullName": name, "birthDate": "1990-01-01", "phone": "+48 600 100 200"}
    result = await api.run(documents.REGISTER_CLIENT, token, input={**client, "dataConsent": True})
    assert result["registerClient"] == NOT_SIGNED_IN
    assert await ClientRow.filter(full_name=name).count() == 0
    assert (await login(api, account.username))["__typename"] == "NotAuthorized"


async def test_a_new_role_ends_the_tokens_of_the_old_one(api: Api) -> None:
    account = await new_account(Role.CONSULTANT)
    token = await sign_in(api, account)
    await accounts.change_role(account.account_id, Role.CASHIER)
    assert await me(api, token) == NOT_SIGNED_IN
    again = await login(api, account.username)
    assert again["staff"] == {"username": account.username, "role": "CASHIER"}


async def test_changing_the_password_signs_out_everywhere(api: Api) -> None:
    account = await new_account()
    token, other_device = await sign_in(api, account), await sign_in(api, account)
    key = uuid.uuid4().hex
    change = {"currentPassword": DEMO_PASSWORD, "newPassword": NEW_PASSWORD, "idempotencyKey": key}
    answer = (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]
    assert answer["__typename"] == "ChangePasswordPayload"
    # Every token stops working, this one included; only the new password signs in
    assert await me(api, token) == NOT_SIGNED_IN
    assert await me(api, other_device) == NOT_SIGNED_IN
    assert (await login(api, account.username))["__typename"] == "NotAuthorized"
    assert (await login(api, account.username, NEW_PASSWORD))["__typename"] == "LoginPayload"
    # A retry of the change (its answer was lost) returns the first answer and changes nothing
    stored = (await StaffAccount.get(id=account.account_id)).password_hash
    again = (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]
    assert again == answer
    assert (await StaffAccount.get(id=account.account_id)).password_hash == stored


async def test_a_password_change_is_refused_with_the_reason(api: Api) -> None:
    account = await new_account()
    token = await sign_in(api, account)
    before = (await StaffAccount.get(id=account.account_id)).password_hash
    cases = [
        ("not-the-password", NEW_PASSWORD, "currentPassword", "not your current password"),
        (DEMO_PASSWORD, "too short", "newPassword", "12 to 256 characters"),
        (DEMO_PASSWORD, DEMO_PASSWORD, "newPassword", "must differ from the current password"),
    ]
    for current, new, field, message in cases:
        change = {"currentPassword": current, "newPassword": new}
        answer = (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]
        assert answer == {
            "__typename": "ValidationFailed",
            "code": "VALIDATION_FAILED",
            "message": f"{field}: {message}",
            "problems": [{"field": field, "message": message}],
        }
    # Nothing changed: the same hash, and the token still works
    assert (await StaffAccount.get(id=account.account_id)).password_hash == before
    assert (await me(api, token))["username"] == account.username
    anonymous = await api.run(
        CHANGE_PASSWORD, None, input={"currentPassword": "x", "newPassword": "y"}
    )
    assert anonymous["changePassword"] == NOT_SIGNED_IN


async def test_tokens_signed_with_the_public_development_key_are_refused(
    api: Api, staff: dict[Role, Staff]
) -> None:
    # The development key is in the public source: anyone can sign any claims with it.
    supervisor = staff[Role.SUPERVISOR].account_id
    forged = AccessToken.new(supervisor, 1e9, 10**10)
    for token in (
        issue_token(forged, SigningKeys(DEV_SECRET_KEY)),
        jwt.encode({"sub": supervisor, "exp": 2**40}, DEV_SECRET_KEY, algorithm="HS256"),
    ):
        assert await me(api, token) == NOT_SIGNED_IN


async def test_a_rotated_key_still_verifies_until_it_is_dropped(
    api: Api, database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given a token signed with the current key
    account = await new_account()
    old_token = await sign_in(api, account)
    base = api_settings(database, temporal_address, "rotation")
    new_key = "n" * 48
    rotated = dataclasses.replace(base, secret_key=new_key, previous_secret_keys=(SECRET_KEY,))
    dropped = dataclasses.replace(base, secret_key=new_key)
    async with running_api(rotated, temporal_env.client) as during:
        # Then, after the rotation, it still works, and new tokens come from the new key
        assert (await me(during, old_token))["username"] == account.username
        new_token = await sign_in(during, account)
        async with running_api(dropped, temporal_env.client) as after:
            # And once the old key is dropped, only the new tokens work
            assert await me(after, old_token) == NOT_SIGNED_IN
            assert (await me(after, new_token))["username"] == account.username
