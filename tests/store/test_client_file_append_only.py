"""The client file's tables refuse UPDATE and DELETE in the database itself, whatever path the
change takes (raw SQL, a queryset). Run on SQLite and on PostgreSQL by `python -m
tests.run_suites`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from domain.store.client_file import ClientEntry, ClientEntryError, ClientIdentityAmendment
from tests.support import registered_client

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CLINIC = "client-file-clinic"


def _id() -> str:
    return uuid.uuid4().hex


async def _entry() -> ClientEntry:
    client = await registered_client(client_id=f"client-{_id()}", clinic_id=CLINIC)
    return await ClientEntry.create(
        id=_id(),
        clinic_id=CLINIC,
        client_id=client,
        kind="ALLERGY",
        body={"substance": "as written", "reaction": "rash", "severity": "MILD"},
        author_id="nurse-1",
        author_role="NURSE",
        recorded_at=NOW,
    )


async def _mark() -> ClientEntryError:
    entry = await _entry()
    return await ClientEntryError.create(
        id=_id(),
        entry_id=entry.id,
        reason="as written",
        author_id="nurse-1",
        author_role="NURSE",
        marked_at=NOW,
    )


async def _identity() -> ClientIdentityAmendment:
    client = await registered_client(client_id=f"client-{_id()}", clinic_id=CLINIC)
    return await ClientIdentityAmendment.create(
        id=_id(),
        client_id=client,
        full_name="As Written",
        phone="+48 600 100 200",
        reason="married name",
        author_id="desk-1",
        author_role="FRONT_DESK",
        amended_at=NOW,
    )


# table -> (a fresh row, a text column an edit would change)
PROTECTED: dict[str, tuple[Callable[[], Awaitable[Model]], str]] = {
    "client_entry": (_entry, "author_id"),
    "client_entry_error": (_mark, "reason"),
    "client_identity_amendment": (_identity, "full_name"),
}


async def _snapshot(row: Model) -> dict[str, Any]:
    (found,) = await type(row).filter(pk=row.pk).values()
    return found


async def _refused(attempt: Awaitable[Any], table: str, statement: str) -> None:
    with pytest.raises(IntegrityError) as refused:
        await attempt
    assert f"{table} is append-only: {statement} refused" in str(refused.value)


@pytest.mark.parametrize("table", PROTECTED)
async def test_raw_sql_cannot_update_or_delete_a_file_row(table: str) -> None:
    # Given a row of the client file
    make, column = PROTECTED[table]
    row = await make()
    before = await _snapshot(row)
    where = f"\"id\" = '{row.pk}'"
    connection = connections.get("default")
    # When plain SQL tries to change or remove it, the database refuses, naming the table
    await _refused(
        connection.execute_query(f'UPDATE "{table}" SET "{column}" = \'forged\' WHERE {where}'),
        table,
        "UPDATE",
    )
    await _refused(
        connection.execute_query(f'DELETE FROM "{table}" WHERE {where}'), table, "DELETE"
    )
    # Then the row is exactly as written
    assert await _snapshot(row) == before


@pytest.mark.parametrize("table", PROTECTED)
async def test_querysets_cannot_update_or_delete_a_file_row(table: str) -> None:
    make, column = PROTECTED[table]
    row = await make()
    before = await _snapshot(row)
    rows = type(row).filter(pk=row.pk)
    await _refused(rows.update(**{column: "forged"}), table, "UPDATE")
    await _refused(rows.delete(), table, "DELETE")
    assert await _snapshot(row) == before


async def test_an_entry_is_corrected_at_most_once() -> None:
    # Corrections form a chain: a second correction of the same entry is refused
    original = await _entry()
    fields: dict[str, Any] = {
        "clinic_id": CLINIC,
        "client_id": original.client_id,
        "kind": "ALLERGY",
        "body": {},
        "author_id": "nurse-1",
        "author_role": "NURSE",
        "recorded_at": NOW,
        "amends_id": original.id,
        "reason": "corrected",
    }
    await ClientEntry.create(id=_id(), **fields)
    with pytest.raises(IntegrityError):
        await ClientEntry.create(id=_id(), **fields)
    assert await ClientEntry.filter(amends_id=original.id).count() == 1
