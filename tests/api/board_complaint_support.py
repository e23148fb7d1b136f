"""For the tests of `supervisorBoard(complaintCounts: true)`: the board's documents, what an
update says in a line, and a marker change written once the test has heard what it expects, so
that what the board says after it shows nothing more was said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.journey.stages import Stage
from schema.ids import encode_id
from tests.api.alert_support import event_row, facts_of
from tests.api.harness import eventually
from tests.api.live import WAIT, HandFed, Pushes, subscribers_of
from tests.store.money_rows import journey

FIELDS = "change cursor openComplaints overdueComplaints journey { id }"
BOARD = f"""
subscription Board($clinicId: ID!, $after: ID, $announce: Boolean! = false) {{
  supervisorBoard(
    clinicId: $clinicId, after: $after, announceStart: $announce, complaintCounts: true
  ) {{ {FIELDS} }}
}}"""
# The board as a screen written before complaint counts subscribes to it.
BOARD_AS_BEFORE = """
subscription Board($clinicId: ID!, $after: ID) {
  supervisorBoard(clinicId: $clinicId, after: $after) { change cursor journey { id } }
}"""


def said(update: dict[str, Any]) -> str:
    """An update in a line: COMPLAINTS with its counts (open/overdue), a change with its
    journey."""
    if update["change"] == "COMPLAINTS":
        assert update["journey"] is None, update
        return f"COMPLAINTS {update['openComplaints']}/{update['overdueComplaints']}"
    journey_field = update["journey"]
    return f"{update['change']} {journey_field['id'] if journey_field else '-'}"


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


async def heard(fed: HandFed, updates: Pushes) -> str:
    """What the board says next once the feed has read what was written."""
    await fed.feed.poll_once()
    return said(await updates.next())


async def until_marker(
    fed: HandFed, updates: Pushes
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every update up to a marker, a journey's first change written now, and the marker's."""
    now = datetime.now(UTC)
    marker_id = await journey(fed.clinic_id, now)
    await event_row(marker_id, 1, facts_of(Stage.PAYMENT, marker_id, fed.clinic_id), now).save()
    await fed.feed.poll_once()
    marker = f"MOVED {encode_id('Journey', marker_id)}"
    told: list[dict[str, Any]] = []
    while True:
        update: dict[str, Any] = await updates.next()
        if said(update) == marker:
            return told, update
        told.append(update)


async def said_until_marker(fed: HandFed, updates: Pushes) -> list[str]:
    """Every update up to a marker, in a line each."""
    told, _marker = await until_marker(fed, updates)
    return [said(update) for update in told]


async def gone(fed: HandFed, listeners: int = 0) -> None:
    """Once the board that left is gone, the feed reads on as its tick would."""
    feed = fed.feed
    await eventually(subscribers_of(feed), lambda n: n == listeners, timeout=WAIT, what="gone")
    await feed.poll_once()
