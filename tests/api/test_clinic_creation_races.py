"""`createClinic` sent twice at once under one key (a client retrying while its first attempt
still runs) answers both attempts with the one clinic: the first attempt, slower than its
retry, took the clinic its retry had made for another request's and answered Conflict."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from domain.roles import Role
from domain.store.models import Clinic
from schema import idempotency
from tests.api.harness import Api, Staff
from tests.api.test_administration import CREATE_CLINIC

WAIT = 30.0  # seconds: bounded waits for the held attempt


async def test_a_first_attempt_overtaken_by_its_retry_answers_the_clinic_its_retry_made(
    api: Api, staff: dict[Role, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = staff[Role.ADMIN]
    clinic_id = f"race-{uuid.uuid4().hex[:10]}"
    input = {
        "clinicId": clinic_id,
        "name": "Klinika Wyścig",
        "timezone": "Europe/Warsaw",
        "idempotencyKey": uuid.uuid4().hex,
    }
    # Given the first attempt held right after it claims the key
    claim = idempotency.claim
    claimed, release = asyncio.Event(), asyncio.Event()
    first = [True]

    async def held_first(*args: Any, **kwargs: Any) -> Any:
        ledger = await claim(*args, **kwargs)
        if first.pop() if first else False:
            claimed.set()
            await release.wait()
        return ledger

    monkeypatch.setattr(idempotency, "claim", held_first)
    attempt = asyncio.create_task(api.run(CREATE_CLINIC, admin.token, input=input))
    await asyncio.wait_for(claimed.wait(), WAIT)
    # When its retry, under the same key, runs to its end first
    retried = (await api.run(CREATE_CLINIC, admin.token, input=input))["createClinic"]
    release.set()
    answered = (await asyncio.wait_for(attempt, WAIT))["createClinic"]
    # Then both are answered with the clinic, and one clinic was made
    assert retried["__typename"] == "ClinicPayload", retried
    assert answered == retried
    assert await Clinic.filter(id=clinic_id).count() == 1


async def test_a_clinic_id_another_request_took_is_still_a_conflict(
    api: Api, staff: dict[Role, Staff]
) -> None:
    admin = staff[Role.ADMIN]
    clinic_id = f"taken-{uuid.uuid4().hex[:10]}"
    given = {"clinicId": clinic_id, "name": "Klinika", "timezone": "Europe/Warsaw"}
    made = await api.run(
        CREATE_CLINIC, admin.token, input={**given, "idempotencyKey": uuid.uuid4().hex}
    )
    assert made["createClinic"]["__typename"] == "ClinicPayload", made
    # When another request (another key) names the same clinic id
    again = {**given, "name": "Inna Klinika", "idempotencyKey": uuid.uuid4().hex}
    taken = (await api.run(CREATE_CLINIC, admin.token, input=again))["createClinic"]
    # Then it is told the id is taken, and the clinic is as first made
    assert taken["__typename"] == "Conflict", taken
    assert (await Clinic.get(id=clinic_id)).name == "Klinika"
