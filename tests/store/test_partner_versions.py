"""A clinic's partners are read one row each, in the version in force, however many versions came
before (the list read every version of every partner and kept the last in Python)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.store.partner_reads import clinic_partners
from domain.store.partners import PartnerRegistration


async def _register(clinic: str, partner: str, version: int, name: str) -> None:
    await PartnerRegistration.create(
        id=str(uuid.uuid4()),
        partner_id=partner,
        clinic_id=clinic,
        version=version,
        name=name,
        premises_photo_ids=[],
        registered_by="supervisor-1",
        registered_at=datetime.now(UTC),
    )


async def test_each_partner_in_its_newest_version_by_its_newest_name() -> None:
    # Given a fresh clinic's three partners, two of them renamed in later versions, and another
    # clinic's partner
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    for version, name in enumerate(["Zorza", "Aurora", "Salon Beta"], start=1):
        await _register(clinic, "p-1", version, name)
    await _register(clinic, "p-2", 1, "Cleo")
    for version, name in enumerate(["alfa", "Delta"], start=1):
        await _register(clinic, "p-3", version, name)
    await _register(f"clinic-{uuid.uuid4().hex[:8]}", "p-4", 1, "Another clinic's")
    # Then the clinic's partners are each in its version in force, ordered by that name
    listed = [(r.partner_id, r.version, r.name) for r in await clinic_partners(clinic, limit=500)]
    assert listed == [("p-2", 1, "Cleo"), ("p-3", 2, "Delta"), ("p-1", 3, "Salon Beta")]
