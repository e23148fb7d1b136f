"""Bursts of more changes than any of the feed's bounds (a subscriber's mailbox of 64, one read
of 1,000 rows): `journeyChanged` still says every event once, in order."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.feed import QUEUE_LIMIT, READ_AT_MOST
from schema.ids import encode_id
from tests.api.alert_support import event_row, facts_of
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, reading
from tests.store.money_rows import journey

SEQS = "subscription Live($id: ID!) { journeyChanged(id: $id) { lastEventSeq } }"


async def test_a_burst_past_every_bound_of_the_feed_is_pushed_once_each_in_order(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a nurse watching a journey
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id = await journey(clinic_id, now)

    def as_of(seq: int) -> JourneyFacts:
        return facts_of(Stage.CONSENT, journey_id, clinic_id, event_seq=seq)

    watch = hand_fed.api.subscription(
        SEQS, driver.token(Role.NURSE), id=encode_id("Journey", journey_id)
    )
    burst = READ_AT_MOST + QUEUE_LIMIT + 10
    async with reading(watch, "journeyChanged") as pushes:
        assert (await pushes.next())["lastEventSeq"] == 0
        await hand_fed.watching()
        # When more of its events come at once than one read of the feed takes
        await JourneyEvent.bulk_create(
            [event_row(journey_id, seq, as_of(seq), now) for seq in range(1, burst + 1)]
        )
        await hand_fed.feed.poll_once()
        await hand_fed.feed.poll_once()
        said = [(await pushes.next())["lastEventSeq"] for _ in range(burst)]
        # and one more after
        await event_row(journey_id, burst + 1, as_of(burst + 1), now).save()
        await hand_fed.feed.poll_once()
        last = (await pushes.next())["lastEventSeq"]
    # Then each was pushed once, in order
    assert said == list(range(1, burst + 1))
    assert last == burst + 1
    assert pushes.waiting() == 0
