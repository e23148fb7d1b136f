"""A journey the desk reassigned within the month is credited, in the key-item ranking, to the
consultant of its latest assignment: the one later in the desk's log, whatever order the rows
were written in (an at-least-once writer may write an entry after those that followed it).
On SQLite the read is asked with unordered rows handed back in reverse (a read that leans on
the rows' order then gets the other one); PostgreSQL has no such switch: its order is its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise import connections

from domain.store.key_items import key_item_standings
from domain.store.sql import is_postgres
from domain.store.triage_models import TriageEntry
from tests.store.money_rows import clinic, journey, payment, utc


@asynccontextmanager
async def unordered_rows_reversed() -> AsyncIterator[None]:
    db = connections.get("default")
    if is_postgres(db):
        yield
        return
    await db.execute_script("PRAGMA reverse_unordered_selects = ON")
    try:
        yield
    finally:
        await db.execute_script("PRAGMA reverse_unordered_selects = OFF")


async def _assigned(clinic_id: str, journey_id: str, consultant: str, seq: int) -> None:
    await TriageEntry.create(
        clinic_id=clinic_id,
        seq=seq,
        day=utc(2).date().isoformat(),
        kind="ASSIGNED",
        at=utc(2, hour=9 + seq),
        actor_id="desk-1",
        consultant_id=consultant,
        journey_id=journey_id,
        counted=True,
        reason="rotation",
        policy="default v1",
        details={"category": "FIRST_VISIT", "item": "skin"},
    )


async def test_the_later_assignment_is_credited_whatever_the_rows_order() -> None:
    clinic_id = await clinic()
    reassigned = await journey(clinic_id, utc(2))
    await payment(reassigned, utc(4), "100.00")
    # Given the desk gave the journey to A (seq 1), then reassigned it to B (seq 2), and the
    # reassignment's row was written first
    await _assigned(clinic_id, reassigned, "B", seq=2)
    await _assigned(clinic_id, reassigned, "A", seq=1)
    # When the month's key-item ranking is read
    async with unordered_rows_reversed():
        standings = await key_item_standings(clinic_id, "2026-11", ("skin",))
    # Then B, who holds the journey last, is credited with it, and A not at all
    assert [(s.consultant_id, s.consultations, s.deals) for s in standings] == [("B", 1, 1)]
