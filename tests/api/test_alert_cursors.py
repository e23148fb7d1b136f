"""`myJourneyAlerts` resumed with the `cursor` of the last alert a client heard: what came while
it was away is said first, once, and a connection lost part-way loses nothing (found by a
review: a client that left in the middle of a replay, or while an alert below its cursor was
still to commit, never heard the rest)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Clinic, JourneyEvent
from schema.ids import encode_id
from schema.supervision import log_replay, log_watch
from tests.api.alert_support import ALERTS_AFTER, event_row, facts_of, nudge_held_open
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.live import WAIT, HandFed, colleague_watching, reading, subscribers_of
from tests.store.money_rows import journey


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
    hers = facts_of(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    token = driver.token(Role.CONSULTANT)
    async with reading(hand_fed.api.subscription(ALERTS_AFTER, token), "myJourneyAlerts") as away:
        await hand_fed.watching()
        await event_row(hers_id, 1, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        heard = await away.next()
    return Away(heard, hers_id, hers, token)


async def _feed_caught_up(hand_fed: HandFed) -> None:
    """As the feed's tick leaves it once the one who left is gone: no one listens, so its next
    subscriber starts it from what is visible then (the replay's part)."""
    await eventually(subscribers_of(hand_fed.feed), lambda n: n == 0, timeout=WAIT, what="0")
    await hand_fed.feed.poll_once()


async def _first_push_back(hand_fed: HandFed, away: Away) -> dict[str, Any]:
    """What she hears first when she subscribes again with the nudge's cursor."""
    await _feed_caught_up(hand_fed)
    back = hand_fed.api.subscription(ALERTS_AFTER, away.token, after=away.heard["cursor"])
    async with reading(back, "myJourneyAlerts") as pushes:
        return await pushes.next()  # type: ignore[no-any-return]


async def test_alerts_that_came_while_away_are_said_first_to_a_subscriber_back_with_its_cursor(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant who heard of a nudge on her journey, then lost her connection
    away = await _heard_a_nudge_then_left(driver, hand_fed)
    # When the journey is escalated while she is away, and she subscribes again after the nudge
    await event_row(away.journey_id, 2, away.facts, datetime.now(UTC), "escalate").save()
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
        encode_id("JourneyAlert", "5.9"),  # (an unsaid id above the newest)
        encode_id("JourneyAlert", "5."),
        encode_id("JourneyAlert", ".".join(["9"] * 66)),  # (more unsaid ids than a cursor keeps)
    ):
        async with reading(api.subscription(ALERTS_AFTER, token, after=after), "x") as pushes:
            with pytest.raises(TransportQueryError) as refused:
                await pushes.next()
        assert refused.value.errors is not None, after
        assert [error["extensions"] for error in refused.value.errors] == [
            {"code": "VALIDATION_FAILED"}
        ], after


@pytest.mark.parametrize(
    ("elsewhere", "nudges"),
    [
        (False, 250),  # a colleague's journey: the replay's 200 were all the colleague's
        (True, 2_001),  # another clinic's: a budget of pages shared by every clinic ran out
    ],
)
async def test_a_returning_subscriber_hears_of_her_alert_behind_someone_else_s_nudges(
    driver: JourneyDriver, hand_fed: HandFed, elsewhere: bool, nudges: int
) -> None:
    # Given a consultant who heard of a nudge, then lost her connection
    away = await _heard_a_nudge_then_left(driver, hand_fed)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    if elsewhere:
        clinic_id = (await Clinic.create(id=f"elsewhere-{uuid.uuid4()}", name="Elsewhere")).id
    theirs_id = await journey(clinic_id, now, consultant="someone-else")
    theirs = facts_of(Stage.CONSENT, theirs_id, clinic_id, consultant_id="someone-else")
    # When, while she is away, her journey is escalated and then theirs nudged many times
    await event_row(away.journey_id, 2, away.facts, now, "escalate").save()
    await JourneyEvent.bulk_create(
        [event_row(theirs_id, seq, theirs, now, "nudge") for seq in range(1, nudges + 1)]
    )
    missed = await _first_push_back(hand_fed, away)
    # Then she hears of her escalation
    assert missed["action"] == "escalate"
    assert missed["journey"] == {"id": encode_id("Journey", away.journey_id)}


async def test_another_clinic_s_newer_events_do_not_push_her_own_out_of_the_replay(
    driver: JourneyDriver, hand_fed: HandFed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (the replay's bound made small: at its own, the test would write 50,000 events)
    monkeypatch.setattr(log_replay, "AWAY_AT_MOST", 300)
    # Given a consultant who heard of a nudge, then lost her connection
    away = await _heard_a_nudge_then_left(driver, hand_fed)
    now = datetime.now(UTC)
    elsewhere = (await Clinic.create(id=f"elsewhere-{uuid.uuid4()}", name="Elsewhere")).id
    theirs_id = await journey(elsewhere, now)
    theirs = facts_of(Stage.CONSENT, theirs_id, elsewhere)
    # When, while she is away, her journey is escalated and then another clinic writes more
    # events than the replay reads (the replay read every clinic's newest, and found none of hers)
    await event_row(away.journey_id, 2, away.facts, now, "escalate").save()
    await JourneyEvent.bulk_create(
        [event_row(theirs_id, seq, theirs, now, "nudge") for seq in range(1, 401)]
    )
    missed = await _first_push_back(hand_fed, away)
    # Then she hears of her escalation
    assert missed["action"] == "escalate"
    assert missed["journey"] == {"id": encode_id("Journey", away.journey_id)}


async def _said_back(
    hand_fed: HandFed, token: str, cursor: str, marker: Any, listeners: int = 1
) -> list[str]:
    """Who hears what, subscribing again with `cursor`: the alerts said before `marker` (an
    alert written once the subscriber is in, one of `listeners` to the feed), as `action
    journey`, and the marker's."""
    said: list[str] = []
    back = hand_fed.api.subscription(ALERTS_AFTER, token, after=cursor)
    async with reading(back, "myJourneyAlerts") as pushes:
        feed = hand_fed.feed
        await eventually(subscribers_of(feed), lambda n: n == listeners, timeout=WAIT, what="n")
        await feed.poll_once()
        await marker.save()
        await hand_fed.feed.poll_once()
        last = f"{marker.action} {encode_id('Journey', marker.journey_id)}"
        while not said or said[-1] != last:
            push = await pushes.next()
            said.append(f"{push['action']} {push['journey']['id']}")
    return said


async def test_a_client_that_leaves_part_way_through_its_replay_hears_the_rest_when_back(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant who heard of a nudge on her journey, then lost her connection, and
    # three more alerts on it while she was away
    away = await _heard_a_nudge_then_left(driver, hand_fed)
    now = datetime.now(UTC)
    for seq, action in ((2, "escalate"), (3, "mark_stuck"), (4, "nudge")):
        await event_row(away.journey_id, seq, away.facts, now, action).save()
    # When she comes back with her cursor and leaves again once she has heard the first
    await _feed_caught_up(hand_fed)
    back = hand_fed.api.subscription(ALERTS_AFTER, away.token, after=away.heard["cursor"])
    async with reading(back, "myJourneyAlerts") as pushes:
        first = await pushes.next()
    # and comes back with that alert's cursor, and then her journey is handed over
    marker = event_row(away.journey_id, 5, away.facts, now, "reassign")
    said = await _said_back(hand_fed, away.token, first["cursor"], marker)
    # Then she hears the two she had not heard, once each, before the hand-over
    hers = encode_id("Journey", away.journey_id)
    assert first["action"] == "escalate"
    assert said == [f"mark_stuck {hers}", f"nudge {hers}", f"reassign {hers}"]


async def test_an_alert_that_commits_below_a_cursor_after_its_client_left_is_said_when_back(
    driver: JourneyDriver, hand_fed: HandFed, database: str
) -> None:
    if database.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: its ids become visible in order")
    # Given a consultant watching her alerts, owning two journeys
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner, token = driver.staff[Role.CONSULTANT].account_id, driver.token(Role.CONSULTANT)
    late_id = await journey(clinic_id, now, consultant=owner)
    early_id = await journey(clinic_id, now, consultant=owner)
    late = facts_of(Stage.CONSENT, late_id, clinic_id, consultant_id=owner)
    early = facts_of(Stage.CONSENT, early_id, clinic_id, consultant_id=owner)
    async with nudge_held_open(late_id, late, now):
        async with reading(
            hand_fed.api.subscription(ALERTS_AFTER, token), "myJourneyAlerts"
        ) as pushes:
            await hand_fed.watching()
            # When a nudge is written but not committed, and a later one is, and said
            await event_row(early_id, 1, early, now, "nudge").save()
            await hand_fed.feed.poll_once()
            heard = await pushes.next()
        # and she leaves, her API's feed forgets (no one listens), and then the first commits
        await _feed_caught_up(hand_fed)
    # and she comes back with the cursor of the alert she heard
    marker = event_row(early_id, 2, early, now, "escalate")
    said = await _said_back(hand_fed, token, heard["cursor"], marker)
    # Then she hears of the nudge that committed late, before what came after
    assert heard["journey"] == {"id": encode_id("Journey", early_id)}
    assert said == [
        f"nudge {encode_id('Journey', late_id)}",
        f"escalate {encode_id('Journey', early_id)}",
    ]


async def test_an_alert_committing_below_a_replay_s_cursor_is_said_though_the_feed_lagged(
    driver: JourneyDriver, hand_fed: HandFed, database: str
) -> None:
    if database.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: its ids become visible in order")
    now, clinic_id, feed = datetime.now(UTC), hand_fed.clinic_id, hand_fed.feed
    owner, token = driver.staff[Role.CONSULTANT].account_id, driver.token(Role.CONSULTANT)
    early_id = await journey(clinic_id, now, consultant=owner)
    late_id = await journey(clinic_id, now, consultant=owner)
    early = facts_of(Stage.CONSENT, early_id, clinic_id, consultant_id=owner)
    late = facts_of(Stage.CONSENT, late_id, clinic_id, consultant_id=owner)

    async def listening(count: int) -> None:
        await eventually(subscribers_of(feed), lambda n: n == count, timeout=WAIT, what="n")

    # (a colleague's screen of the same clinic keeps this API's feed reading)
    async with colleague_watching(feed, clinic_id):
        # Given a consultant who heard of a nudge on her journey and lost her connection
        first = hand_fed.api.subscription(ALERTS_AFTER, token)
        async with reading(first, "myJourneyAlerts") as pushes:
            await listening(2)
            await feed.poll_once()
            await event_row(early_id, 1, early, now, "nudge").save()
            await feed.poll_once()
            heard = await pushes.next()
        await listening(1)
        # While she is away a nudge on her other journey is written, not yet committed, and an
        # escalation of the first commits after it, both before the feed reads
        async with nudge_held_open(late_id, late, now):
            await event_row(early_id, 2, early, now, "escalate").save()
            # When she comes back with her cursor, hears the escalation, and leaves at once
            back = hand_fed.api.subscription(ALERTS_AFTER, token, after=heard["cursor"])
            async with reading(back, "myJourneyAlerts") as pushes:
                await listening(2)
                await feed.poll_once()
                escalated = await pushes.next()
            await listening(1)
        await feed.poll_once()  # (the feed reads on for the colleague)
        # and comes back with the escalation's cursor
        marker = event_row(early_id, 3, early, now, "mark_stuck")
        said = await _said_back(hand_fed, token, escalated["cursor"], marker, listeners=2)
    # Then she hears of the nudge that committed late, before what came after
    assert escalated["action"] == "escalate"
    assert said == [
        f"nudge {encode_id('Journey', late_id)}",
        f"mark_stuck {encode_id('Journey', early_id)}",
    ]


async def test_an_alert_the_feed_reads_as_a_new_subscriber_comes_in_is_said(
    driver: JourneyDriver, hand_fed: HandFed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a consultant's journey, and her feed reading a nudge on it in the moment between
    # her subscribing and her subscription learning where the feed stands (a review found the
    # nudge in her mailbox taken for one from before she came, and never said)
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    hers_id = await journey(clinic_id, now, consultant=owner)
    hers = facts_of(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    reading_the_log_end = log_watch.newest_event_id

    async def nudged_meanwhile() -> int:
        await hand_fed.feed.poll_once()  # (the feed's first read starts it where the log ends)
        await event_row(hers_id, 1, hers, now, "nudge").save()
        await hand_fed.feed.poll_once()
        return await reading_the_log_end()

    monkeypatch.setattr(log_watch, "newest_event_id", nudged_meanwhile)
    # When she subscribes
    token = driver.token(Role.CONSULTANT)
    async with reading(hand_fed.api.subscription(ALERTS_AFTER, token), "myJourneyAlerts") as live:
        # Then she hears of the nudge
        heard = await live.next()
    assert (heard["action"], heard["journey"]) == ("nudge", {"id": encode_id("Journey", hers_id)})
