"""Migration 0048 keeps the code of the rule that marked a journey stuck on its row
(`journey.stuck_reason_code`): a journey an older release marked stuck keeps its words alone and
reads, and filters, as they say; the way back drops the column alone (on a database of its own,
of the session's kind)."""

from __future__ import annotations

from typing import Any

from tortoise import connections
from tortoise.migrations.api import migrate

from domain.journey.stuck_reasons import StuckReason
from domain.store.models import Journey
from domain.store.stuck_codes import code_of, reads_as
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_client, old_journey
from tests.store.money_rows import utc

BEFORE = "models.0047_staff_senior_title"
WINDOW_WORDS = "follow-up 24h not made within 24 hours of the treatment"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def _stuck_journeys_of_an_older_release() -> None:
    """A journey stuck as its first call missed its window, one stuck in consent, and one not
    stuck, as the release before wrote them."""
    client = await old_client(stage_slas={})
    journeys = [
        ("j-call", "FOLLOW_UP", WINDOW_WORDS),
        ("j-consent", "CONSENT", "CONSENT for more than 3 day(s)"),
        ("j-moving", "PAYMENT", None),
    ]
    for journey_id, stage, words in journeys:
        await old_journey(
            journey_id,
            client,
            stage,
            sla_deadline=utc(3),
            stuck=words is not None,
            stuck_since=utc(3) if words else None,
            stuck_reason=words,
        )


async def _codes() -> list[tuple[str, StuckReason | None]]:
    return [(j.id, code_of(j)) for j in await Journey.all().order_by("id")]


async def _listed(code: StuckReason) -> list[str]:
    query = Journey.filter(clinic_id="c-1", stuck=True).filter(reads_as(code))
    return [j.id for j in await query.order_by("id")]


async def test_journeys_stuck_before_read_and_filter_by_their_words(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0047 left it, with journeys stuck and not
    async with migration_templates.migrated_to(BEFORE) as config:
        await _stuck_journeys_of_an_older_release()

        # When the migrations run to the end
        await migrate(config=config)

        # Then no row holds a code, and each stuck one reads, and is listed, as its words say
        rows = await _rows("SELECT id, stuck_reason_code FROM journey ORDER BY id")
        assert [(r["id"], r["stuck_reason_code"]) for r in rows] == [
            ("j-call", None),
            ("j-consent", None),
            ("j-moving", None),
        ]
        assert await _codes() == [
            ("j-call", StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED),
            ("j-consent", StuckReason.STAGE_OVERDUE),
            ("j-moving", None),
        ]
        assert await _listed(StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED) == ["j-call"]
        assert await _listed(StuckReason.STAGE_OVERDUE) == ["j-consent"]
        assert await _listed(StuckReason.FOLLOW_UP_CALL_OVERDUE) == []
        # And a code written since is the one read and filtered by, whatever the words say
        await Journey.filter(id="j-call").update(stuck_reason_code="FOLLOW_UP_CALL_OVERDUE")
        assert (await _codes())[0] == ("j-call", StuckReason.FOLLOW_UP_CALL_OVERDUE)
        assert await _listed(StuckReason.FOLLOW_UP_CALL_OVERDUE) == ["j-call"]
        assert await _listed(StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED) == []

        # When it is rolled back to the release before, and run to the end again
        await migrate(config=config, target=BEFORE)
        columns = await _rows("SELECT * FROM journey WHERE id = 'j-call'")
        assert "stuck_reason_code" not in columns[0]
        assert columns[0]["stuck_reason"] == WINDOW_WORDS
        await migrate(config=config)

        # Then the journeys are there, read from their words again
        assert await _codes() == [
            ("j-call", StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED),
            ("j-consent", StuckReason.STAGE_OVERDUE),
            ("j-moving", None),
        ]
