"""The cursors of `supervisorBoard` and `myJourneyAlerts` name event ids of the whole installation,
every clinic's events counted: handed out in plain base64 (`BoardUpdate:18|...`), a clinic's
supervisor read from them how many events the other clinics wrote (found by a review: subscribing
again after another clinic took three journeys to consent moved the cursor by exactly its 18
events). They are sealed now: nothing in them is readable, a changed one is refused, and one of
the earlier release, held across the deploy, still resumes."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime

from gql.transport.exceptions import TransportQueryError

from domain.auth import SigningKeys
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Clinic, JourneyEvent
from schema.ids import encode_id
from schema.supervision.log_cursor import cursor_at
from schema.supervision.log_replay import newest_event_id
from tests.api.alert_support import event_row, facts_of
from tests.api.flow import JourneyDriver
from tests.api.harness import eventually
from tests.api.live import WAIT, HandFed, Pushes, reading, subscribers_of
from tests.api.log_cursors import opened
from tests.store.money_rows import journey

ANNOUNCED = """
subscription Board($clinicId: ID!, $after: ID) {
  supervisorBoard(clinicId: $clinicId, after: $after, announceStart: true) {
    change cursor journey { id }
  }
}"""


def _readings(cursor: str) -> list[bytes]:
    """What a client could make of a cursor: its bytes under each base64 alphabet."""
    made = [cursor.encode()]
    for altchars in (None, b"-_"):
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            made.append(base64.b64decode(padded, altchars=altchars))
        except (binascii.Error, ValueError):
            continue
    return made


async def _started(fed: HandFed, token: str, after: str | None = None) -> Pushes:
    return fed.api.subscription(ANNOUNCED, token, clinicId=fed.clinic_id, after=after)


async def _started_cursor(fed: HandFed, token: str) -> str:
    """The cursor of the STARTED update of a board opened and left at once, the feed having
    read the log as it stands."""
    await fed.feed.poll_once()
    async with reading(await _started(fed, token), "supervisorBoard") as updates:
        first = await updates.next()
    await eventually(subscribers_of(fed.feed), lambda n: n == 0, timeout=WAIT, what="gone")
    assert first["change"] == "STARTED"
    return str(first["cursor"])


async def _refusal(fed: HandFed, token: str, after: str) -> list[dict[str, str]]:
    async with reading(await _started(fed, token, after), "supervisorBoard") as updates:
        try:
            await updates.next()
        except TransportQueryError as refused:
            return [error["extensions"] for error in refused.errors or []]
    return []


async def test_another_clinic_s_events_change_nothing_a_board_can_read_in_its_cursor(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor of clinic A who opened her board and left with its cursor
    driver, fed = fed_by_hand
    token = driver.token(Role.SUPERVISOR)
    before = await _started_cursor(fed, token)
    # When clinic B writes events meanwhile, and she opens her board again
    elsewhere = (await Clinic.create(id=f"elsewhere-{uuid.uuid4()}", name="Elsewhere")).id
    theirs_id, now = await journey(elsewhere, datetime.now(UTC)), datetime.now(UTC)
    theirs = facts_of(Stage.CONSENT, theirs_id, elsewhere)
    await JourneyEvent.bulk_create([event_row(theirs_id, seq, theirs, now) for seq in range(1, 19)])
    newest = await newest_event_id()
    after = await _started_cursor(fed, token)
    # Then the server's own reading of the cursors moved by clinic B's events ...
    assert opened(before, "BoardUpdate").newest < opened(after, "BoardUpdate").newest == newest
    # ... but none of it is readable: neither cursor spells a type, an id or the plain text of
    # the earlier release, and they are of one length
    for cursor in (before, after):
        for reading_of_it in _readings(cursor):
            assert b"BoardUpdate" not in reading_of_it
            assert f":{newest}".encode() not in reading_of_it
    assert len(before) == len(after)


async def test_a_changed_or_foreign_board_cursor_is_refused_and_an_earlier_one_still_read(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor's board cursor, and one of the earlier release (plain base64) naming
    # the log as it stands
    driver, fed = fed_by_hand
    token = driver.token(Role.SUPERVISOR)
    cursor = await _started_cursor(fed, token)
    plain = encode_id("BoardUpdate", str(await newest_event_id()))
    # When she comes back with it changed in one character, or sealed under another key
    flipped = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
    foreign = cursor_at("BoardUpdate", 1, ()).encode(SigningKeys("another server's key" * 3))
    # Then each is refused as a cursor not from the board
    for bent in (flipped, foreign, cursor[:-2]):
        assert await _refusal(fed, token, bent) == [{"code": "VALIDATION_FAILED"}], bent
    # and back with the earlier release's cursor, she hears a change that came after it
    journey_id, now = await journey(fed.clinic_id, datetime.now(UTC)), datetime.now(UTC)
    await event_row(journey_id, 1, facts_of(Stage.CONSENT, journey_id, fed.clinic_id), now).save()
    async with reading(await _started(fed, token, plain), "supervisorBoard") as updates:
        await fed.watching()
        started, missed = await updates.next(), await updates.next()
    assert started["change"] == "STARTED"
    assert missed["journey"] == {"id": encode_id("Journey", journey_id)}
