"""A board back with its cursor hears what it missed of its journeys first, then of the complaint
register: a cursor it is given part-way, while its journeys or its complaints are said, still
covers every complaint change it has yet to hear, however many, so a board that leaves then and
comes back with it hears each once."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.complaints import ComplaintChange
from schema.supervision.complaint_watch import MOST_UNSAID
from tests.api.alert_support import event_row, facts_of
from tests.api.board_complaint_support import BOARD, gone, said, said_until_marker
from tests.api.complaint_support import complaint, taken
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, reading
from tests.store.money_rows import journey


async def test_a_board_leaving_after_a_replayed_journey_change_still_hears_the_complaint_missed(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor whose board said a complaint was recorded, then lost its connection
    driver, fed = fed_by_hand
    token, client_id = driver.token(Role.SUPERVISOR), await driver.register_client()
    watch = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        await taken(driver, Role.FRONT_DESK, **complaint(client_id))
        await fed.feed.poll_once()
        left_at = await updates.next()
    await gone(fed)
    # When, while it is away, a journey moves and a complaint is recorded
    now = datetime.now(UTC)
    moved_id = await journey(fed.clinic_id, now)
    await event_row(moved_id, 1, facts_of(Stage.PAYMENT, moved_id, fed.clinic_id), now).save()
    await taken(driver, Role.NURSE, **complaint(client_id))
    # and it comes back, hears the journey's change (its journeys are said first) and leaves
    back = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, after=left_at["cursor"])
    async with reading(back, "supervisorBoard") as updates:
        part_way = await updates.next()
    await gone(fed)
    # and comes back with that one's cursor
    again = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, after=part_way["cursor"])
    async with reading(again, "supervisorBoard") as updates:
        await gone(fed, listeners=1)
        rest = await said_until_marker(fed, updates)
    # Then it hears the complaint recorded while it was away, once
    assert said(left_at) == "COMPLAINTS 1/0"
    assert part_way["change"] == "MOVED"
    assert rest == ["COMPLAINTS 2/0"]


async def test_a_board_leaving_part_way_through_more_complaints_than_a_cursor_names_hears_the_rest(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor whose board said a complaint was recorded, then lost its connection
    driver, fed = fed_by_hand
    token, client_id = driver.token(Role.SUPERVISOR), await driver.register_client()
    watch = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        await taken(driver, Role.FRONT_DESK, **complaint(client_id))
        await fed.feed.poll_once()
        left_at = await updates.next()
    await gone(fed)
    # When, while it is away, more complaint changes come than a cursor names one by one
    at = datetime.now(UTC)
    await ComplaintChange.bulk_create(
        [
            ComplaintChange(clinic_id=fed.clinic_id, complaint_id=f"c-{n}", kind="RECORDED", at=at)
            for n in range(MOST_UNSAID + 2)
        ]
    )
    # and it comes back, hears the first of them and leaves
    back = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, after=left_at["cursor"])
    async with reading(back, "supervisorBoard") as updates:
        part_way = await updates.next()
    await gone(fed)
    # and comes back with that one's cursor
    again = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, after=part_way["cursor"])
    async with reading(again, "supervisorBoard") as updates:
        await gone(fed, listeners=1)
        rest = await said_until_marker(fed, updates)
    # Then it hears each of the others once
    assert said(part_way) == "COMPLAINTS 1/0"
    assert rest == ["COMPLAINTS 1/0"] * (MOST_UNSAID + 1)
