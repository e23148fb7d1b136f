"""A medication the client has stopped: recorded by amending its entry with `stoppedOn`, so the
file's current medication is what she takes, and what she took stays readable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

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


async def test_a_stop_is_an_amendment_and_the_medication_as_taken_stays_readable(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a medication she takes
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    taken = await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, **ISOTRETINOIN)
    assert taken["stoppedOn"] is None
    # When the nurse records that she stopped it yesterday
    yesterday = (clinic_today() - timedelta(days=1)).isoformat()
    stopped = await entry(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.NURSE,
        entryId=taken["id"],
        reason="stopped",
        medication={**ISOTRETINOIN, "stoppedOn": yesterday},
    )
    # Then the amendment in force says the day, and the entry as it was is still read
    assert (stopped["stoppedOn"], stopped["amendsId"], stopped["inForce"]) == (
        yesterday,
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
    client = await clinic.register_client()
    taken = await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, **ISOTRETINOIN)
    tomorrow = (clinic_today() + timedelta(days=1)).isoformat()
    # When a stop is given before that day, or after today
    answers = [
        await write(
            clinic,
            AMEND_CLIENT_ENTRY,
            Role.NURSE,
            entryId=taken["id"],
            reason="stopped",
            medication={**ISOTRETINOIN, "stoppedOn": day},
        )
        for day in ("2026-01-04", tomorrow)
    ]
    early, late = answers
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
    client = await clinic.register_client()
    taken = await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, **ISOTRETINOIN)
    yesterday = (clinic_today() - timedelta(days=1)).isoformat()

    async def amend(role: Role, **medication: object) -> dict[str, object]:
        return await write(
            clinic,
            AMEND_CLIENT_ENTRY,
            role,
            entryId=taken["id"],
            reason="stopped",
            medication={**ISOTRETINOIN, **medication},
        )

    # When the expert records a stop and changes the dose with it, or the front desk tries
    changed = await amend(Role.EXPERT, stoppedOn=yesterday, dose="40 mg")
    desk = await amend(Role.FRONT_DESK, stoppedOn=yesterday)
    # Then neither is taken: the rest of the entry is its author's to correct, and the desk
    # does not read medications at all
    assert changed["__typename"] == "NotAuthorized", changed
    assert desk["__typename"] == "NotFound", desk
    # When the expert records the stop alone
    stopped = await amend(Role.EXPERT, stoppedOn=yesterday)
    # Then it is her amendment, in force
    assert stopped["__typename"] == "ClientEntryPayload", stopped
    assert stopped["entry"]["authorRole"] == "EXPERT"
    assert stopped["entry"]["stoppedOn"] == yesterday
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == 2


async def test_who_records_a_stop_does_not_take_over_the_rest_of_the_entry(
    fresh_clinic: FreshClinic,
) -> None:
    # Given the nurse's medication, which the expert has recorded as stopped
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    taken = await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, **ISOTRETINOIN)
    yesterday = (clinic_today() - timedelta(days=1)).isoformat()
    stop = {**ISOTRETINOIN, "stoppedOn": yesterday}
    stopped = await entry(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.EXPERT,
        entryId=taken["id"],
        reason="stopped",
        medication=stop,
    )
    # When the expert then renames her stop's entry, or marks it entered in error
    renamed = await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.EXPERT,
        entryId=stopped["id"],
        reason="another medicine",
        medication={"name": "paracetamol", "dose": "1 g"},
    )
    marked = await write(
        clinic, MARK_ENTERED_IN_ERROR, Role.EXPERT, entryId=stopped["id"], reason="wrong"
    )
    # Then neither is hers to do: the rest of the entry is still the nurse's
    assert renamed["__typename"] == "NotAuthorized", renamed
    assert marked["__typename"] == "NotAuthorized", marked
    # And a wrong stop day from the expert is a field problem, as it would be the nurse's
    early = await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.EXPERT,
        entryId=stopped["id"],
        reason="stopped earlier",
        medication={**stop, "stoppedOn": "2026-01-04"},
    )
    assert [p["field"] for p in early["problems"]] == ["medication.stoppedOn"], early
    # And the nurse corrects the dose of the entry in force, the stop kept
    corrected = await entry(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.NURSE,
        entryId=stopped["id"],
        reason="the dose was 10 mg",
        medication={**stop, "dose": "10 mg"},
    )
    assert (corrected["dose"], corrected["stoppedOn"]) == ("10 mg", yesterday)
    in_force = [m for m in await nodes(clinic, client, "medications") if m["inForce"]]
    assert [m["id"] for m in in_force] == [corrected["id"]]
