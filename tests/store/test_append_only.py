"""The database itself refuses to change append-only rows, whichever way the change comes.

Each protected table gets a fresh row; then raw SQL and Tortoise querysets try to update and
delete it, and the model instance tries too (the ORM-level refusal stays). Run on SQLite and
on PostgreSQL by `python -m tests.run_suites`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from tortoise import Tortoise, connections
from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from domain.store.append_only import is_append_only_refusal
from domain.store.complaints import Complaint, ComplaintChange, ComplaintEntry
from domain.store.models import (
    AppendOnlyModel,
    AppendOnlyViolation,
    Client,
    JourneyEvent,
    JourneyRecord,
    JourneyRecordVoid,
    StaffName,
)
from domain.store.partners import PartnerLapse, PartnerRegistration
from domain.store.triage_models import LeadContact, OwnershipTransfer, RevenueCredit, TriageEntry
from tests.support import registered_client

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CLINIC = "append-only-clinic"


def _id() -> str:
    return uuid.uuid4().hex


async def _record() -> Model:
    return await JourneyRecord.create(
        id=_id(), journey_id=_id(), kind="note", body={"text": "as written"}, author_id="a-1"
    )


async def _void() -> Model:
    record = await _record()
    return await JourneyRecordVoid.create(record_id=record.pk, reason="as written", at=NOW)


async def _event() -> Model:
    return await JourneyEvent.create(
        journey_id=_id(),
        seq=1,
        action="start_journey",
        to_stage="RECEPTION",
        actor_id="desk-1",
        actor_role="FRONT_DESK",
        at=NOW,
        summary="as written",
    )


async def _client() -> Model:
    await registered_client(client_id=f"client-{_id()}", clinic_id=CLINIC)
    return await Client.create(
        id=_id(),
        clinic_id=CLINIC,
        full_name="As Written",
        birth_date=date(1990, 1, 1),
        phone="+48 600 000 000",
        data_consent_at=NOW,
        registered_by="desk-1",
    )


async def _triage_entry() -> Model:
    return await TriageEntry.create(
        clinic_id=_id(),
        seq=1,
        day="2026-01-05",
        kind="assigned",
        at=NOW,
        actor_id="desk-1",
        reason="as written",
        policy="default",
        details={},
    )


async def _transfer() -> Model:
    return await OwnershipTransfer.create(
        clinic_id=CLINIC,
        client_id=_id(),
        consultant_id="c-1",
        reason="as written",
        entry_seq=1,
        at=NOW,
    )


async def _credit() -> Model:
    return await RevenueCredit.create(
        clinic_id=CLINIC,
        journey_id=_id(),
        consultant_id="c-1",
        percent=100,
        rule="as written",
        entry_seq=1,
        at=NOW,
    )


async def _lead() -> Model:
    return await LeadContact.create(
        clinic_id=CLINIC,
        client_id=_id(),
        consultant_id="c-1",
        channel="as written",
        at=NOW,
        recorded_by="desk-1",
    )


async def _partner_registration() -> Model:
    return await PartnerRegistration.create(
        id=_id(),
        partner_id=_id(),
        clinic_id=CLINIC,
        version=1,
        name="as written",
        agreement_reference="AG-1",
        bank_details="as written",
        premises_photo_ids=["ph-1"],
        registered_by="sup-1",
        registered_at=NOW,
    )


async def _partner_lapse() -> Model:
    return await PartnerLapse.create(
        clinic_id=CLINIC, partner_id=_id(), milestone="FIRST_DEAL", due_at=NOW, flagged_at=NOW
    )


async def _staff_name() -> Model:
    return await StaffName.create(
        account_id=_id(), clinic_id=CLINIC, display_name="Ewa Nowak", since=NOW, after_seq=0
    )


async def _complaint() -> Model:
    client = await registered_client(client_id=f"client-{_id()}", clinic_id=CLINIC)
    return await Complaint.create(
        id=_id(),
        clinic_id=CLINIC,
        client_id=client,
        channel="PHONE",
        description="as written",
        received_at=NOW,
        first_answer_due_at=NOW,
        recorded_by="desk-1",
        recorded_by_role="FRONT_DESK",
        recorded_at=NOW,
    )


async def _complaint_entry() -> Model:
    complaint = await _complaint()
    return await ComplaintEntry.create(
        id=_id(),
        clinic_id=CLINIC,
        complaint_id=complaint.pk,
        kind="RESOLUTION",
        outcome="UPHELD",
        note="as written",
        recorded_by="sup-1",
        recorded_by_role="SUPERVISOR",
        recorded_at=NOW,
    )


async def _complaint_change() -> Model:
    return await ComplaintChange.create(
        clinic_id=CLINIC, complaint_id=_id(), kind="RECORDED", at=NOW
    )


# table -> (a fresh row, a text column an edit would change)
PROTECTED: dict[str, tuple[Callable[[], Awaitable[Model]], str]] = {
    "client": (_client, "full_name"),
    "journey_event": (_event, "summary"),
    "journey_record": (_record, "kind"),
    "journey_record_void": (_void, "reason"),
    "triage_entry": (_triage_entry, "reason"),
    "ownership_transfer": (_transfer, "reason"),
    "revenue_credit": (_credit, "rule"),
    "lead_contact": (_lead, "channel"),
    "partner_registration": (_partner_registration, "bank_details"),
    "partner_lapse": (_partner_lapse, "milestone"),
    "staff_name": (_staff_name, "display_name"),
    "complaint": (_complaint, "description"),
    "complaint_entry": (_complaint_entry, "note"),
    "complaint_change": (_complaint_change, "kind"),
}


def _dialect() -> str:
    return str(connections.get("default").capabilities.dialect)


async def _snapshot(row: Model) -> dict[str, Any]:
    found = await type(row).filter(pk=row.pk).values()
    assert len(found) == 1
    return found[0]


async def _refused(attempt: Awaitable[Any], table: str, statement: str) -> None:
    with pytest.raises(IntegrityError) as refused:
        await attempt
    assert f"{table} is append-only: {statement} refused" in str(refused.value)
    assert is_append_only_refusal(refused.value)


@pytest.mark.parametrize("table", PROTECTED)
async def test_raw_sql_cannot_update_or_delete_a_row(table: str) -> None:
    # Given a row in an append-only table
    make, column = PROTECTED[table]
    row = await make()
    before = await _snapshot(row)
    pk = f"\"{type(row)._meta.db_pk_column}\" = '{row.pk}'"
    connection = connections.get("default")
    # When plain SQL tries to change it or remove it, the database refuses, naming the table
    await _refused(
        connection.execute_query(f'UPDATE "{table}" SET "{column}" = \'forged\' WHERE {pk}'),
        table,
        "UPDATE",
    )
    await _refused(connection.execute_query(f'DELETE FROM "{table}" WHERE {pk}'), table, "DELETE")
    # Then the row is exactly as written
    assert await _snapshot(row) == before


@pytest.mark.parametrize("table", PROTECTED)
async def test_an_insert_cannot_replace_a_row(table: str) -> None:
    # Given a row in an append-only table
    make, column = PROTECTED[table]
    row = await make()
    before = await _snapshot(row)
    pk_column = type(row)._meta.db_pk_column
    columns = list(type(row)._meta.fields_db_projection.values())
    chosen = ", ".join("'forged'" if c == column else f'"{c}"' for c in columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    copy = f'SELECT {chosen} FROM "{table}" WHERE "{pk_column}" = \'{row.pk}\''
    # When an insert of a forged copy asks to replace it: SQLite's REPLACE deletes the row it
    # clashes with (a delete that fires its trigger only with recursive triggers on), and
    # PostgreSQL's ON CONFLICT DO UPDATE updates it
    if _dialect() == "sqlite":
        replace, statement = f'INSERT OR REPLACE INTO "{table}" ({listed}) {copy}', "DELETE"
    else:
        clash = f'ON CONFLICT ("{pk_column}") DO UPDATE SET "{column}" = \'forged\''
        replace, statement = f'INSERT INTO "{table}" ({listed}) {copy} {clash}', "UPDATE"
    await _refused(connections.get("default").execute_query(replace), table, statement)
    # Then the row is exactly as written
    assert await _snapshot(row) == before


@pytest.mark.parametrize("table", PROTECTED)
async def test_querysets_cannot_update_or_delete_a_row(table: str) -> None:
    make, column = PROTECTED[table]
    row = await make()
    before = await _snapshot(row)
    rows = type(row).filter(pk=row.pk)
    await _refused(rows.update(**{column: "forged"}), table, "UPDATE")
    await _refused(rows.delete(), table, "DELETE")
    assert await _snapshot(row) == before


@pytest.mark.parametrize("table", PROTECTED)
async def test_the_model_still_refuses_before_the_database_is_asked(table: str) -> None:
    make, column = PROTECTED[table]
    row = await make()
    before = await _snapshot(row)
    setattr(row, column, "forged")
    with pytest.raises(AppendOnlyViolation):
        await row.save()
    with pytest.raises(AppendOnlyViolation):
        await row.delete()
    assert await _snapshot(row) == before


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["journey_event", "triage_entry", "lead_contact"])
async def test_truncate_is_refused_on_postgresql(table: str) -> None:
    # Tables no foreign key points at, so the refusal is the trigger's, not a constraint's
    row = await PROTECTED[table][0]()
    await _refused(
        connections.get("default").execute_query(f'TRUNCATE "{table}"'), table, "TRUNCATE"
    )
    assert await type(row).exists(pk=row.pk)


async def _tables_with_refusing_triggers() -> set[str]:
    connection = connections.get("default")
    if _dialect() == "sqlite":
        rows = await connection.execute_query_dict(
            "SELECT tbl_name AS t, name FROM sqlite_master WHERE type = 'trigger'"
        )
        names = {(r["t"], r["name"]) for r in rows}
        return {
            t for t, _ in names if {(t, f"{t}_refuse_update"), (t, f"{t}_refuse_delete")} <= names
        }
    rows = await connection.execute_query_dict(
        "SELECT c.relname AS t, t.tgname AS name FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
    )
    names = {(r["t"], r["name"]) for r in rows}
    return {t for t, _ in names if (t, f"{t}_append_only") in names}


async def test_every_append_only_model_is_protected_by_the_database() -> None:
    # A table added as an AppendOnlyModel must get the triggers in its migration
    # (domain.store.append_only.protect_tables), or this fails.
    append_only = {
        model._meta.db_table
        for model in Tortoise.apps["models"].values()
        if issubclass(model, AppendOnlyModel)
    }
    assert set(PROTECTED) <= append_only
    assert append_only - await _tables_with_refusing_triggers() == set()


async def test_an_event_cannot_point_at_a_record_that_does_not_exist() -> None:
    if _dialect() == "sqlite":
        # SQLite checks foreign keys only when the connection turns them on
        assert await connections.get("default").execute_query_dict("PRAGMA foreign_keys") == [
            {"foreign_keys": 1}
        ]
    # Given a journey with no records
    journey_id = _id()
    event = {
        "journey_id": journey_id,
        "action": "record_consultation",
        "to_stage": "CONSULTATION",
        "actor_id": "c-1",
        "actor_role": "CONSULTANT",
        "at": NOW,
        "summary": "consulted",
    }
    # When an event names a record that is not there, the foreign key refuses it
    with pytest.raises(IntegrityError):
        await JourneyEvent.create(seq=1, record_id=f"missing-{_id()}", **event)
    assert await JourneyEvent.filter(journey_id=journey_id).count() == 0
    # And an event naming a record that is there is accepted
    record = await _record()
    await JourneyEvent.create(seq=1, record_id=record.pk, **event)
    assert await JourneyEvent.filter(journey_id=journey_id).values_list("record_id", flat=True) == [
        record.pk
    ]
    # And the record it points at cannot be removed from under it
    with pytest.raises(IntegrityError):
        await JourneyRecord.filter(pk=record.pk).delete()
