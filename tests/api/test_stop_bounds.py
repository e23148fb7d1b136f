"""What keeps a medication's stop from becoming a way round the contraindication check: a stop
more than a year back is its author's (or a supervisor's) to record, a wrong stop is cleared by
amending it, the stops in a row on one entry are bounded, and a key reused with more than a stop
is a Conflict for whoever sends it (`schema/clients/medication_stops.py`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from domain.client_file.contraindications import STOPPED_MEDICATION_COUNTS_DAYS
from domain.roles import Role
from schema.clients import medication_stops
from tests.api.client_file_support import (
    AMEND_CLIENT_ENTRY,
    MARK_ENTERED_IN_ERROR,
    RECORD_MEDICATION,
    entry,
    nodes,
    write,
)
from tests.api.flow import JourneyDriver
from tests.api.harness import clinic_today

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
# No `since`: a stop of any day after her birth is then a day she could have stopped.
ISOTRETINOIN = {"name": "isotretinoin", "dose": "20 mg"}


def _days_ago(days: int) -> str:
    return (clinic_today() - timedelta(days=days)).isoformat()


async def _amend(
    clinic: JourneyDriver, role: Role, entry_id: str, **medication: Any
) -> dict[str, Any]:
    """`amendClientEntry` of ISOTRETINOIN with `medication`'s fields in place; an
    `idempotencyKey` among them goes to the input."""
    key = {"idempotencyKey": medication.pop("key")} if "key" in medication else {}
    medication = {**ISOTRETINOIN, **medication}
    return await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        role,
        entryId=entry_id,
        reason="stop",
        medication=medication,
        **key,
    )


async def _taken(clinic: JourneyDriver) -> tuple[str, dict[str, Any]]:
    """A client, and ISOTRETINOIN as the nurse recorded it for her."""
    client = await clinic.register_client()
    taken = await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, **ISOTRETINOIN)
    return client, taken


def _problem(answer: dict[str, Any]) -> tuple[str, str]:
    assert answer["__typename"] == "ValidationFailed", answer
    ((field, message),) = [(p["field"], p["message"]) for p in answer["problems"]]
    return field, message


async def test_a_stop_more_than_a_year_back_is_the_author_s_to_record(
    fresh_clinic: FreshClinic,
) -> None:
    # Given the nurse's medication
    clinic = await fresh_clinic()
    _, taken = await _taken(clinic)
    long_ago = _days_ago(STOPPED_MEDICATION_COUNTS_DAYS + 35)
    # When the expert records that she stopped it more than a year back
    expert = await _amend(clinic, Role.EXPERT, taken["id"], stoppedOn=long_ago)
    # Then it is a problem of the stop's day: it would end the medication's reasons at once
    field, message = _problem(expert)
    assert field == "medication.stoppedOn"
    assert "its author or a supervisor records it" in message
    # And the nurse, whose entry it is, records it
    nurse = await _amend(clinic, Role.NURSE, taken["id"], stoppedOn=long_ago)
    assert nurse["__typename"] == "ClientEntryPayload", nurse
    assert nurse["entry"]["stoppedOn"] == long_ago


async def test_a_wrong_stop_is_cleared_and_a_mark_retracts_the_medication_with_it(
    fresh_clinic: FreshClinic,
) -> None:
    # Given the nurse's medication, which the expert recorded as stopped yesterday
    clinic = await fresh_clinic()
    client, taken = await _taken(clinic)
    stop = (await _amend(clinic, Role.EXPERT, taken["id"], stoppedOn=_days_ago(1)))["entry"]
    # When the expert clears her stop (she did not stop)
    cleared = (await _amend(clinic, Role.EXPERT, stop["id"], stoppedOn=None))["entry"]
    # Then the medication is in force as taken, the stop's entry kept
    assert (cleared["stoppedOn"], cleared["inForce"]) == (None, True)
    # When the nurse marks the latest version entered in error (it was never this client's)
    marked = await write(
        clinic, MARK_ENTERED_IN_ERROR, Role.NURSE, entryId=cleared["id"], reason="not hers"
    )
    # Then the medication is out of force, every version of it still listed
    assert marked["__typename"] == "ClientEntryPayload", marked
    listed = await nodes(clinic, client, "medications")
    assert [m["inForce"] for m in listed] == [False, False, False]


async def test_a_key_reused_with_more_than_a_stop_is_a_conflict(
    fresh_clinic: FreshClinic,
) -> None:
    # Given the expert's stop of the nurse's medication under one key
    clinic = await fresh_clinic()
    _, taken = await _taken(clinic)
    first = await _amend(clinic, Role.EXPERT, taken["id"], stoppedOn=_days_ago(1), key="stop-1")
    assert first["__typename"] == "ClientEntryPayload", first
    # When the same key comes again with the dose changed too
    again = await _amend(
        clinic, Role.EXPERT, taken["id"], stoppedOn=_days_ago(1), dose="40 mg", key="stop-1"
    )
    # Then it is a Conflict, as it is for the author, not a refusal of who is asking
    assert again["__typename"] == "Conflict", again


async def test_the_stops_in_a_row_on_one_entry_are_bounded(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an entry may take two stops in a row, and the nurse's medication has them
    monkeypatch.setattr(medication_stops, "MOST_STOPS", 2)
    clinic = await fresh_clinic()
    _, taken = await _taken(clinic)
    latest = taken
    for days in (1, 2):
        latest = (await _amend(clinic, Role.EXPERT, latest["id"], stoppedOn=_days_ago(days)))[
            "entry"
        ]
    # When a third stop comes
    third = await _amend(clinic, Role.EXPERT, latest["id"], stoppedOn=_days_ago(3))
    # Then it is refused: past the bound, who answers for the entry could not be found
    field, message = _problem(third)
    assert field == "medication.stoppedOn"
    assert message.startswith("its stop was changed 2 times in a row")
    # And the entry is still the nurse's: the expert may not rename it
    renamed = await _amend(clinic, Role.EXPERT, latest["id"], name="paracetamol")
    assert renamed["__typename"] == "NotAuthorized", renamed
    # And the nurse's correction of the dose ends the row: a stop is taken again after it
    dose = await _amend(clinic, Role.NURSE, latest["id"], stoppedOn=_days_ago(2), dose="10 mg")
    assert dose["__typename"] == "ClientEntryPayload", dose
    after = await _amend(
        clinic, Role.EXPERT, dose["entry"]["id"], stoppedOn=_days_ago(3), dose="10 mg"
    )
    assert after["__typename"] == "ClientEntryPayload", after
