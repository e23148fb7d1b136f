"""Live pushes judge each change by the journey as that change left it, not as it stands when
the push is built (found by a review): the supervisor's board, reading two changes at once
(stuck, then moved on), said MOVED twice and never that the journey had been stuck; a nudge
followed by a reassignment alerted neither the consultant nudged nor anyone."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from temporalio.testing import WorkflowEnvironment
from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Journey, JourneyEvent
from schema.feed import JourneyFeed
from schema.ids import encode_id
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually, running_api
from tests.api.live import WAIT, reading
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


async def test_two_changes_read_at_once_are_each_labelled_as_they_left_the_journey(
    api: Api,
    driver: JourneyDriver,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> None:
    # Given a supervisor watching the board, through an API whose feed reads when told to
    feed = JourneyFeed(interval_seconds=3600)
    me = await api.run("query { me { ... on StaffMember { clinicId } } }", driver.token(Role.NURSE))
    clinic_id = me["me"]["clinicId"]
    now = datetime.now(UTC)
    journey_id = await journey(clinic_id, now)
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed) as watched:
        board = watched.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=clinic_id)
        async with reading(board, "supervisorBoard") as updates:
            await eventually(_count(feed), lambda n: n == 1, timeout=WAIT, what="the watcher")
            await feed.poll_once()
            # When the journey is marked stuck and then moves on, both before the feed reads
            waiting = dataclasses.replace(
                facts_at(Stage.CONSENT), journey_id=journey_id, clinic_id=clinic_id
            )
            stuck = dataclasses.replace(waiting, stuck_since=now, stuck_reason="CONSENT late")
            moved = dataclasses.replace(waiting, stage=Stage.PAYMENT)
            async with in_transaction():
                await _event(journey_id, 1, stuck, now).save()
                await _event(journey_id, 2, moved, now).save()
            await feed.poll_once()
            seen = [await updates.next(), await updates.next()]
    # Then the board says it was stuck, then that it no longer is
    assert [u["change"] for u in seen] == ["STUCK", "UNSTUCK"]
    assert {u["journey"]["id"] for u in seen} == {encode_id("Journey", journey_id)}


ALERTS = "subscription { myJourneyAlerts { action journey { id } } }"


async def test_a_nudge_then_a_reassignment_alerts_the_consultant_who_was_nudged(
    api: Api,
    driver: JourneyDriver,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> None:
    # Given a consultant watching her alerts, owning a journey
    feed = JourneyFeed(interval_seconds=3600)
    me = await api.run("query { me { ... on StaffMember { clinicId } } }", driver.token(Role.NURSE))
    clinic_id, owner = me["me"]["clinicId"], driver.staff[Role.CONSULTANT].account_id
    now = datetime.now(UTC)
    journey_id = await journey(clinic_id, now, consultant=owner)
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed) as watched:
        alerts = watched.subscription(ALERTS, driver.token(Role.CONSULTANT))
        async with reading(alerts, "myJourneyAlerts") as pushes:
            await eventually(_count(feed), lambda n: n == 1, timeout=WAIT, what="the watcher")
            await feed.poll_once()
            # When the journey is nudged and then given to another, both before the feed reads
            hers = dataclasses.replace(
                facts_at(Stage.CONSENT), journey_id=journey_id, clinic_id=clinic_id
            )
            hers = dataclasses.replace(hers, consultant_id=owner)
            given_away = dataclasses.replace(hers, consultant_id="another-consultant")
            async with in_transaction():
                await _event(journey_id, 1, hers, now, "nudge").save()
                await _event(journey_id, 2, given_away, now, "reassign").save()
                # (the journey's row as the read model's writer leaves it: another's now)
                await Journey.filter(id=journey_id).update(consultant_id="another-consultant")
            await feed.poll_once()
            alert = await pushes.next()
    # Then she hears of the nudge (the journey was hers then); the reassignment is not hers
    assert alert == {"action": "nudge", "journey": {"id": encode_id("Journey", journey_id)}}


def _count(feed: JourneyFeed) -> Any:
    async def subscribers() -> int:
        return feed.subscribers()

    return subscribers
