"""A logout everywhere refused for a token that no longer works claims no key.

Only a working token may sign out the others. `logout(everywhere: true)` claimed its key first
and refused a token that no longer works only then, leaving the key claimed and never settled:
once its owner signed in again, the retry with that key (the first attempt answered, as far as
the key said, nothing) signed out every session, the new one included, though its first answer
was `NotAuthorized`; and the key could not be used for anything else. The refusal now claims
nothing (one lookup): a retry of a logout everywhere that signed this very token out is still
answered its first time, and a key that stands for another request is still a `Conflict`."""

from __future__ import annotations

import uuid
from typing import Any

from domain.store.models import IdempotencyKey
from tests.api.harness import Api
from tests.api.sessions import LOGOUT, Account, me, new_account, sign_in


async def _logout(api: Api, token: str, everywhere: bool, key: str | None) -> dict[str, Any]:
    request = {"everywhere": everywhere, "idempotencyKey": key}
    return (await api.run(LOGOUT, token, input=request))["logout"]  # type: ignore[no-any-return]


async def _signed_out_token(api: Api, account: Account) -> str:
    token = await sign_in(api, account)
    assert (await _logout(api, token, False, None))["__typename"] == "LogoutPayload"
    return token


async def _works(api: Api, token: str) -> bool:
    return (await me(api, token))["__typename"] == "StaffMember"


async def test_a_logout_everywhere_by_a_signed_out_token_claims_no_key(api: Api) -> None:
    # Given an account whose token was signed out
    account = await new_account()
    dead, key = await _signed_out_token(api, account), uuid.uuid4().hex
    # When that token asks to sign out everywhere under a key
    refused = await _logout(api, dead, True, key)
    # Then it is refused, and the key is not claimed
    assert refused["__typename"] == "NotAuthorized", refused
    assert not await IdempotencyKey.exists(account_id=account.account_id, key=key)
    # And once its owner signed in again, the key serves another request (signing out only
    # that session), not a Conflict with the refusal, and the owner's other session still works
    fresh, other = await sign_in(api, account), await sign_in(api, account)
    made = await _logout(api, fresh, False, key)
    assert made["__typename"] == "LogoutPayload", made
    assert await _works(api, other)


async def test_a_retry_of_a_logout_everywhere_by_the_token_it_signed_out_is_answered(
    api: Api,
) -> None:
    # Given a logout everywhere that signed out every token, the one that sent it included
    account = await new_account()
    token, key = await sign_in(api, account), uuid.uuid4().hex
    first = await _logout(api, token, True, key)
    assert first["__typename"] == "LogoutPayload", first
    # When it is retried with its key, by that token
    retried = await _logout(api, token, True, key)
    # Then it is answered as the first time
    assert retried == first


async def test_a_signed_out_token_with_a_key_used_for_another_request_hears_conflict(
    api: Api,
) -> None:
    # Given a key used by the account to sign out one of its sessions
    account = await new_account()
    key = uuid.uuid4().hex
    assert (await _logout(api, await sign_in(api, account), False, key))["__typename"] == (
        "LogoutPayload"
    )
    # When a signed-out token asks to sign out everywhere under that key
    dead = await _signed_out_token(api, account)
    answer = await _logout(api, dead, True, key)
    # Then the key stands for the other request
    assert answer["__typename"] == "Conflict", answer
