"""Live pushes judge each change by the journey as that change left it, not as it stands when
the push is built (found by a review): the supervisor's board, reading two changes at once
(stuck, then moved on), said MOVED twice and never that the journey had been stuck; a nudge
followed by a reassignment alerted neither the consultant nudged nor anyone; a journey marked
stuck while the board was read again after a RESYNC was said MOVED, the board read again having
it stuck already. And alerts are not lost to a subscriber that fell a mailbox behind."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from tortoise.transactions import in_transaction

from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Journey, JourneyEvent
from schema.feed import QUEUE_LIMIT, READ_AT_MOST
from schema.ids import encode_id
from tests.api.alert_support import ALERTS, ALERTS_AFTER, event_row, facts_of, nudge_held_open
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, reading
from tests.api.log_cursors import sealed
from tests.store.money_rows import journey

BOARD = """
subscription Board($clinicId: ID!) {
  supervisorBoard(clinicId: $clinicId) { change journey { id } }
}"""


async def test_two_changes_read_at_once_are_each_labelled_as_they_left_the_journey(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a supervisor watching the board
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id = await journey(clinic_id, now)
    board = hand_fed.api.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=clinic_id)
    async with reading(board, "supervisorBoard") as updates:
        await hand_fed.watching()
        # When the journey is marked stuck and then moves on, both before the feed reads
        stuck = facts_of(Stage.CONSENT, journey_id, clinic_id, stuck_since=now, stuck_reason="late")
        moved = facts_of(Stage.PAYMENT, journey_id, clinic_id)
        async with in_transaction():
            await event_row(journey_id, 1, stuck, now).save()
            await event_row(journey_id, 2, moved, now).save()
        await hand_fed.feed.poll_once()
        seen = [await updates.next(), await updates.next()]
    # Then the board says it was stuck, then that it no longer is
    assert [u["change"] for u in seen] == ["STUCK", "UNSTUCK"]
    assert {u["journey"]["id"] for u in seen} == {encode_id("Journey", journey_id)}


async def test_a_change_the_board_read_again_after_a_resync_already_shows_is_labelled_by_it(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a supervisor watching the board, a journey of the clinic on time
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id, busy_id = await journey(clinic_id, now), await journey(clinic_id, now)
    await event_row(journey_id, 1, facts_of(Stage.CONSENT, journey_id, clinic_id), now).save()
    board = hand_fed.api.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=clinic_id)
    async with reading(board, "supervisorBoard") as updates:
        await hand_fed.watching()
        # When more changes come than a mailbox holds, and than the feed reads at once, and
        # after them the journey is marked stuck (the feed's next read brings it)
        busy = facts_of(Stage.CONSENT, busy_id, clinic_id)
        await JourneyEvent.bulk_create(
            [event_row(busy_id, seq, busy, now) for seq in range(1, READ_AT_MOST + 1)]
        )
        stuck = facts_of(Stage.CONSENT, journey_id, clinic_id, stuck_since=now, stuck_reason="late")
        async with in_transaction():  # (with its row, as the read model's writer does)
            await event_row(journey_id, 2, stuck, now).save()
            await Journey.filter(id=journey_id).update(stuck=True, stuck_since=now)
        await hand_fed.feed.poll_once()
        resync = await updates.next()  # (the board is read again, the journey stuck on it)
        await hand_fed.feed.poll_once()
        change = await updates.next()
    # Then the board is told to read again, and then that the journey got stuck
    assert resync == {"change": "RESYNC", "journey": None}
    assert change == {"change": "STUCK", "journey": {"id": encode_id("Journey", journey_id)}}


async def test_a_nudge_then_a_reassignment_alerts_the_consultant_who_was_nudged(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant watching her alerts, owning a journey
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    journey_id = await journey(clinic_id, now, consultant=owner)
    alerts = hand_fed.api.subscription(ALERTS, driver.token(Role.CONSULTANT))
    async with reading(alerts, "myJourneyAlerts") as pushes:
        await hand_fed.watching()
        # When the journey is nudged and then given to another, both before the feed reads
        hers = facts_of(Stage.CONSENT, journey_id, clinic_id, consultant_id=owner)
        given_away = dataclasses.replace(hers, consultant_id="another-consultant")
        async with in_transaction():
            await event_row(journey_id, 1, hers, now, "nudge").save()
            await event_row(journey_id, 2, given_away, now, "reassign").save()
            # (the journey's row as the read model's writer leaves it: another's now)
            await Journey.filter(id=journey_id).update(consultant_id="another-consultant")
        await hand_fed.feed.poll_once()
        alert = await pushes.next()
    # Then she hears of the nudge (the journey was hers then); the reassignment is not hers
    assert alert == {"action": "nudge", "journey": {"id": encode_id("Journey", journey_id)}}


@pytest.mark.parametrize("after", [None, sealed("JourneyAlert", str(2**31 - 1))])
async def test_an_alert_missed_while_a_mailbox_behind_is_still_said_and_only_once(
    driver: JourneyDriver, hand_fed: HandFed, after: str | None
) -> None:
    # (a cursor from beyond the log, as a restored database's, counts from the log's end: it
    # turned the replay off for the whole subscription)
    # Given a consultant watching her alerts, owning a journey, in a busy clinic
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    hers_id, busy_id = (
        await journey(clinic_id, now, consultant=owner),
        await journey(clinic_id, now),
    )
    hers = facts_of(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    busy = facts_of(Stage.CONSENT, busy_id, clinic_id)
    alerts = hand_fed.api.subscription(ALERTS_AFTER, driver.token(Role.CONSULTANT), after=after)
    async with reading(alerts, "myJourneyAlerts") as pushes:
        await hand_fed.watching()
        # When her journey is nudged and then more of the clinic's changes come than a mailbox
        # holds, all before the feed reads (so the nudge is dropped with them)
        await event_row(hers_id, 1, hers, now, "nudge").save()
        await JourneyEvent.bulk_create(
            [event_row(busy_id, seq, busy, now) for seq in range(1, QUEUE_LIMIT + 5)]
        )
        await hand_fed.feed.poll_once()
        first = await pushes.next()
        # and once she has it, her journey is nudged again
        await event_row(hers_id, 2, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        second = await pushes.next()
    # Then she hears of the first nudge (lost before), and next of the second, not again of it
    for said in (first, second):
        assert said["action"] == "nudge" and said["journey"]["id"] == encode_id("Journey", hers_id)
    assert first["cursor"] != second["cursor"]


async def test_an_alert_that_commits_late_and_is_dropped_with_a_burst_is_still_said(
    driver: JourneyDriver, hand_fed: HandFed, database: str
) -> None:
    if database.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: its ids become visible in order")
    # Given a consultant watching her alerts, owning two journeys, in a busy clinic
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    late_id = await journey(clinic_id, now, consultant=owner)
    early_id = await journey(clinic_id, now, consultant=owner)
    busy_id = await journey(clinic_id, now)
    late = facts_of(Stage.CONSENT, late_id, clinic_id, consultant_id=owner)
    alerts = hand_fed.api.subscription(ALERTS, driver.token(Role.CONSULTANT))
    async with reading(alerts, "myJourneyAlerts") as pushes:
        await hand_fed.watching()
        # When a nudge is written but not committed, and a later one is, and said
        async with nudge_held_open(late_id, late, now):
            early = facts_of(Stage.CONSENT, early_id, clinic_id, consultant_id=owner)
            await event_row(early_id, 1, early, now, "nudge").save()
            await hand_fed.feed.poll_once()
            first = await pushes.next()
        # and the first commits just as more changes come than her mailbox holds
        busy = facts_of(Stage.CONSENT, busy_id, clinic_id)
        await JourneyEvent.bulk_create(
            [event_row(busy_id, seq, busy, now) for seq in range(1, QUEUE_LIMIT + 5)]
        )
        await hand_fed.feed.poll_once()
        second = await pushes.next()
    # Then she hears of it too (read back from below the newest event she had passed)
    assert [first["journey"], second["journey"]] == [
        {"id": encode_id("Journey", early_id)},
        {"id": encode_id("Journey", late_id)},
    ]
