"""A live subscriber's replay (`schema.supervision.log_replay`) reads its clinic's events through
the index on `journey_event (clinic_id, id)`: before, it walked every clinic's newest events by
id and kept its clinic's, so its cost followed the whole database (`tests.query_plans`)."""

from __future__ import annotations

from tortoise import connections

from domain.store.models import JourneyEvent
from domain.store.sql import is_postgres
from schema.supervision.log_replay import Interest, missed_events, newest_event_id
from tests.query_plans import indexes_searched, whole_reads
from tests.sql_statements import reads_naming
from tests.store import money_rows
from tests.store.money_rows import utc

ALERTS = Interest(frozenset({"nudge", "escalate"}))


async def _clinic_index() -> str | None:
    """The name of the index on journey_event (clinic_id, id), if there is one."""
    db = connections.get("default")
    if is_postgres(db):
        query = "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'journey_event'"
        query += " AND indexdef LIKE '%(clinic_id, id)'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
        query += " AND tbl_name = 'journey_event' AND sql LIKE '%(\"clinic_id\", \"id\")'"
    rows = await db.execute_query_dict(query)
    return str(rows[0]["name"]) if rows else None


async def test_the_replay_reads_its_clinic_s_events_through_their_index() -> None:
    # Given two clinics, each with a journey nudged, moved and escalated
    ours, theirs = await money_rows.clinic(), await money_rows.clinic()
    for clinic_id in (ours, theirs):
        journey_id = await money_rows.journey(clinic_id, utc(3))
        for seq, action in enumerate(("nudge", "move", "escalate"), start=1):
            await JourneyEvent.create(
                journey_id=journey_id,
                clinic_id=clinic_id,
                seq=seq,
                action=action,
                to_stage="PAYMENT",
                actor_id="system",
                actor_role="SYSTEM",
                at=utc(3),
                summary=action,
            )
    # When one clinic's alerts are replayed
    upto = await newest_event_id()
    with reads_naming("journey_event") as statements:
        missed = await missed_events(ours, ALERTS, 0, upto)
    # Then they are its own, read through the index on the clinic's events
    assert [(event.action, row.clinic_id) for row, event in missed] == [
        ("nudge", ours),
        ("escalate", ours),
    ]
    index = await _clinic_index()
    assert index, "journey_event has no index on (clinic_id, id)"
    pages = [statement for statement in statements if "LIMIT" in statement[0].upper()]
    assert pages, "the replay read no page of events"
    for page in pages:
        assert await indexes_searched(page, "journey_event") == {index}, page[0]
    assert await whole_reads(statements, ["journey_event"]) == []
