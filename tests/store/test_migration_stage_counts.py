"""Migration 0025 fills the board's counters and stays from the journeys already there, exactly
as the projection would have kept them (on a database of its own, of the session's kind)."""

from __future__ import annotations

from typing import Any

from tortoise.migrations.api import migrate

from domain.journey.facts import JourneyFacts
from domain.store.models import Journey, JourneyEvent, StageStay
from domain.store.projection import apply_change, journey_values
from domain.store.stage_counts import check_counters, kept
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row
from tests.store.stage_plan import plan
from tests.store.test_stage_counts import _clinic, _grouped

BEFORE = "models.0024_task_change"
# The journey row's columns added since 0024 (the code of why it is stuck, 0048).
ADDED_SINCE = ("stuck_reason_code",)


def _row_at_0024(facts: JourneyFacts) -> dict[str, Any]:
    """The journey's row as the projection writes it, with the columns it had at 0024."""
    values = journey_values(facts)
    return {column: value for column, value in values.items() if column not in ADDED_SINCE}


async def _stays(clinic_id: str) -> set[tuple[str, int, str, float]]:
    rows = await StageStay.filter(clinic_id=clinic_id).values_list(
        "journey_id", "seq", "stage", "seconds"
    )
    return {(j.removeprefix(clinic_id), s, stage, round(n, 3)) for j, s, stage, n in rows}


async def test_counters_and_stays_are_filled_from_the_rows_there_are(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0024 left it, with journeys and their logs written
    async with migration_templates.migrated_to(BEFORE) as config:
        old = await _clinic()
        last = {}
        for change in plan(old):
            event = change.event
            await old_row(
                JourneyEvent,
                journey_id=event.journey_id,
                seq=event.seq,
                action=event.action,
                from_stage=event.from_stage.value if event.from_stage else None,
                to_stage=event.to_stage.value,
                actor_id=event.actor.user_id,
                actor_role=event.actor.role.value,
                at=event.at,
                summary=event.summary,
            )
            last[event.journey_id] = change.facts
        for facts in last.values():
            await old_row(Journey, id=facts.journey_id, **_row_at_0024(facts))

        # When the migrations run to the end
        await migrate(config=config)

        # Then the counters are the rows, grouped
        assert await kept(old) == await _grouped(old)
        assert await check_counters(old, repair=False) == []
        # And the stays are those the projection writes for the same changes
        new = await _clinic()
        for change in plan(new):
            await apply_change(change)
        assert await _stays(old) == await _stays(new)
        assert len(await _stays(old)) > 20
