"""A subscriber that falls behind is bounded: its mailbox overflows into a resync, and
`journeyChanged` still pushes every event, in order, read from the journey's log."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.feed import JourneyFeed
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually, running_api
from tests.api.live import LIVE_JOURNEY, WAIT, assert_self_consistent, reading, subscribers_of
from tests.api.test_live_views import BOARD, BURST, burst

LIMIT = 2  # changes a subscriber may have waiting


async def test_a_subscriber_behind_by_more_than_its_mailbox_is_told_to_resync(
    api: Api,
    driver: JourneyDriver,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> None:
    # Given an API whose feed reads only when told to, and whose subscribers may have two
    # changes waiting; a journey watched there, and the clinic's supervisor board too
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    me = await api.run("query { me { ... on StaffMember { clinicId } } }", driver.token(Role.NURSE))
    clinic_id = me["me"]["clinicId"]
    journey = await driver.start()
    async with running_api(settings, temporal_env.client, feed=feed) as slow:
        live = slow.subscription(LIVE_JOURNEY, driver.token(Role.NURSE), id=journey["id"])
        board = slow.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=clinic_id)
        async with (
            reading(live, "journeyChanged") as pushes,
            reading(board, "supervisorBoard") as updates,
        ):
            first = await pushes.next()
            await eventually(
                subscribers_of(feed), lambda n: n == 2, timeout=WAIT, what="two subscribers"
            )
            await feed.poll_once()  # (waits for the poller's first read, if still running)
            # When twenty steps are taken (through the other API), and the feed then reads them
            # all at once: ten times what a mailbox holds
            actions = await burst(driver, journey["id"])
            await feed.poll_once()
            later = [await pushes.next() for _ in range(BURST)]
            update = await updates.next()

    # Then the board's subscriber is told to read the board again, in one update
    assert update["change"] == "RESYNC"
    assert update["journey"] is None
    assert {s["stage"] for s in update["stats"]} >= {"HANDOVER"}
    # and the journey's subscriber still got every event, once, in order
    seqs = [push["lastEventSeq"] for push in [first, *later]]
    assert seqs == list(range(first["lastEventSeq"], first["lastEventSeq"] + BURST + 1))
    assert [push["history"][-1]["action"] for push in later] == actions
    for push in [first, *later]:
        assert_self_consistent(push)
