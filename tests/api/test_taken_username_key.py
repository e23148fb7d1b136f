"""A new account refused for a username already taken claims no key and hashes nothing.

`createStaffAccount` claimed its key and hashed the password it was given (argon2, 19 MiB a hash)
before the database told it the username was taken: the key stood claimed, never settled, and
every retry with it paid another hash to hear the same refusal. The username is now looked up
before the claim and the hash: refused there, nothing is claimed or hashed. A retry of a request
whose first attempt made the account (its answer lost, the key unsettled) finds the username
taken by that very account (its id derived from the key's claim) and is answered as the first
time, with no hash either."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from domain import passwords
from domain.roles import Role
from domain.store.models import IdempotencyKey, StaffAccount
from server.seed import DEMO_CLINIC_ID
from tests.api.harness import Api, Staff
from tests.api.test_administration import CREATE_STAFF

FIRST_PASSWORD = "first-password-77"


class CountedHashes:
    """`passwords.hash_password`, counting its calls."""

    def __init__(self, hash_password: Callable[[str], str]) -> None:
        self._hash = hash_password
        self.count = 0

    def __call__(self, password: str) -> str:
        self.count += 1
        return self._hash(password)


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountedHashes]:
    counted = CountedHashes(passwords.hash_password)
    monkeypatch.setattr(passwords, "hash_password", counted)
    yield counted


def _request(username: str, key: str, display_name: str = "New Nurse") -> dict[str, Any]:
    return {
        "clinicId": DEMO_CLINIC_ID,
        "username": username,
        "displayName": display_name,
        "role": Role.NURSE.name,
        "temporaryPassword": FIRST_PASSWORD,
        "idempotencyKey": key,
    }


async def _create(api: Api, admin: Staff, request: dict[str, Any]) -> dict[str, Any]:
    answer = await api.run(CREATE_STAFF, admin.token, input=request)
    return answer["createStaffAccount"]  # type: ignore[no-any-return]


TAKEN = [{"field": "username", "message": "already taken"}]


async def test_a_taken_username_claims_no_key_and_its_retries_hash_nothing(
    api: Api, staff: dict[Role, Staff], hashes: CountedHashes
) -> None:
    admin = staff[Role.ADMIN]
    # Given a username already taken
    taken = staff[Role.NURSE].username
    key = uuid.uuid4().hex
    # When an account is asked for under it, and retried with its key
    answers = [await _create(api, admin, _request(taken, key)) for _ in range(3)]
    # Then each is refused, no password is hashed and the key is not claimed
    assert [answer["problems"] for answer in answers] == [TAKEN] * 3, answers
    assert hashes.count == 0
    assert not await IdempotencyKey.exists(account_id=admin.account_id, key=key)
    # And the key serves another request
    username = f"free-{uuid.uuid4().hex[:10]}"
    made = await _create(api, admin, _request(username, key))
    assert made["__typename"] == "StaffAccountPayload", made
    assert hashes.count == 1


async def test_a_retry_of_a_creation_whose_answer_was_lost_is_answered_without_a_hash(
    api: Api, staff: dict[Role, Staff], hashes: CountedHashes
) -> None:
    admin = staff[Role.ADMIN]
    # Given an account made, its answer lost before its key was settled
    request = _request(f"lost-{uuid.uuid4().hex[:10]}", uuid.uuid4().hex)
    first = await _create(api, admin, request)
    assert first["__typename"] == "StaffAccountPayload", first
    lost = IdempotencyKey.filter(account_id=admin.account_id, key=request["idempotencyKey"])
    assert await lost.update(result_id="") == 1
    # When it is retried with its key (its username now taken, by the account it made)
    retried = await _create(api, admin, request)
    # Then it is answered as the first time, with no second hash, and the key settled
    assert retried == first
    assert hashes.count == 1
    assert (await lost.get()).result_id != ""
    assert await StaffAccount.filter(username=request["username"]).count() == 1


async def test_a_taken_username_under_a_key_used_for_another_request_is_a_conflict(
    api: Api, staff: dict[Role, Staff], hashes: CountedHashes
) -> None:
    admin = staff[Role.ADMIN]
    # Given a key that made an account
    key = uuid.uuid4().hex
    made = await _create(api, admin, _request(f"first-{uuid.uuid4().hex[:10]}", key))
    assert made["__typename"] == "StaffAccountPayload", made
    # When another account, under a username taken, is asked for under that key
    reused = await _create(api, admin, _request(staff[Role.NURSE].username, key))
    # Then the key stands for the other request
    assert reused["__typename"] == "Conflict", reused
    assert hashes.count == 1
