"""Migration 0052 keeps the request that closed a task with its closing
(`task_closing.request_id`): the closings an older release wrote stay as written, with none, the
table stays append-only, and the way back drops the column alone (on a database of its own, of
the session's kind)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.store.aftercare import TaskClosing
from domain.store.append_only import is_append_only_refusal
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row
from tests.store.money_rows import utc

BEFORE = "models.0051_name_keys_comparable"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def _refused(change: str) -> None:
    with pytest.raises(IntegrityError) as refused:
        await connections.get("default").execute_query(change)
    assert is_append_only_refusal(refused.value), change


async def test_stored_closings_keep_no_request_and_stay_append_only(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0051 left it, with a task closed by hand
    async with migration_templates.migrated_to(BEFORE) as config:
        await old_row(
            TaskClosing,
            task_id="task-1",
            clinic_id="c-1",
            journey_id="j-1",
            kind="LOW_SURVEY_SCORE",
            closed_by="supervisor-1",
            closed_by_role="SUPERVISOR",
            closed_at=utc(3),
            note="called back",
        )

        # When the migrations run to the end
        await migrate(config=config)

        # Then the closing reads as written, with no request, in the column and through the ORM
        after = await _rows("SELECT task_id, note, request_id FROM task_closing")
        assert [(r["task_id"], r["note"], r["request_id"]) for r in after] == [
            ("task-1", "called back", None)
        ]
        assert (await TaskClosing.get(task_id="task-1")).request_id is None
        # And a closing can name its request, and none can be changed, as before the migration
        await TaskClosing.create(
            task_id="task-2",
            clinic_id="c-1",
            journey_id="j-2",
            kind="COMPLICATION",
            closed_by="expert-1",
            closed_by_role="EXPERT",
            closed_at=utc(4),
            note="seen again, healed",
            request_id="request-2",
        )
        await _refused("UPDATE task_closing SET request_id = 'request-1'")
        await _refused("DELETE FROM task_closing")

        # When it is rolled back to the release before, and run to the end again
        await migrate(config=config, target=BEFORE)
        columns = await _rows("SELECT * FROM task_closing WHERE task_id = 'task-1'")
        assert "request_id" not in columns[0]
        await _refused("DELETE FROM task_closing")
        await migrate(config=config)

        # Then both closings are there, with no request kept, still append-only
        again = await _rows("SELECT task_id, request_id FROM task_closing ORDER BY task_id")
        assert [(r["task_id"], r["request_id"]) for r in again] == [
            ("task-1", None),
            ("task-2", None),
        ]
        await _refused("DELETE FROM task_closing")
