"""Migration 0039 gives each journey event already stored its journey's clinic, and leaves the
journey log append-only as it found it (on a database of its own, of the session's kind)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.store.append_only import is_append_only_refusal
from domain.store.models import JourneyEvent
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_client, old_journey, old_row
from tests.store.money_rows import utc

BEFORE = "models.0038_phone_keys_dialled_abroad"


async def _event(journey_id: str, seq: int) -> None:
    await old_row(
        JourneyEvent,
        journey_id=journey_id,
        seq=seq,
        action="nudge",
        to_stage="PAYMENT",
        actor_id="system",
        actor_role="SYSTEM",
        at=utc(3),
        summary=f"event {seq}",
    )


async def _clinic_with_a_journey(clinic_id: str) -> str:
    """A clinic, a client and a journey of hers, with the columns their rows had at 0038: the
    journey's id."""
    journey_id = f"j-{clinic_id}"
    client = await old_client(clinic_id, stage_slas={})
    await old_journey(journey_id, client, "PAYMENT", clinic_id=clinic_id, stuck=False)
    return journey_id


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def test_stored_events_get_their_journey_s_clinic_and_stay_append_only(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0038 left it: two clinics' journeys with events, and an event whose
    # journey has no row
    async with migration_templates.migrated_to(BEFORE) as config:
        clinics = ["c-1", "c-2"]
        for clinic_id in clinics:
            journey_id = await _clinic_with_a_journey(clinic_id)
            for seq in (1, 2):
                await _event(journey_id, seq)
        await _event("no-row", 1)
        before = await _rows("SELECT id, journey_id, seq FROM journey_event ORDER BY id")

        # When the migrations run to the end
        await migrate(config=config)

        # Then every event is there as it was, with its journey's clinic (none without a row)
        after = await _rows(
            "SELECT e.id, e.journey_id, e.seq, e.clinic_id, j.clinic_id AS journeys"
            " FROM journey_event e LEFT JOIN journey j ON j.id = e.journey_id ORDER BY e.id"
        )
        assert [{k: row[k] for k in ("id", "journey_id", "seq")} for row in after] == before
        assert [row["clinic_id"] for row in after] == [row["journeys"] for row in after]
        assert {row["clinic_id"] for row in after} == {*clinics, None}
        # And the log refuses to be changed, as before the migration
        db = connections.get("default")
        for change in (
            "UPDATE journey_event SET clinic_id = 'another'",
            "UPDATE journey_event SET summary = 'rewritten'",
            "DELETE FROM journey_event",
        ):
            with pytest.raises(IntegrityError) as refused:
                await db.execute_query(change)
            assert is_append_only_refusal(refused.value), change
