"""For the tests of `supervisorBoard(complaintCounts: true)`: the board's documents, what an
update says in a line, and a marker change written once the test has heard what it expects, so
that what the board says after it shows nothing more was said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.journey.stages import Stage
from domain.roles import Role
from schema.ids import encode_id
from tests.api.alert_support import event_row, facts_of
from tests.api.complaint_support import complaint, taken
from tests.api.flow import JourneyDriver
from tests.api.harness import eventually
from tests.api.live import WAIT, HandFed, Pushes, reading, subscribers_of
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


@dataclass(frozen=True)
class Left:
    """A supervisor's board that said a complaint was recorded, then lost its connection."""

    token: str  # the supervisor's
    client_id: str  # the complainant
    complaint: dict[str, Any]  # as recorded
    last: dict[str, Any]  # the board's last update: its cursor is the one to come back with


async def left_after_a_complaint(driver: JourneyDriver, fed: HandFed, by: Role) -> Left:
    """A new client's complaint recorded by `by` while the supervisor's board watched, said,
    and the board gone."""
    token, client_id = driver.token(Role.SUPERVISOR), await driver.register_client()
    watch = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        recorded = await taken(driver, by, **complaint(client_id))
        await fed.feed.poll_once()
        last = await updates.next()
    await gone(fed)
    return Left(token, client_id, recorded, last)


async def back_part_way(fed: HandFed, left: Left) -> tuple[dict[str, Any], list[str]]:
    """The board back with its last cursor, gone again once it heard one update, then back with
    that one's cursor until the marker: the update heard part-way, and the rest in a line each."""
    back = fed.api.subscription(
        BOARD, left.token, clinicId=fed.clinic_id, after=left.last["cursor"]
    )
    async with reading(back, "supervisorBoard") as updates:
        part_way: dict[str, Any] = await updates.next()
    await gone(fed)
    again = fed.api.subscription(
        BOARD, left.token, clinicId=fed.clinic_id, after=part_way["cursor"]
    )
    async with reading(again, "supervisorBoard") as updates:
        await gone(fed, listeners=1)
        rest = await said_until_marker(fed, updates)
    return part_way, rest
