"""What a correction or a mark of a ward's record (seed 003: the observation after an
operation, the ward round) reads again under its journey's row lock (`client_file_writes`), as
the other parts' are read under the client's (`test_file_writes_under_lock`): of a correction
and a mark of one record sent at once, only the first to be written stands, and the second is
answered as the other parts' are. Of two corrections of it, the second is refused on the
correction's unique column, lock or none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.client_file.kinds import EntryKind
from domain.roles import Role
from domain.store.client_file import ClientEntry, ClientEntryError
from schema.clients import file_corrections
from schema.clients.file_types import ENTRY_ID_TYPE
from schema.ids import decode_id
from tests.api import ward_task_support as ward
from tests.api.client_file_support import MARK_ENTERED_IN_ERROR, write
from tests.api.flow import JourneyDriver
from tests.api.post_op_support import (
    AMEND,
    RECORD_OBSERVATION,
    observation_in_the_first_hours,
    surgical_type,
)
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
Write = Callable[..., Awaitable[Any]]
Sent = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Reading:
    """A nurse's reading in the ward: its journey's read-model id, its entry's id (global and
    raw), and the fields a correction of it gives."""

    journey_id: str
    entry_id: str
    raw_id: str
    fields: dict[str, Any]


def _amend(clinic: JourneyDriver, reading: Reading, pulse: int) -> Awaitable[dict[str, Any]]:
    corrected = {**reading.fields, "vitals": {**reading.fields["vitals"], "pulse": pulse}}
    return write(
        clinic,
        AMEND,
        Role.NURSE,
        entryId=reading.entry_id,
        reason="misread",
        postOpObservation=corrected,
    )


def _mark(clinic: JourneyDriver, reading: Reading) -> Awaitable[dict[str, Any]]:
    entry_id = reading.entry_id
    return write(clinic, MARK_ENTERED_IN_ERROR, Role.NURSE, entryId=entry_id, reason="not hers")


def _after_the_other(real: Write, other: Sent) -> Write:
    """`real`, run once `other` (the rival request, sent over HTTP) has answered: as if the
    rival came in after this request's checks and was written first. The rival, when it goes
    through `real` too, is not held."""
    answers: list[dict[str, Any]] = []
    sent: list[bool] = []

    async def held(*args: Any, **kwargs: Any) -> Any:
        if not sent:
            sent.append(True)
            answers.append(await other())
        return await real(*args, **kwargs)

    held.answers = answers  # type: ignore[attr-defined]
    return held


async def _observed(clinic: JourneyDriver) -> Reading:
    """The nurse's reading of the second hour after an operation."""
    client = await clinic.register_client()
    ended = datetime.now(UTC) - timedelta(hours=2, minutes=40)
    jid = await ward.operated(clinic, client, await surgical_type(clinic), ended)
    input = observation_in_the_first_hours(jid, ended + timedelta(hours=1, minutes=55))
    recorded = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=input)
    assert recorded["__typename"] == "ClientEntryPayload", recorded
    entry_id = str(recorded["entry"]["id"])
    raw_id = decode_id(entry_id, ENTRY_ID_TYPE)
    assert raw_id is not None
    fields = {k: v for k, v in input.items() if k not in ("journeyId", "idempotencyKey")}
    return Reading(ward.raw(jid), entry_id, raw_id, fields)


async def _corrections_of(reading: Reading) -> list[str | None]:
    """What each record of the reading's journey corrects (None: an original)."""
    kept = await ClientEntry.filter(kind=EntryKind.POST_OP_OBSERVATION.value).order_by("id")
    mine = [entry for entry in kept if entry.body.get("journey_id") == reading.journey_id]
    return [entry.amends_id for entry in mine]


async def test_a_mark_written_while_a_ward_records_correction_was_checked_refuses_it(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the nurse's reading, and her correction of it checked while her mark of it is sent
    clinic = await fresh_clinic()
    reading = await _observed(clinic)
    held = _after_the_other(file_corrections.write_entry, lambda: _mark(clinic, reading))
    monkeypatch.setattr(file_corrections, "write_entry", held)
    # When the correction is written after the mark
    corrected = await _amend(clinic, reading, pulse=88)
    # Then the mark stands alone: the correction is a Conflict, and nothing corrects the reading
    (marked,) = held.answers  # type: ignore[attr-defined]
    assert marked["__typename"] == "ClientEntryPayload", marked
    assert corrected["__typename"] == "Conflict", corrected
    assert "marked entered in error" in corrected["message"]
    assert await _corrections_of(reading) == [None]


async def test_a_correction_written_while_a_ward_records_mark_was_checked_refuses_it(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the nurse's reading, and her mark of it checked while her correction is sent
    clinic = await fresh_clinic()
    reading = await _observed(clinic)
    held = _after_the_other(file_corrections.mark_in_error, lambda: _amend(clinic, reading, 88))
    monkeypatch.setattr(file_corrections, "mark_in_error", held)
    # When the mark is written after the correction
    marked = await _mark(clinic, reading)
    # Then the correction stands alone, in force: the mark is a Conflict, and was not written
    (corrected,) = held.answers  # type: ignore[attr-defined]
    assert corrected["__typename"] == "ClientEntryPayload", corrected
    assert marked["__typename"] == "Conflict", marked
    assert "already corrected" in marked["message"]
    assert sorted(await _corrections_of(reading), key=lambda a: a or "") == [None, reading.raw_id]
    assert not await ClientEntryError.filter(entry_id=reading.raw_id).exists()


async def test_two_corrections_of_one_ward_record_make_no_fork(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the nurse's reading, and her correction of it checked while another one is sent
    clinic = await fresh_clinic()
    reading = await _observed(clinic)
    held = _after_the_other(file_corrections.write_entry, lambda: _amend(clinic, reading, 90))
    monkeypatch.setattr(file_corrections, "write_entry", held)
    # When the correction is written after the other
    corrected = await _amend(clinic, reading, pulse=88)
    # Then the other stands alone, and the second is a Conflict as another part's is: an entry
    # has one correction (its column is unique, `ClientEntry.amends`)
    (first,) = held.answers  # type: ignore[attr-defined]
    assert first["__typename"] == "ClientEntryPayload", first
    assert first["entry"]["vitals"]["pulse"] == 90
    assert corrected["__typename"] == "Conflict", corrected
    assert "already corrected" in corrected["message"]
    assert sorted(await _corrections_of(reading), key=lambda a: a or "") == [None, reading.raw_id]
