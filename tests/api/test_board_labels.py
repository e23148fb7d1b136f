"""Live pushes judge each change by the journey as that change left it, not as it stands when
the push is built (found by a review): the supervisor's board, reading two changes at once
(stuck, then moved on), said MOVED twice and never that the journey had been stuck; a nudge
followed by a reassignment alerted neither the consultant nudged nor anyone. And alerts are
not lost to a subscriber that fell a mailbox behind."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Journey, JourneyEvent
from schema.feed import QUEUE_LIMIT
from schema.ids import encode_id
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, reading
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


async def test_an_alert_missed_while_a_mailbox_behind_is_still_said_and_only_once(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a consultant watching her alerts, owning a journey, in a busy clinic
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    hers_id, busy_id = (
        await journey(clinic_id, now, consultant=owner),
        await journey(clinic_id, now),
    )
    hers = _at(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    busy = _at(Stage.CONSENT, busy_id, clinic_id)
    alerts = hand_fed.api.subscription(ALERTS, driver.token(Role.CONSULTANT))
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
    assert first == second == {"action": "nudge", "journey": {"id": encode_id("Journey", hers_id)}}
