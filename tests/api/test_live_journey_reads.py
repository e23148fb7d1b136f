"""A live view's journey is read afresh with each push: what the journey shows beside its row
(here the recheck its handover booked, `nextRecheckAt`) is as it is when the push is made, not
as the subscription's first push found it (found by review: `supervisorBoard` and
`myJourneyAlerts` kept every such read for their whole life, so a board open all day showed no
recheck booked after its journey's first change, and held a read of every journey it showed)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import JourneyRecord
from tests.api.alert_support import event_row, facts_of
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, reading
from tests.store.money_rows import journey

BOARD = """
subscription Board($clinicId: ID!) {
  supervisorBoard(clinicId: $clinicId) { change journey { id nextRecheckAt } }
}"""
ALERTS = """
subscription Alerts { myJourneyAlerts { action journey { id nextRecheckAt } } }
"""


async def _recheck_booked(journey_id: str, at: datetime) -> tuple[datetime, str]:
    """The handover's record booking a recheck (what `nextRecheckAt` reads once the handover's
    event points at it), and its id."""
    booked = (at + timedelta(days=14)).replace(microsecond=0)
    record = await JourneyRecord.create(
        id=str(uuid.uuid4()),
        journey_id=journey_id,
        kind="handover",
        body={"aftercare": "no sauna", "next_recheck_at": booked.isoformat()},
        author_id="nurse",
    )
    return booked, record.id


def _at(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


async def test_a_board_shows_the_recheck_booked_since_its_journey_s_last_change(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a supervisor's board that showed a journey's change before any recheck was booked
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id = await journey(clinic_id, now)
    board = hand_fed.api.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=clinic_id)
    async with reading(board, "supervisorBoard") as updates:
        await hand_fed.watching()
        moved = facts_of(Stage.HANDOVER, journey_id, clinic_id)
        await event_row(journey_id, 1, moved, now).save()
        await hand_fed.feed.poll_once()
        before = await updates.next()
        # When the handover books the recheck and the journey moves on
        due, record_id = await _recheck_booked(journey_id, now)
        handed = facts_of(Stage.FOLLOW_UP, journey_id, clinic_id)
        handover = event_row(journey_id, 2, handed, now, "hand_over")
        handover.record_id = record_id
        await handover.save()
        await hand_fed.feed.poll_once()
        after = await updates.next()
    # Then the board's push of the handover shows the recheck booked
    assert before["journey"]["nextRecheckAt"] is None
    assert _at(after["journey"]["nextRecheckAt"]) == due


async def test_an_alert_shows_the_recheck_booked_since_the_last_alert(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant who heard of a nudge on her journey before any recheck was booked
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    journey_id = await journey(clinic_id, now, consultant=owner)
    hers = facts_of(Stage.FOLLOW_UP, journey_id, clinic_id, consultant_id=owner)
    alerts = hand_fed.api.subscription(ALERTS, driver.token(Role.CONSULTANT))
    async with reading(alerts, "myJourneyAlerts") as heard:
        await hand_fed.watching()
        await event_row(journey_id, 1, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        first = await heard.next()
        # When a recheck is booked for the journey, and she is nudged on it again
        due, record_id = await _recheck_booked(journey_id, now)
        handover = event_row(journey_id, 2, hers, now, "hand_over")
        handover.record_id = record_id
        await handover.save()
        await event_row(journey_id, 3, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        second = await heard.next()
    # Then the second alert's journey shows the recheck booked
    assert first["journey"]["nextRecheckAt"] is None
    assert _at(second["journey"]["nextRecheckAt"]) == due
