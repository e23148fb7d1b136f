"""Requests racing in one clinic extend one chain: no fork, no gap, no entry lost."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from domain.audit import Access, Viewer
from domain.roles import Role
from domain.store.audit_chain import append_accesses, verify_chain
from domain.store.audit_models import AuditEntry
from tests.api.audit_support import CLIENT, clinic_of
from tests.api.flow import JourneyDriver
from tests.api.harness import Api

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
READERS = (Role.FRONT_DESK, Role.CONSULTANT, Role.EXPERT, Role.NURSE, Role.SUPERVISOR)


async def _assert_one_unbroken_chain(clinic_id: str, entries: int) -> None:
    chain = await AuditEntry.filter(clinic_id=clinic_id).order_by("seq")
    assert [entry.seq for entry in chain] == list(range(1, entries + 1))
    assert await verify_chain(clinic_id) == (entries, None)


async def test_concurrent_requests_in_one_clinic_keep_one_chain(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a clinic with no audit entries yet
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    assert await AuditEntry.filter(clinic_id=clinic_id).count() == 0
    # When ten registrations race (the first ones also race to start the clinic's chain)
    names = [f"Klientka Równoległa {n}" for n in range(10)]
    clients = await asyncio.gather(*(clinic.register_client(name) for name in names))
    # And then twenty reads by five roles race
    reads = [
        api.run(CLIENT, clinic.token(READERS[n % len(READERS)]), id=clients[n % len(clients)])
        for n in range(20)
    ]
    answers = await asyncio.gather(*reads)
    assert [a["client"]["__typename"] for a in answers] == ["Client"] * 20
    # Then every access has its entry, in one chain with no gap, that verifies
    await _assert_one_unbroken_chain(clinic_id, 10 * 2 + 20)


async def test_concurrent_appends_to_a_new_chain_never_fork(database: str) -> None:
    # Given a clinic no entry has been written for
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    viewers = [Viewer(f"staff-{n}", "SUPERVISOR", clinic_id, f"request-{n}") for n in range(40)]
    # When forty batches of two are appended at once
    batches = [
        append_accesses(v, [Access("client-a", "client.read"), Access("client-b", "journey.read")])
        for v in viewers
    ]
    written = await asyncio.gather(*batches)
    # Then each batch took two consecutive places in the one chain
    assert sorted(len(w) for w in written) == [2] * 40
    for (first, first_hash), (second, _) in written:
        assert second.seq == first.seq + 1
        assert second.prev_hash == first_hash
    await _assert_one_unbroken_chain(clinic_id, 80)
