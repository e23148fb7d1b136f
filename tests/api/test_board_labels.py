"""Live pushes judge each change by the journey as that change left it, not as it stands when
the push is built (found by a review): the supervisor's board, reading two changes at once
(stuck, then moved on), said MOVED twice and never that the journey had been stuck; a nudge
followed by a reassignment alerted neither the consultant nudged nor anyone. And alerts are
not lost to a subscriber that fell a mailbox behind."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Journey, JourneyEvent
from schema.feed import QUEUE_LIMIT
from schema.ids import encode_id
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.live import WAIT, HandFed, reading
from tests.store.money_rows import journey
from tests.support import facts_at

BOARD = """
subscription Board($clinicId: ID!) {
  supervisorBoard(clinicId: $clinicId) { change journey { id } }
}"""


def _event(
    journey_id: str, seq: int, facts: JourneyFacts, at: datetime, action: str | None = None
) -> JourneyEvent:
    return JourneyEvent(
        journey_id=journey_id,
        seq=seq,
        action=action or ("mark_stuck" if facts.stuck_since else "sign_consent"),
        to_stage=facts.stage.value,
        actor_id="system",
        actor_role="SYSTEM",
        at=at,
        summary="a change",
        facts=facts_to_json(facts),
    )


def _at(stage: Stage, journey_id: str, clinic_id: str, **changes: Any) -> JourneyFacts:
    facts = dataclasses.replace(facts_at(stage), journey_id=journey_id, clinic_id=clinic_id)
    return dataclasses.replace(facts, **changes)


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
        stuck = _at(Stage.CONSENT, journey_id, clinic_id, stuck_since=now, stuck_reason="late")
        moved = _at(Stage.PAYMENT, journey_id, clinic_id)
        async with in_transaction():
            await _event(journey_id, 1, stuck, now).save()
            await _event(journey_id, 2, moved, now).save()
        await hand_fed.feed.poll_once()
        seen = [await updates.next(), await updates.next()]
    # Then the board says it was stuck, then that it no longer is
    assert [u["change"] for u in seen] == ["STUCK", "UNSTUCK"]
    assert {u["journey"]["id"] for u in seen} == {encode_id("Journey", journey_id)}


ALERTS = "subscription { myJourneyAlerts { action journey { id } } }"
ALERTS_AFTER = """
subscription Alerts($after: ID) { myJourneyAlerts(after: $after) { cursor action journey { id } } }
"""


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
        hers = _at(Stage.CONSENT, journey_id, clinic_id, consultant_id=owner)
        given_away = dataclasses.replace(hers, consultant_id="another-consultant")
        async with in_transaction():
            await _event(journey_id, 1, hers, now, "nudge").save()
            await _event(journey_id, 2, given_away, now, "reassign").save()
            # (the journey's row as the read model's writer leaves it: another's now)
            await Journey.filter(id=journey_id).update(consultant_id="another-consultant")
        await hand_fed.feed.poll_once()
        alert = await pushes.next()
    # Then she hears of the nudge (the journey was hers then); the reassignment is not hers
    assert alert == {"action": "nudge", "journey": {"id": encode_id("Journey", journey_id)}}


@pytest.mark.parametrize("after", [None, encode_id("JourneyAlert", str(2**31 - 1))])
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
    hers = _at(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    busy = _at(Stage.CONSENT, busy_id, clinic_id)
    alerts = hand_fed.api.subscription(ALERTS_AFTER, driver.token(Role.CONSULTANT), after=after)
    async with reading(alerts, "myJourneyAlerts") as pushes:
        await hand_fed.watching()
        # When her journey is nudged and then more of the clinic's changes come than a mailbox
        # holds, all before the feed reads (so the nudge is dropped with them)
        await _event(hers_id, 1, hers, now, "nudge").save()
        await JourneyEvent.bulk_create(
            [_event(busy_id, seq, busy, now) for seq in range(1, QUEUE_LIMIT + 5)]
        )
        await hand_fed.feed.poll_once()
        first = await pushes.next()
        # and once she has it, her journey is nudged again
        await _event(hers_id, 2, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        second = await pushes.next()
    # Then she hears of the first nudge (lost before), and next of the second, not again of it
    for said in (first, second):
        assert said["action"] == "nudge" and said["journey"]["id"] == encode_id("Journey", hers_id)
    assert first["cursor"] != second["cursor"]


@dataclass(frozen=True)
class Away:
    """A consultant who heard of a nudge on her journey, then lost her connection."""

    heard: dict[str, Any]
    journey_id: str
    facts: JourneyFacts
    token: str


async def _heard_a_nudge_then_left(driver: JourneyDriver, hand_fed: HandFed) -> Away:
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    hers_id = await journey(clinic_id, now, consultant=owner)
    hers = _at(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    token = driver.token(Role.CONSULTANT)
    async with reading(hand_fed.api.subscription(ALERTS_AFTER, token), "myJourneyAlerts") as away:
        await hand_fed.watching()
        await _event(hers_id, 1, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        heard = await away.next()
    return Away(heard, hers_id, hers, token)


async def _first_push_back(hand_fed: HandFed, away: Away) -> dict[str, Any]:
    """What she hears first when she subscribes again with the nudge's cursor."""
    back = hand_fed.api.subscription(ALERTS_AFTER, away.token, after=away.heard["cursor"])
    async with reading(back, "myJourneyAlerts") as pushes:
        return await pushes.next()  # type: ignore[no-any-return]


async def test_alerts_that_came_while_away_are_said_first_to_a_subscriber_back_with_its_cursor(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant who heard of a nudge on her journey, then lost her connection
    away = await _heard_a_nudge_then_left(driver, hand_fed)
    # When the journey is escalated while she is away, and she subscribes again after the nudge
    await _event(away.journey_id, 2, away.facts, datetime.now(UTC), "escalate").save()
    missed = await _first_push_back(hand_fed, away)
    # Then she hears first of the escalation, and not again of the nudge
    assert (away.heard["action"], missed["action"]) == ("nudge", "escalate")
    assert missed["journey"] == {"id": encode_id("Journey", away.journey_id)}
    assert missed["cursor"] != away.heard["cursor"]


async def test_an_alert_cursor_not_from_this_api_ends_the_subscription_with_an_error(
    driver: JourneyDriver, api: Api
) -> None:
    token = driver.token(Role.CONSULTANT)
    for after in (
        "garbage",
        encode_id("Journey", "12"),
        encode_id("JourneyAlert", "-1"),
        encode_id("JourneyAlert", str(2**31)),  # (past an event id: PostgreSQL's query failed)
    ):
        async with reading(api.subscription(ALERTS_AFTER, token, after=after), "x") as pushes:
            with pytest.raises(TransportQueryError) as refused:
                await pushes.next()
        assert refused.value.errors is not None, after
        assert [error["extensions"] for error in refused.value.errors] == [
            {"code": "VALIDATION_FAILED"}
        ], after


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
    written, commit = asyncio.Event(), asyncio.Event()

    async def nudge_held_open() -> None:  # (in a task: its queries all go through the block)
        async with in_transaction() as held:
            late = _at(Stage.CONSENT, late_id, clinic_id, consultant_id=owner)
            await _event(late_id, 1, late, now, "nudge").save(using_db=held)
            written.set()
            await commit.wait()

    alerts = hand_fed.api.subscription(ALERTS, driver.token(Role.CONSULTANT))
    async with reading(alerts, "myJourneyAlerts") as pushes:
        await hand_fed.watching()
        # When a nudge is written but not committed, and a later one is, and said
        holder = asyncio.create_task(nudge_held_open())
        try:
            await asyncio.wait_for(written.wait(), timeout=WAIT)
            early = _at(Stage.CONSENT, early_id, clinic_id, consultant_id=owner)
            await _event(early_id, 1, early, now, "nudge").save()
            await hand_fed.feed.poll_once()
            first = await pushes.next()
        finally:
            commit.set()
        await asyncio.wait_for(holder, timeout=WAIT)
        # and the first commits just as more changes come than her mailbox holds
        busy = _at(Stage.CONSENT, busy_id, clinic_id)
        await JourneyEvent.bulk_create(
            [_event(busy_id, seq, busy, now) for seq in range(1, QUEUE_LIMIT + 5)]
        )
        await hand_fed.feed.poll_once()
        second = await pushes.next()
    # Then she hears of it too (read back from below the newest event she had passed)
    assert [first["journey"], second["journey"]] == [
        {"id": encode_id("Journey", early_id)},
        {"id": encode_id("Journey", late_id)},
    ]


async def test_a_returning_subscriber_hears_of_her_alert_behind_hundreds_of_her_colleagues(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant who heard of a nudge, then lost her connection
    away = await _heard_a_nudge_then_left(driver, hand_fed)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    theirs_id = await journey(clinic_id, now, consultant="a-colleague")
    theirs = _at(Stage.CONSENT, theirs_id, clinic_id, consultant_id="a-colleague")
    # When, while she is away, her journey is escalated and then a colleague's nudged 250 times
    await _event(away.journey_id, 2, away.facts, now, "escalate").save()
    await JourneyEvent.bulk_create(
        [_event(theirs_id, seq, theirs, now, "nudge") for seq in range(1, 251)]
    )
    missed = await _first_push_back(hand_fed, away)
    # Then she hears of her escalation (the replay's 200 were the clinic's, all her colleague's)
    assert missed["action"] == "escalate"
    assert missed["journey"] == {"id": encode_id("Journey", away.journey_id)}
