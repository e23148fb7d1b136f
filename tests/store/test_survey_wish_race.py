"""A phone survey recorded while the client's wish not to be asked about her results is written,
on PostgreSQL (its transactions run side by side under READ COMMITTED; SQLite has one writer at a
time, and the survey's check and write are one transaction there).

`recordSurvey` reads her wish before it claims its key; the wish's write commits its entry on
its own. Run side by side with nothing shared, the survey found no wish yet and was written
after she had said no. Her file's writes and the survey's write now take her row's lock, and
the survey reads her wish again under it: whichever commits second sees the other.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from domain.client_file.kinds import EntryKind, ServiceCardSection
from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.store.aftercare import SurveyResponse
from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.client_file_writes import mark_in_error, write_entry
from domain.store.models import Journey
from domain.store.projection import apply_change
from domain.store.ward_reopening import reopen_ward_tasks
from schema.aftercare import survey
from tests.store.held_race import Held, raced
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK

pytestmark = pytest.mark.postgres

SCORES = {"impression": 4, "trustInDoctor": 5, "priceJustified": 4, "quality": 5}


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches who waits for whom."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _handed_over() -> Journey:
    """A new client's journey, its treatment done and her handover under way."""
    clinic_id, client_id = await clinic_with_client("survey-race")
    facts = opening_facts(f"journey-{uuid.uuid4()}", clinic_id, client_id)
    opened = JourneyEvent(facts.journey_id, 1, "START", None, Stage.HANDOVER, DESK, START, "")
    after = dataclasses.replace(facts, stage=Stage.HANDOVER, event_seq=1)
    await apply_change(JourneyChange(opened, after))
    return await Journey.get(id=facts.journey_id)


async def _not_to_be_asked(journey: Journey) -> None:
    """Her service card's PHONE_WISHES: not to be asked about her results."""
    body = {"section": ServiceCardSection.PHONE_WISHES.value, "ask_about_results": False}
    await write_entry(
        str(uuid.uuid4()),
        clinic_id=journey.clinic_id,
        client_id=journey.client_id,
        kind=EntryKind.SERVICE_CARD.value,
        body=body,
        author=(DESK.user_id, DESK.role.value),
    )


async def _ward_record(journey: Journey) -> ClientEntry:
    """A nurse's reading on the ward, in her file."""
    entry = await write_entry(
        str(uuid.uuid4()),
        clinic_id=journey.clinic_id,
        client_id=journey.client_id,
        kind=EntryKind.POST_OP_OBSERVATION.value,
        body={"journey_id": journey.id, "observed_at": START.isoformat()},
        author=("nurse-1", "NURSE"),
    )
    assert entry is not None
    return entry


async def test_a_wish_written_while_the_survey_is_recorded_stops_it(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a treated client with no wish on her card, and her wish not to be asked held
    # written, uncommitted
    journey = await _handed_over()
    held = Held()
    monkeypatch.setattr(ClientEntry, "create", held.after(ClientEntry.create))
    refused: list[type[Exception]] = []

    async def surveyed() -> None:
        try:
            await survey._write(journey, str(uuid.uuid4()), SCORES, None, "follow-up-1")
        except survey.NotAsked as exc:
            refused.append(type(exc))

    # When her survey is recorded meanwhile
    await raced(observer, held, _not_to_be_asked(journey), surveyed)
    # Then the survey was refused for her wish, and nothing was written
    assert refused == [survey.NotAsked]
    assert not await SurveyResponse.filter(journey_id=journey.id).exists()


async def test_a_ward_record_marked_in_error_while_the_survey_is_recorded_both_go_through(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a treated client's ward reading, its mark in error held once written, before it
    # gives back the tasks the reading settled (which locks her journey's row)
    journey = await _handed_over()
    reading = await _ward_record(journey)
    held = Held()
    monkeypatch.setattr(ClientEntryError, "create", held.after(ClientEntryError.create))

    async def reopening(_mark: ClientEntryError) -> None:
        await reopen_ward_tasks(reading)

    marked = mark_in_error(
        str(uuid.uuid4()),
        reading.id,
        reason="another client's reading",
        author=("nurse-1", "NURSE"),
        along_with=reopening,
    )
    # When her survey is recorded meanwhile (her journey's row, then her own)
    surveyed = lambda: survey._write(journey, str(uuid.uuid4()), SCORES, None, "follow-up-1")  # noqa: E731
    await raced(observer, held, marked, surveyed)
    # Then both were written: the mark took no lock of hers the survey waits for while it
    # waits for the journey's (a deadlock, one of them failed)
    assert await SurveyResponse.filter(journey_id=journey.id).exists()
    assert await ClientEntryError.filter(entry_id=reading.id).exists()
