"""A client and the keys it is found by are written together or not at all, and the check for
a client the clinic already has and the registration are one step: a process lost between the
client and its keys left a client never matched, and two desks registering one new person at
the same moment both found nothing and made two clients."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.client_file import ClientIdentityAmendment, ClientMatchKey
from schema.clients import identity, mutations
from tests.api.audit_support import clinic_of, raw_client
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, write
from tests.api.flow import JourneyDriver, new_key
from tests.api.live import WAIT
from tests.api.test_client_duplicates import ANNA, clients_of, register

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


def _keys_lost_once(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    """The next write of a client's keys fails, as a process lost there would leave it."""
    record = module.record_match_keys

    async def lost(*args: Any) -> None:
        monkeypatch.setattr(module, "record_match_keys", record)
        raise RuntimeError("the process died here")

    monkeypatch.setattr(module, "record_match_keys", lost)


async def _keys_of(clinic: JourneyDriver) -> int:
    return await ClientMatchKey.filter(clinic_id=await clinic_of(clinic)).count()


async def test_a_registration_lost_before_its_keys_leaves_nothing_of_the_client(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a registration whose process is lost as it writes the client's keys
    clinic = await fresh_clinic()
    key = new_key()
    _keys_lost_once(monkeypatch, mutations)
    with pytest.raises(TransportQueryError):
        await register(clinic, **ANNA, idempotencyKey=key)
    # Then nothing of the client was written
    assert (await clients_of(clinic), await _keys_of(clinic)) == (0, 0)
    # And its retry registers her once, found by whoever registers her again
    made = await register(clinic, **ANNA, idempotencyKey=key)
    assert made["__typename"] == "ClientPayload", made
    again = await register(clinic, **ANNA, idempotencyKey=new_key())
    assert again["existingClientIds"] == [made["client"]["id"]], again
    assert await clients_of(clinic) == 1


async def test_a_correction_lost_before_its_keys_leaves_nothing_of_the_amendment(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client, and a correction of her phone whose process is lost as it writes the keys
    clinic = await fresh_clinic()
    anna = (await register(clinic, **ANNA))["client"]["id"]
    correction = {
        "clientId": anna,
        "phone": "+48 600 100 299",
        "reason": "her own number",
        "idempotencyKey": new_key(),
    }
    _keys_lost_once(monkeypatch, identity)
    with pytest.raises(TransportQueryError):
        await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **correction)
    # Then the identity page is as it was: no amendment without its keys
    assert not await ClientIdentityAmendment.exists(client_id=raw_client(anna))
    # And the retry corrects it, and the new phone finds her
    amended = await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **correction)
    assert amended["__typename"] == "ClientPayload", amended
    by_phone = await register(
        clinic, fullName="Someone", birthDate="1970-05-05", phone="+48600100299", dataConsent=True
    )
    assert (by_phone["existingClientIds"], by_phone["matchedOn"]) == ([anna], ["PHONE"])


async def test_two_desks_registering_one_new_person_at_once_make_one_client(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two desks registering Anna, each with its own key, the first held after it found
    # no such client until the second has looked too
    clinic = await fresh_clinic()
    held, go = asyncio.Event(), asyncio.Event()
    check = mutations.clients_matching
    looks: list[int] = []

    async def looked_at_once(*args: Any) -> Any:
        looks.append(len(looks) + 1)
        look = len(looks)
        found = await check(*args)
        if look == 1:
            held.set()
            await asyncio.wait_for(go.wait(), timeout=WAIT)
        elif look == 2:
            go.set()
        return found

    monkeypatch.setattr(mutations, "clients_matching", looked_at_once)
    first = asyncio.create_task(register(clinic, **ANNA, idempotencyKey=new_key()))
    await asyncio.wait_for(held.wait(), timeout=WAIT)
    second = register(clinic, **ANNA, idempotencyKey=new_key())
    answers = await asyncio.wait_for(asyncio.gather(first, second), timeout=WAIT)

    # Then one registers her and the other is told of her: one client
    kinds = sorted(answer["__typename"] for answer in answers)
    assert kinds == ["ClientAlreadyRegistered", "ClientPayload"], answers
    (made,) = (a["client"]["id"] for a in answers if a["__typename"] == "ClientPayload")
    (refused,) = (a for a in answers if a["__typename"] == "ClientAlreadyRegistered")
    assert refused["existingClientIds"] == [made], refused
    assert await clients_of(clinic) == 1
    # And a different person sharing her data is still registered on purpose
    twin = await register(clinic, **ANNA, registerAnyway=True, idempotencyKey=new_key())
    assert twin["__typename"] == "ClientPayload", twin
    assert await clients_of(clinic) == 2
