"""`supervisorBoard` resumed with the `cursor` of the last update a supervisor's screen had: the
changes that came while it was away are said first, once each and labelled as they left their
journeys, and then the live ones; a connection lost part-way through loses nothing (the board
took no cursor: a screen back from a lost connection had to read the whole board again, and
could not tell what it had missed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import encode_id
from schema.supervision.log_cursor import MOST_UNSAID
from schema.supervision.log_replay import REPLAY_AT_MOST
from tests.api.alert_support import event_row, facts_of, nudge_held_open
from tests.api.flow import JourneyDriver
from tests.api.harness import eventually
from tests.api.live import WAIT, HandFed, reading, subscribers_of
from tests.store.money_rows import journey

BOARD_AFTER = """
subscription Board($clinicId: ID!, $after: ID) {
  supervisorBoard(clinicId: $clinicId, after: $after) { cursor change journey { id } }
}"""


@dataclass(frozen=True)
class Away:
    """A supervisor whose board said a journey got stuck, then lost its connection."""

    heard: dict[str, Any]
    journey_id: str
    token: str


def _said(update: dict[str, Any]) -> str:
    journey = update["journey"]
    return f"{update['change']} {journey['id'] if journey else '-'}"


def _on(journey_id: str) -> str:
    return encode_id("Journey", journey_id)


async def _stuck_then_left(driver: JourneyDriver, hand_fed: HandFed) -> Away:
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id = await journey(clinic_id, now)
    stuck = facts_of(Stage.CONSENT, journey_id, clinic_id, stuck_since=now, stuck_reason="late")
    token = driver.token(Role.SUPERVISOR)
    board = hand_fed.api.subscription(BOARD_AFTER, token, clinicId=clinic_id)
    async with reading(board, "supervisorBoard") as updates:
        await hand_fed.watching()
        await event_row(journey_id, 1, stuck, now).save()
        await hand_fed.feed.poll_once()
        heard = await updates.next()
    return Away(heard, journey_id, token)


async def _feed_caught_up(hand_fed: HandFed, listeners: int = 0) -> None:
    """As the feed's tick leaves it once the one who left is gone."""
    feed = hand_fed.feed
    await eventually(subscribers_of(feed), lambda n: n == listeners, timeout=WAIT, what="gone")
    await feed.poll_once()


async def _back_part_way(hand_fed: HandFed, away: Away) -> tuple[dict[str, Any], list[str]]:
    """The board back with the cursor it left with, gone again once it heard one update, then
    back with that update's cursor: the update, and what it says then (`_said_back`)."""
    back = hand_fed.api.subscription(
        BOARD_AFTER, away.token, clinicId=hand_fed.clinic_id, after=away.heard["cursor"]
    )
    async with reading(back, "supervisorBoard") as updates:
        first: dict[str, Any] = await updates.next()
    return first, await _said_back(hand_fed, away.token, first["cursor"])


async def _said_back(hand_fed: HandFed, token: str, cursor: str, listeners: int = 1) -> list[str]:
    """What the board says, subscribing again with `cursor`, up to what it says of a marker: a
    journey's first change, written once the subscriber is in (one of `listeners` to the feed)."""
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    marker_id = await journey(clinic_id, now)
    said: list[str] = []
    back = hand_fed.api.subscription(BOARD_AFTER, token, clinicId=clinic_id, after=cursor)
    async with reading(back, "supervisorBoard") as updates:
        await _feed_caught_up(hand_fed, listeners)
        await _moved(marker_id, clinic_id, now)
        await hand_fed.feed.poll_once()
        while not said or said[-1] != f"MOVED {_on(marker_id)}":
            said.append(_said(await updates.next()))
    return said[:-1]


def _moving(journey_id: str, clinic_id: str) -> JourneyFacts:
    return facts_of(Stage.PAYMENT, journey_id, clinic_id)


async def _moved(journey_id: str, clinic_id: str, now: datetime, seq: int = 1) -> None:
    """Writes the journey's change `seq`: it moved on (to PAYMENT)."""
    await event_row(journey_id, seq, _moving(journey_id, clinic_id), now).save()


async def test_a_board_back_with_its_cursor_hears_exactly_the_changes_it_missed(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a supervisor's board that said a journey got stuck, then lost its connection
    away = await _stuck_then_left(driver, hand_fed)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    other_id = await journey(clinic_id, now)
    # When, while it is away, the journey moves on and another journey moves
    await _moved(away.journey_id, clinic_id, now, seq=2)
    await _moved(other_id, clinic_id, now)
    await _feed_caught_up(hand_fed)
    # and it subscribes again with its last cursor, and then a third change comes
    said = await _said_back(hand_fed, away.token, away.heard["cursor"])
    # Then it hears the two it missed, labelled as they left their journeys, before the third,
    # and not again that the journey got stuck
    assert _said(away.heard) == f"STUCK {_on(away.journey_id)}"
    assert said == [f"UNSTUCK {_on(away.journey_id)}", f"MOVED {_on(other_id)}"]


async def test_a_board_that_leaves_part_way_through_its_replay_hears_the_rest_once(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a board that said a journey got stuck and lost its connection, and three more
    # changes while it was away, the last unsticking it
    away = await _stuck_then_left(driver, hand_fed)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    others = [await journey(clinic_id, now) for _ in range(2)]
    for other_id in others:
        await _moved(other_id, clinic_id, now)
    await _moved(away.journey_id, clinic_id, now, seq=2)
    # When it comes back with its cursor and leaves again once it has heard the first
    await _feed_caught_up(hand_fed)
    # and comes back with that update's cursor
    first, said = await _back_part_way(hand_fed, away)
    # Then it hears the two it had not heard, once each
    assert _said(first) == f"MOVED {_on(others[0])}"
    assert said == [f"MOVED {_on(others[1])}", f"UNSTUCK {_on(away.journey_id)}"]


async def test_a_board_away_for_more_changes_than_a_replay_says_is_told_to_read_again(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a board that lost its connection
    away = await _stuck_then_left(driver, hand_fed)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    busy_id = await journey(clinic_id, now)
    busy = _moving(busy_id, clinic_id)
    # When more of the clinic's changes come while it is away than a replay says
    await JourneyEvent.bulk_create(
        [event_row(busy_id, seq, busy, now) for seq in range(1, REPLAY_AT_MOST + 2)]
    )
    await _feed_caught_up(hand_fed)
    said = await _said_back(hand_fed, away.token, away.heard["cursor"])
    # Then it is told once to read the board again, and hears the live changes after
    assert said == ["RESYNC -"]


async def test_a_board_leaving_part_way_through_more_than_a_cursor_names_is_told_to_read_again(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a board that lost its connection while more of the clinic's changes came than a
    # cursor names one by one (but fewer than a replay says)
    away = await _stuck_then_left(driver, hand_fed)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    busy_id = await journey(clinic_id, now)
    busy = _moving(busy_id, clinic_id)
    missed = MOST_UNSAID + 6
    await JourneyEvent.bulk_create(
        [event_row(busy_id, seq, busy, now) for seq in range(1, missed + 1)]
    )
    await _feed_caught_up(hand_fed)
    # When it comes back, hears the first of them and leaves again
    first, said = await _back_part_way(hand_fed, away)
    # Then, back with that update's cursor, it is told once to read the board again: the
    # cursor could not name every change it had yet to hear, and none is lost unsaid
    assert _said(first) == f"MOVED {_on(busy_id)}"
    assert said == ["RESYNC -"]


async def test_a_board_cursor_not_from_this_board_ends_the_subscription_with_an_error(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    token, clinic_id = driver.token(Role.SUPERVISOR), hand_fed.clinic_id
    for after in (
        "garbage",
        encode_id("JourneyAlert", "5"),  # (an alert's: another subscription's place)
        encode_id("BoardUpdate", "-1"),
        encode_id("BoardUpdate", str(2**31)),
        encode_id("BoardUpdate", "5.9"),
        encode_id("BoardUpdate", ".".join(["9"] * 66)),
    ):
        board = hand_fed.api.subscription(BOARD_AFTER, token, clinicId=clinic_id, after=after)
        async with reading(board, "supervisorBoard") as updates:
            with pytest.raises(TransportQueryError) as refused:
                await updates.next()
        assert refused.value.errors is not None, after
        assert [error["extensions"] for error in refused.value.errors] == [
            {"code": "VALIDATION_FAILED"}
        ], after


async def test_a_change_that_commits_below_a_board_s_cursor_after_it_left_is_said_when_back(
    driver: JourneyDriver, hand_fed: HandFed, database: str
) -> None:
    if database.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: its ids become visible in order")
    # Given a supervisor watching the board
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    token = driver.token(Role.SUPERVISOR)
    late_id, early_id = await journey(clinic_id, now), await journey(clinic_id, now)
    late = facts_of(Stage.CONSENT, late_id, clinic_id)
    async with nudge_held_open(late_id, late, now):
        board = hand_fed.api.subscription(BOARD_AFTER, token, clinicId=clinic_id)
        async with reading(board, "supervisorBoard") as updates:
            await hand_fed.watching()
            # When a change is written but not committed, and a later one is, and said
            await _moved(early_id, clinic_id, now)
            await hand_fed.feed.poll_once()
            heard = await updates.next()
        # and the board leaves, its API's feed forgets (no one listens), then the first commits
        await _feed_caught_up(hand_fed)
    said = await _said_back(hand_fed, token, heard["cursor"])
    # Then, back with the cursor of what it heard, it hears of the change that committed late
    assert _said(heard) == f"MOVED {_on(early_id)}"
    assert said == [f"MOVED {_on(late_id)}"]
