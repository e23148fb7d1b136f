"""A correction and a mark of one ward's record (seed 003's reading after an operation) written
side by side on PostgreSQL, under READ COMMITTED: read again in their own transactions, each
found nothing of the other's uncommitted row, and both stood. Both now lock the record's
journey first (`client_lock`), so the second waits for the first to commit and finds it, as a
correction and a mark of another part wait for the client's row (SQLite has one writer at a
time: `tests/api/test_ward_writes_under_lock.py` forces the order there)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from domain.client_file.kinds import EntryKind
from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.client_file_writes import Refused, mark_in_error, write_entry
from domain.store.models import Journey
from domain.store.projection import apply_change
from tests.store.held_race import Held, raced
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK

pytestmark = pytest.mark.postgres

NURSE = ("nurse-1", "NURSE")


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches who waits for whom."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _reading() -> ClientEntry:
    """A nurse's reading on the ward, in the file of a client whose journey is handed over."""
    clinic_id, client_id = await clinic_with_client("ward-race")
    facts = opening_facts(f"journey-{uuid.uuid4()}", clinic_id, client_id)
    opened = JourneyEvent(facts.journey_id, 1, "START", None, Stage.HANDOVER, DESK, START, "")
    after = dataclasses.replace(facts, stage=Stage.HANDOVER, event_seq=1)
    await apply_change(JourneyChange(opened, after))
    journey = await Journey.get(id=facts.journey_id)
    entry = await write_entry(
        str(uuid.uuid4()),
        clinic_id=journey.clinic_id,
        client_id=journey.client_id,
        kind=EntryKind.POST_OP_OBSERVATION.value,
        body={"journey_id": journey.id, "observed_at": START.isoformat(), "pulse": 72},
        author=NURSE,
    )
    assert isinstance(entry, ClientEntry)
    return entry


async def _correct(reading: ClientEntry, pulse: int) -> ClientEntry | Refused:
    return await write_entry(
        str(uuid.uuid4()),
        clinic_id=reading.clinic_id,
        client_id=reading.client_id,
        kind=reading.kind,
        body={**reading.body, "pulse": pulse},
        author=NURSE,
        amends_id=reading.id,
        reason="pulse misread",
    )


async def _mark(reading: ClientEntry) -> ClientEntryError | Refused:
    return await mark_in_error(
        str(uuid.uuid4()), reading.id, reason="another client's reading", author=NURSE
    )


async def test_a_ward_records_correction_written_while_its_mark_commits_is_refused(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a ward reading, its mark in error held once written, uncommitted
    reading = await _reading()
    held = Held()
    monkeypatch.setattr(ClientEntryError, "create", held.after(ClientEntryError.create))
    corrected: list[ClientEntry | Refused] = []

    async def correcting() -> None:
        corrected.append(await _correct(reading, 88))

    # When its correction is written meanwhile
    await raced(observer, held, _mark(reading), correcting)
    # Then the mark stands alone: the correction waited for it and was refused
    assert corrected == [Refused.MARKED]
    assert await ClientEntryError.filter(entry_id=reading.id).exists()
    assert not await ClientEntry.filter(amends_id=reading.id).exists()


async def test_a_ward_records_mark_written_while_its_correction_commits_is_refused(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a ward reading, its correction held once written, uncommitted
    reading = await _reading()
    held = Held()
    monkeypatch.setattr(ClientEntry, "create", held.after(ClientEntry.create))
    marked: list[ClientEntryError | Refused] = []

    async def marking() -> None:
        marked.append(await _mark(reading))

    # When its mark is written meanwhile
    await raced(observer, held, _correct(reading, 88), marking)
    # Then the correction stands alone, in force: the mark waited for it and was refused
    assert marked == [Refused.CORRECTED]
    assert await ClientEntry.filter(amends_id=reading.id).exists()
    assert not await ClientEntryError.filter(entry_id=reading.id).exists()


async def test_two_corrections_of_one_ward_record_make_no_fork(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a ward reading, a correction of it held once written, uncommitted
    reading = await _reading()
    held = Held()
    monkeypatch.setattr(ClientEntry, "create", held.after(ClientEntry.create))
    second: list[ClientEntry | Refused] = []

    async def correcting_again() -> None:
        second.append(await _correct(reading, 90))

    # When another correction of the same reading is written meanwhile
    await raced(observer, held, _correct(reading, 88), correcting_again)
    # Then the first stands alone: the second waited for it and was refused
    assert second == [Refused.CORRECTED]
    (kept,) = await ClientEntry.filter(amends_id=reading.id)
    assert kept.body["pulse"] == 88
