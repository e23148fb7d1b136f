"""Migration 0011 (append-only) on a database that already holds journeys, on a database of its own.

Earlier versions deleted a draft while its event could still be on the way, so an event may
point at a record that is gone. The migration gives each such event a placeholder record that
says so (nothing existing is changed) and then holds the foreign key; on SQLite it rebuilds
`journey_event` and must keep its ids and unique constraints.
"""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from tests.migration_templates import MigrationTemplates

AT = "2026-01-05 09:00:00+00:00"
BEFORE = "models.0010_staff_administration"


def _event(seq: int, record_id: str | None) -> str:
    record = f"'{record_id}'" if record_id else "NULL"
    return (
        "INSERT INTO journey_event (journey_id, seq, action, to_stage, actor_id, actor_role,"
        f" at, summary, record_id) VALUES ('j-1', {seq}, 'step', 'TRIAGE', 'desk-1',"
        f" 'FRONT_DESK', '{AT}', 'step {seq}', {record})"
    )


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def test_events_pointing_at_deleted_drafts_get_a_placeholder_and_the_key_holds(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0010 left it: one event with its record, one whose record was
    # deleted as an "unattached" draft after all, one with no record
    async with migration_templates.migrated_to(BEFORE) as config:
        db = connections.get("default")
        await db.execute_query(
            "INSERT INTO journey_record (id, journey_id, kind, body, author_id, created_at)"
            f" VALUES ('r-kept', 'j-1', 'consultation', '{{}}', 'c-1', '{AT}')"
        )
        for seq, record in ((1, "r-kept"), (2, "r-deleted"), (3, None)):
            await db.execute_query(_event(seq, record))
        events_before = await _rows("SELECT id, seq, record_id FROM journey_event ORDER BY seq")

        # When the migrations run to the end (migrate() opens connections of its own)
        await migrate(config=config)
        db = connections.get("default")

        # Then every event is still there, unchanged
        assert await _rows("SELECT id, seq, record_id FROM journey_event ORDER BY seq") == (
            events_before
        )
        # And the deleted draft has a placeholder that says it was lost; the kept one is as it was
        records = await _rows(
            "SELECT id, journey_id, kind, author_id FROM journey_record ORDER BY id"
        )
        assert records == [
            {"id": "r-deleted", "journey_id": "j-1", "kind": "lost_record", "author_id": "system"},
            {"id": "r-kept", "journey_id": "j-1", "kind": "consultation", "author_id": "c-1"},
        ]
        # And from now on the foreign key and the old unique constraints hold
        for refused in (
            _event(4, "r-never-written"),  # a record that does not exist
            _event(1, None),  # (journey, seq) taken
            _event(4, "r-kept"),  # a record already attached
        ):
            with pytest.raises(IntegrityError):
                await db.execute_query(refused)
        # And new events still get fresh ids
        await db.execute_query(_event(4, None))
        (newest,) = await _rows("SELECT id FROM journey_event WHERE seq = 4")
        assert newest["id"] > max(e["id"] for e in events_before)
