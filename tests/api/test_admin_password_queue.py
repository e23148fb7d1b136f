"""An administrator's new accounts and password resets hash on the bounded threads sign-ins use
(`schema.auth.hashing`): past its queue the request is answered `Unavailable` at once, nothing
written and its key unclaimed, and the same request with the same key goes through later. They
hashed on the default thread pool before: a flood from one administrator ran six 19 MiB hashes
at once behind a queue without end, which photo uploads and the photo store share. And they
claimed their key before meeting the queue's bound, left claimed and never settled when refused
(now a place in the queue is taken before the claim)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from domain import passwords
from domain.roles import Role
from domain.store.models import IdempotencyKey, StaffAccount
from schema.auth.hashing import MAX_WAITING, PASSWORD_WORK, RETRY_AFTER_SECONDS, WORKERS
from schema.ids import encode_id
from server.seed import DEMO_CLINIC_ID
from tests.api.harness import Api, Staff, demo_password_hash, eventually
from tests.api.test_administration import ACCOUNT_RESULT

RESULT = ACCOUNT_RESULT + "... on Unavailable { retryAfterSeconds }"
CREATE_STAFF = (
    "mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) {"
    + RESULT
    + "} }"
)
RESET_PASSWORD = (
    "mutation($input: ResetStaffPasswordInput!) { resetStaffPassword(input: $input) {"
    + RESULT
    + "} }"
)
TEMPORARY = "temporary-password-9"
# Bounds every wait of the test: the refusal is at once, the held hashes end when released.
WITHIN_SECONDS = 20


class HeldHashes:
    """`passwords.hash_password` held until released, counting the hashes running at once."""

    def __init__(self, hash_password: Callable[[str], str]) -> None:
        self._hash = hash_password
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._running = 0
        self.most_at_once = 0

    def __call__(self, password: str) -> str:
        with self._lock:
            self._running += 1
            self.most_at_once = max(self.most_at_once, self._running)
        try:
            self._released.wait(WITHIN_SECONDS)
            return self._hash(password)
        finally:
            with self._lock:
                self._running -= 1

    def release(self) -> None:
        self._released.set()


@pytest.fixture
def held_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldHashes]:
    held = HeldHashes(passwords.hash_password)
    monkeypatch.setattr(passwords, "hash_password", held)
    try:
        yield held
    finally:
        held.release()  # a failed test leaves no thread waiting


async def _accounts(count: int) -> list[StaffAccount]:
    password_hash = await asyncio.to_thread(demo_password_hash)
    made = []
    for _ in range(count):
        username = f"queued-{uuid.uuid4().hex[:10]}"
        made.append(
            await StaffAccount.create(
                id=f"staff-{username}",
                clinic_id=DEMO_CLINIC_ID,
                username=username,
                display_name="Queued Nurse",
                role=Role.NURSE.value,
                password_hash=password_hash,
            )
        )
    return made


async def _reset(api: Api, admin: Staff, account: StaffAccount, key: str) -> dict[str, Any]:
    input = {
        "staffId": encode_id("StaffMember", account.id),
        "temporaryPassword": TEMPORARY,
        "idempotencyKey": key,
    }
    answer = await api.run(RESET_PASSWORD, admin.token, input=input)
    return answer["resetStaffPassword"]  # type: ignore[no-any-return]


async def _create(api: Api, admin: Staff, username: str, key: str) -> dict[str, Any]:
    input = {
        "clinicId": DEMO_CLINIC_ID,
        "username": username,
        "displayName": "Queued Nurse",
        "role": Role.NURSE.name,
        "temporaryPassword": TEMPORARY,
        "idempotencyKey": key,
    }
    answer = await api.run(CREATE_STAFF, admin.token, input=input)
    return answer["createStaffAccount"]  # type: ignore[no-any-return]


async def test_password_work_past_the_queue_is_unavailable_at_once_and_its_retry_goes_through(
    api: Api, staff: dict[Role, Staff], held_hashes: HeldHashes
) -> None:
    admin = staff[Role.ADMIN]
    # Given as many password resets as the hashing queue holds, their hashes held
    queued = await _accounts(MAX_WAITING)
    late, *_ = await _accounts(1)
    resets = [
        asyncio.create_task(_reset(api, admin, account, uuid.uuid4().hex)) for account in queued
    ]

    async def in_flight() -> int:
        return PASSWORD_WORK.in_flight

    await eventually(
        in_flight, lambda n: n == MAX_WAITING, timeout=WITHIN_SECONDS, what="hashes queued"
    )
    # When one more reset and a new account are asked for
    reset_key, create_key = uuid.uuid4().hex, uuid.uuid4().hex
    username = f"queued-{uuid.uuid4().hex[:10]}"
    async with asyncio.timeout(WITHIN_SECONDS):
        refused = [
            await _reset(api, admin, late, reset_key),
            await _create(api, admin, username, create_key),
        ]
    # Then both are told to come back, at once (the queued hashes are still held), and nothing
    # of them is written, their keys not even claimed
    assert [(r["__typename"], r.get("retryAfterSeconds")) for r in refused] == [
        ("Unavailable", RETRY_AFTER_SECONDS)
    ] * 2, refused
    assert not any(task.done() for task in resets)
    unchanged = await StaffAccount.get(id=late.id)
    assert (unchanged.password_hash, unchanged.must_change_password) == (late.password_hash, False)
    assert not await StaffAccount.exists(username=username)
    assert not await IdempotencyKey.exists(key__in=[reset_key, create_key])
    # And once the hashes are let go, the queued resets are made, never more than the hashing
    # threads at once
    held_hashes.release()
    async with asyncio.timeout(WITHIN_SECONDS):
        answered = await asyncio.gather(*resets)
    assert {a["__typename"] for a in answered} == {"StaffAccountPayload"}, answered
    assert held_hashes.most_at_once <= WORKERS
    # And the refused requests, sent again with their keys, are made
    again = [
        await _reset(api, admin, late, reset_key),
        await _create(api, admin, username, create_key),
    ]
    assert [a["__typename"] for a in again] == ["StaffAccountPayload"] * 2, again
    changed = await StaffAccount.get(id=late.id)
    assert changed.must_change_password and changed.password_hash != late.password_hash
    assert await StaffAccount.exists(username=username)
