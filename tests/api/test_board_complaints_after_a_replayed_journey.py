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
from tests.api.board_complaint_support import (
    back_part_way,
    left_after_a_complaint,
    said,
)
from tests.api.complaint_support import complaint, taken
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed
from tests.store.money_rows import journey


async def test_a_board_leaving_after_a_replayed_journey_change_still_hears_the_complaint_missed(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor whose board said a complaint was recorded, then lost its connection
    driver, fed = fed_by_hand
    left = await left_after_a_complaint(driver, fed, Role.FRONT_DESK)
    # When, while it is away, a journey moves and a complaint is recorded
    now = datetime.now(UTC)
    moved_id = await journey(fed.clinic_id, now)
    await event_row(moved_id, 1, facts_of(Stage.PAYMENT, moved_id, fed.clinic_id), now).save()
    await taken(driver, Role.NURSE, **complaint(left.client_id))
    # and it comes back, hears the journey's change (its journeys are said first), leaves, and
    # comes back with that one's cursor
    part_way, rest = await back_part_way(fed, left)
    # Then it hears the complaint recorded while it was away, once
    assert said(left.last) == "COMPLAINTS 1/0"
    assert part_way["change"] == "MOVED"
    assert rest == ["COMPLAINTS 2/0"]


async def test_a_board_leaving_part_way_through_more_complaints_than_a_cursor_names_hears_the_rest(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor whose board said a complaint was recorded, then lost its connection
    driver, fed = fed_by_hand
    left = await left_after_a_complaint(driver, fed, Role.FRONT_DESK)
    # When, while it is away, more complaint changes come than a cursor names one by one
    at = datetime.now(UTC)
    await ComplaintChange.bulk_create(
        [
            ComplaintChange(clinic_id=fed.clinic_id, complaint_id=f"c-{n}", kind="RECORDED", at=at)
            for n in range(MOST_UNSAID + 2)
        ]
    )
    # and it comes back, hears the first of them, leaves, and comes back with that one's cursor
    part_way, rest = await back_part_way(fed, left)
    # Then it hears each of the others once
    assert said(part_way) == "COMPLAINTS 1/0"
    assert rest == ["COMPLAINTS 1/0"] * (MOST_UNSAID + 1)
