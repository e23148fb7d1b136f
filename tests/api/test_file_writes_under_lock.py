"""What a write to the client file reads again under her row's lock (`client_file_writes`): a
correction and a mark of one entry sent at once, of which only the first to be written stands;
and how many entries her file holds, no more than her own copy carries."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from domain.store import client_file_writes
from domain.store.bounded_append import BroughtAboutFault
from domain.store.client_file import ClientEntry, ClientEntryError
from schema.clients import file_corrections
from tests.api.audit_support import clinic_of, raw_client
from tests.api.client_file_support import (
    ADD_SERVICE_CARD_ENTRY,
    ALLERGY,
    AMEND_CLIENT_ENTRY,
    MARK_ENTERED_IN_ERROR,
    RECORD_ALLERGY,
    entry,
    write,
)
from tests.api.flow import JourneyDriver

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
DRINKS = {"section": "PREFERENCE_DRINKS", "note": "green tea"}
Write = Callable[..., Awaitable[Any]]


def _amend(clinic: JourneyDriver, entry_id: str) -> Awaitable[dict[str, Any]]:
    allergy = {**ALLERGY, "severity": "SEVERE"}
    return write(
        clinic, AMEND_CLIENT_ENTRY, Role.NURSE, entryId=entry_id, reason="worse", allergy=allergy
    )


def _mark(clinic: JourneyDriver, entry_id: str) -> Awaitable[dict[str, Any]]:
    return write(clinic, MARK_ENTERED_IN_ERROR, Role.NURSE, entryId=entry_id, reason="not hers")


def _after_the_other(real: Write, other: Callable[[], Awaitable[dict[str, Any]]]) -> Write:
    """`real`, run once `other` (the rival request, sent over HTTP) has answered: as if the
    rival came in after this request's checks and was written first."""
    answers: list[dict[str, Any]] = []

    async def held(*args: Any, **kwargs: Any) -> Any:
        if not answers:
            answers.append(await other())
        return await real(*args, **kwargs)

    held.answers = answers  # type: ignore[attr-defined]
    return held


async def _allergy(clinic: JourneyDriver) -> tuple[str, dict[str, Any]]:
    client = await clinic.register_client()
    return client, await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)


async def test_a_mark_written_while_a_correction_was_checked_refuses_the_correction(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the nurse's allergy, and her correction of it checked while her mark of it is sent
    clinic = await fresh_clinic()
    client, allergy = await _allergy(clinic)
    held = _after_the_other(file_corrections.write_entry, lambda: _mark(clinic, allergy["id"]))
    monkeypatch.setattr(file_corrections, "write_entry", held)
    # When the correction is written after the mark
    corrected = await _amend(clinic, allergy["id"])
    # Then the mark stands alone: the correction is a Conflict, and nothing corrects the entry
    (marked,) = held.answers  # type: ignore[attr-defined]
    assert marked["__typename"] == "ClientEntryPayload", marked
    assert corrected["__typename"] == "Conflict", corrected
    assert "marked entered in error" in corrected["message"]
    theirs = ClientEntry.filter(client_id=raw_client(client))
    assert await theirs.filter(amends_id__isnull=False).count() == 0


async def test_a_correction_written_while_a_mark_was_checked_refuses_the_mark(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the nurse's allergy, and her mark of it checked while her correction is sent
    clinic = await fresh_clinic()
    client, allergy = await _allergy(clinic)
    held = _after_the_other(file_corrections.mark_in_error, lambda: _amend(clinic, allergy["id"]))
    monkeypatch.setattr(file_corrections, "mark_in_error", held)
    # When the mark is written after the correction
    marked = await _mark(clinic, allergy["id"])
    # Then the correction stands alone, in force: the mark is a Conflict, and was not written
    (corrected,) = held.answers  # type: ignore[attr-defined]
    assert corrected["__typename"] == "ClientEntryPayload", corrected
    assert corrected["entry"]["inForce"] is True
    assert marked["__typename"] == "Conflict", marked
    assert "already corrected" in marked["message"]
    theirs = await ClientEntry.filter(client_id=raw_client(client)).values_list("id", flat=True)
    assert await ClientEntryError.filter(entry_id__in=theirs).count() == 0


async def test_her_file_takes_no_more_entries_than_her_copy_carries(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a file with room for two more entries
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    held = await ClientEntry.filter(client_id=raw_client(client)).count()
    monkeypatch.setattr(client_file_writes, "MAX_ENTRIES", held + 2)
    card = {"clientId": client, **DRINKS}
    first = await entry(clinic, ADD_SERVICE_CARD_ENTRY, Role.NURSE, **card, idempotencyKey="c-1")
    await entry(clinic, ADD_SERVICE_CARD_ENTRY, Role.NURSE, **card, idempotencyKey="c-2")
    # When a third note is added, the first is sent again, and an allergy is recorded
    third = await write(clinic, ADD_SERVICE_CARD_ENTRY, Role.NURSE, **card, idempotencyKey="c-3")
    again = await entry(clinic, ADD_SERVICE_CARD_ENTRY, Role.NURSE, **card, idempotencyKey="c-1")
    allergy = await write(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    # Then the third is refused on the client, and the retry answers its first entry
    assert third["__typename"] == "ValidationFailed", third
    assert [p["field"] for p in third["problems"]] == ["clientId"]
    assert "as many as her own copy of the file carries" in third["problems"][0]["message"]
    assert again["id"] == first["id"]
    # And the allergy is taken all the same: the check before a treatment must learn of it
    assert allergy["__typename"] == "ClientEntryPayload", allergy
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == held + 3


async def _service_card(clinic: JourneyDriver) -> dict[str, Any]:
    """A service-card entry's fields, as `write_entry` takes them, for a new client."""
    return {
        "clinic_id": await clinic_of(clinic),
        "client_id": raw_client(await clinic.register_client()),
        "kind": "SERVICE_CARD",
        "body": DRINKS,
        "author": ("desk", "FRONT_DESK"),
    }


async def test_a_retry_whose_entry_was_written_finds_it_in_a_full_file(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a service-card entry written under an id by a first attempt whose answer was lost,
    # and a file full since
    written = await _service_card(await fresh_clinic())
    client = written["client_id"]
    entry_id, other_id = f"entry-{uuid.uuid4()}", f"entry-{uuid.uuid4()}"
    first = await client_file_writes.write_entry(entry_id, **written)
    assert isinstance(first, ClientEntry)
    held = await ClientEntry.filter(client_id=client).count()
    monkeypatch.setattr(client_file_writes, "MAX_ENTRIES", held)
    # When the retry writes it again, and another request writes a new one
    again = await client_file_writes.write_entry(entry_id, **written)
    other = await client_file_writes.write_entry(other_id, **written)
    # Then the retry finds its entry, and only the new one is refused
    assert isinstance(again, ClientEntry) and again.id == first.id
    assert other is client_file_writes.Refused.FULL


async def test_a_fault_in_what_a_write_brings_about_is_not_taken_for_a_retry(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an entry, and a write of another whose consequence breaks an integrity rule (the
    # first entry's id written again, as no path does)
    written = await _service_card(await fresh_clinic())
    first = await client_file_writes.write_entry(f"entry-{uuid.uuid4()}", **written)
    assert isinstance(first, ClientEntry)

    async def duplicate(_: object) -> None:
        copied = ("clinic_id", "client_id", "kind", "body", "author_id", "author_role")
        await ClientEntry.create(
            id=first.id, recorded_at=first.recorded_at, **{f: getattr(first, f) for f in copied}
        )

    # When a new entry, or a mark of the first, is written with it, Then the fault is raised:
    # not answered as a retry's row, a correction or a mark found
    entry_id, mark_id = f"entry-{uuid.uuid4()}", f"mark-{uuid.uuid4()}"
    with pytest.raises(BroughtAboutFault):
        await client_file_writes.write_entry(entry_id, **written, along_with=duplicate)
    with pytest.raises(BroughtAboutFault):
        await client_file_writes.mark_in_error(
            mark_id,
            first.id,
            reason="wrong client",
            author=("desk", "FRONT_DESK"),
            along_with=duplicate,
        )
    # And nothing of either stands
    assert not await ClientEntry.exists(id=entry_id)
    assert not await ClientEntryError.exists(id=mark_id)
