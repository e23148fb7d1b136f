"""A medication the client has stopped: recorded by amending its entry with `stoppedOn`, so the
file's current medication is what she takes, and what she took stays readable. Any clinician
who records medications may record a stop; the rest of the entry stays its author's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from domain.roles import Role
from domain.store.client_file import ClientEntry
from tests.api.audit_support import raw_client
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
ISOTRETINOIN = {"name": "isotretinoin", "dose": "20 mg", "since": "2026-01-05"}


def _yesterday() -> str:
    return (clinic_today() - timedelta(days=1)).isoformat()


async def _amend(
    clinic: JourneyDriver, role: Role, entry_id: str, reason: str = "stopped", **medication: Any
) -> dict[str, Any]:
    """`amendClientEntry` of a medication: ISOTRETINOIN with `medication`'s fields in place."""
    return await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        role,
        entryId=entry_id,
        reason=reason,
        medication={**ISOTRETINOIN, **medication},
    )


async def _taken(clinic: JourneyDriver) -> tuple[str, dict[str, Any]]:
    """A client, and ISOTRETINOIN as the nurse recorded it for her."""
    client = await clinic.register_client()
    taken = await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, **ISOTRETINOIN)
    return client, taken


async def test_a_stop_is_an_amendment_and_the_medication_as_taken_stays_readable(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a medication she takes
    clinic = await fresh_clinic()
    client, taken = await _taken(clinic)
    assert taken["stoppedOn"] is None
    # When the nurse records that she stopped it yesterday
    answer = await _amend(clinic, Role.NURSE, taken["id"], stoppedOn=_yesterday())
    stopped = answer["entry"]
    # Then the amendment in force says the day, and the entry as it was is still read
    assert (stopped["stoppedOn"], stopped["amendsId"], stopped["inForce"]) == (
        _yesterday(),
        taken["id"],
        True,
    )
    first, second = await nodes(clinic, client, "medications")
    assert (first["stoppedOn"], first["inForce"]) == (None, False)
    assert second == stopped


async def test_a_stop_before_the_start_or_after_today_is_refused(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a medication taken since 2026-01-05
    clinic = await fresh_clinic()
    client, taken = await _taken(clinic)
    tomorrow = (clinic_today() + timedelta(days=1)).isoformat()
    # When a stop is given before that day, or after today
    early = await _amend(clinic, Role.NURSE, taken["id"], stoppedOn="2026-01-04")
    late = await _amend(clinic, Role.NURSE, taken["id"], stoppedOn=tomorrow)
    # Then each is a typed problem of the medication's `stoppedOn`, and nothing is written
    assert early["problems"] == [
        {
            "field": "medication.stoppedOn",
            "message": "before the day she began taking it (2026-01-05)",
        }
    ]
    assert [p["field"] for p in late["problems"]] == ["medication.stoppedOn"]
    assert late["problems"][0]["message"].startswith("in the future")
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == 1


async def test_any_clinician_records_a_stop_but_only_the_author_changes_the_rest(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a medication the nurse recorded
    clinic = await fresh_clinic()
    client, taken = await _taken(clinic)
    # When the expert records a stop and changes the dose with it, or the front desk tries
    changed = await _amend(clinic, Role.EXPERT, taken["id"], stoppedOn=_yesterday(), dose="40 mg")
    desk = await _amend(clinic, Role.FRONT_DESK, taken["id"], stoppedOn=_yesterday())
    # Then neither is taken: the rest of the entry is its author's to correct, and the desk
    # does not read medications at all
    assert changed["__typename"] == "NotAuthorized", changed
    assert desk["__typename"] == "NotFound", desk
    # When the expert records the stop alone
    stopped = await _amend(clinic, Role.EXPERT, taken["id"], stoppedOn=_yesterday())
    # Then it is her amendment, in force
    assert stopped["__typename"] == "ClientEntryPayload", stopped
    assert stopped["entry"]["authorRole"] == "EXPERT"
    assert stopped["entry"]["stoppedOn"] == _yesterday()
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == 2


async def test_who_records_a_stop_does_not_take_over_the_rest_of_the_entry(
    fresh_clinic: FreshClinic,
) -> None:
    # Given the nurse's medication, which the expert has recorded as stopped
    clinic = await fresh_clinic()
    client, taken = await _taken(clinic)
    answer = await _amend(clinic, Role.EXPERT, taken["id"], stoppedOn=_yesterday())
    stopped = answer["entry"]
    # When the expert then renames her stop's entry, or marks it entered in error
    renamed = await _amend(clinic, Role.EXPERT, stopped["id"], "another", name="paracetamol")
    marked = await write(
        clinic, MARK_ENTERED_IN_ERROR, Role.EXPERT, entryId=stopped["id"], reason="wrong"
    )
    # Then neither is hers to do: the rest of the entry is still the nurse's
    assert renamed["__typename"] == "NotAuthorized", renamed
    assert marked["__typename"] == "NotAuthorized", marked
    # And a wrong stop day from the expert is a field problem, as it would be the nurse's
    early = await _amend(clinic, Role.EXPERT, stopped["id"], stoppedOn="2026-01-04")
    assert [p["field"] for p in early["problems"]] == ["medication.stoppedOn"], early
    # And the nurse corrects the dose of the entry in force, the stop kept
    answer = await _amend(
        clinic, Role.NURSE, stopped["id"], "10 mg", stoppedOn=_yesterday(), dose="10 mg"
    )
    corrected = answer["entry"]
    assert (corrected["dose"], corrected["stoppedOn"]) == ("10 mg", _yesterday())
    in_force = [m for m in await nodes(clinic, client, "medications") if m["inForce"]]
    assert [m["id"] for m in in_force] == [corrected["id"]]
