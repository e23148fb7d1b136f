"""The shared change feed on the real database: a subscriber that falls behind is bounded, and
told to resync instead of being sent everything it missed; a task changed without a journey
event reaches its clinic's subscribers once, and only if it came after they subscribed; an
event that commits after many later ones is still sent."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.store.aftercare import TaskChangeLog
from domain.store.complaints import ComplaintChange
from domain.store.models import Journey, JourneyEvent
from schema.feed import ClinicChange, ComplaintTouched, JourneyFeed, TaskTouched
from schema.feed_cursor import START_WINDOW
from schema.mailbox import RESYNC
from tests.store.money_rows import clinic, journey

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LIMIT = 3


async def _events(journey_id: str, seqs: range, using_db: BaseDBAsyncClient | None = None) -> None:
    for seq in seqs:
        await JourneyEvent.create(
            using_db=using_db,
            journey_id=journey_id,
            seq=seq,
            action="nudge",
            to_stage="TRIAGE",
            actor_id="supervisor-1",
            actor_role="SUPERVISOR",
            at=NOW,
            summary="nudge",
        )


def _about(news: object) -> tuple[str, int, str]:
    """Which event a clinic's subscriber was told of."""
    assert isinstance(news, ClinicChange)
    return news.journey_id, news.seq, news.action


async def test_a_subscriber_that_falls_behind_gets_one_resync_marker() -> None:
    # Given a feed whose subscribers may have three changes waiting, and one who reads none
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    journey_id = f"journey-{uuid.uuid4()}"
    try:
        async with feed.journey(journey_id) as changes:
            # When ten events arrive before it reads
            await _events(journey_id, range(1, 11))
            await feed.poll_once()
            # Then it holds nothing of them (not ten, not three): its next read says resync
            assert len(changes) == 0
            assert await changes.get() is RESYNC
            # and once it has, it hears of the next change as usual
            await _events(journey_id, range(11, 12))
            await feed.poll_once()
            assert len(changes) == 1
            assert await changes.get() == 11
    finally:
        await feed.close()


async def test_a_subscriber_within_its_limit_hears_every_change_in_order() -> None:
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    journey_id = f"journey-{uuid.uuid4()}"
    try:
        async with feed.journey(journey_id) as changes:
            await _events(journey_id, range(1, LIMIT + 1))
            await feed.poll_once()
            assert [await changes.get() for _ in range(LIMIT)] == [1, 2, 3]
            assert len(changes) == 0
    finally:
        await feed.close()


async def test_a_task_changed_without_an_event_reaches_its_clinic_once() -> None:
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    clinic_id, other_clinic = f"clinic-{uuid.uuid4()}", f"clinic-{uuid.uuid4()}"
    # (a change from before anyone subscribed is not news)
    await TaskChangeLog.create(clinic_id=clinic_id, task_id="task-before", at=NOW)
    try:
        async with feed.clinic(clinic_id) as changes, feed.clinic(other_clinic) as others:
            await TaskChangeLog.create(clinic_id=clinic_id, task_id="task-1", at=NOW)
            await feed.poll_once()
            await feed.poll_once()  # read again within the window: not repeated
            assert len(changes) == 1 and len(others) == 0
            assert await changes.get() == TaskTouched("task-1")
    finally:
        await feed.close()


async def test_a_complaint_change_reaches_once_those_of_its_clinic_who_ask_for_them() -> None:
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    clinic_id, other_clinic = f"clinic-{uuid.uuid4()}", f"clinic-{uuid.uuid4()}"

    async def changed() -> int:
        row = await ComplaintChange.create(
            clinic_id=clinic_id, complaint_id="complaint-1", kind="RECORDED", at=NOW
        )
        return int(row.id)

    # (a change from before anyone asked is not news)
    await changed()
    try:
        async with (
            feed.clinic(clinic_id, complaints=True) as board,
            feed.clinic(clinic_id) as tasks,
            feed.clinic(other_clinic, complaints=True) as others,
        ):
            change_id = await changed()
            await feed.poll_once()
            await feed.poll_once()  # read again within the window: not repeated
            assert (len(board), len(tasks), len(others)) == (1, 0, 0)
            assert await board.get() == ComplaintTouched(change_id)
            assert feed.complaints_position() == change_id
        # and, no one asking any more, the feed stops reading them
        async with feed.clinic(clinic_id) as tasks:
            await changed()
            await feed.poll_once()
            assert len(tasks) == 0 and feed.complaints_position() == 0
    finally:
        await feed.close()


async def test_a_first_subscriber_hears_nothing_of_a_full_window_of_events_before_it() -> None:
    # (the feed reads back START_WINDOW ids at its start; the one below it was sent as news)
    feed = JourneyFeed(interval_seconds=3600, queue_limit=1000)
    clinic_id = await clinic()
    journey_id = await journey(clinic_id, NOW)
    await _events(journey_id, range(1, START_WINDOW + 51))
    try:
        async with feed.clinic(clinic_id) as changes:
            await feed.poll_once()
            assert len(changes) == 0
    finally:
        await feed.close()


async def test_a_clinics_first_subscriber_hears_nothing_from_before_it_subscribed() -> None:
    # Given a feed polled for a desk alone, while a journey's event and a task change come
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    clinic_id = await clinic()
    journey_id = await journey(clinic_id, NOW)
    try:
        async with feed.desk(clinic_id):
            await _events(journey_id, range(1, 2))
            await TaskChangeLog.create(clinic_id=clinic_id, task_id="task-before", at=NOW)
            await feed.poll_once()
            # When the clinic's first subscriber comes, and the feed reads again
            async with feed.clinic(clinic_id) as changes:
                await feed.poll_once()
                # Then it hears nothing of them (they were sent as new before: old nudges shown
                # as new alerts), and then of what comes after it
                assert len(changes) == 0
                await _events(journey_id, range(2, 3))
                await feed.poll_once()
                assert [_about(await changes.get())] == [(journey_id, 2, "nudge")]
    finally:
        await feed.close()


async def test_a_change_whose_clinic_could_not_be_read_reaches_the_clinic_on_the_next_tick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a clinic's subscriber, and a journey event whose clinic the feed fails to read once
    feed = JourneyFeed(interval_seconds=3600, queue_limit=LIMIT)
    clinic_id = await clinic()
    journey_id = await journey(clinic_id, NOW)
    try:
        async with feed.clinic(clinic_id) as changes:
            await _events(journey_id, range(1, 2))
            read, failed = Journey.filter, []

            def fails_once(*args: Any, **kwargs: Any) -> Any:
                monkeypatch.setattr(Journey, "filter", read)
                failed.append(True)
                raise ConnectionError("the database blinked")

            monkeypatch.setattr(Journey, "filter", fails_once)
            # (the feed's own tick may be the one that meets the failure: it logs it)
            with contextlib.suppress(ConnectionError):
                await feed.poll_once()
            assert failed
            # When the feed reads again
            await feed.poll_once()
            # Then the change reaches the clinic, once (it counted as delivered before the
            # failed read, and was lost)
            assert len(changes) == 1
            assert _about(await changes.get()) == (journey_id, 1, "nudge")
    finally:
        await feed.close()


async def test_an_event_that_commits_after_hundreds_of_later_ones_is_still_sent() -> None:
    if connections.get("default").capabilities.dialect == "sqlite":
        pytest.skip("SQLite has one writer at a time: its ids become visible in order")
    # Given a clinic's subscriber, and an event whose transaction stays open (in a task of its
    # own: inside a transaction block, every query of the task goes through it)
    feed = JourneyFeed(interval_seconds=3600, queue_limit=1000)
    clinic_id = await clinic()
    late, busy = await journey(clinic_id, NOW), await journey(clinic_id, NOW)
    written, commit = asyncio.Event(), asyncio.Event()

    async def held_open() -> None:
        async with in_transaction() as held:
            await _events(late, range(1, 2), using_db=held)
            written.set()
            await commit.wait()

    try:
        async with feed.clinic(clinic_id) as changes:
            holder = asyncio.create_task(held_open())
            await asyncio.wait_for(written.wait(), timeout=30)
            # while 250 later events commit and are sent
            await _events(busy, range(1, 251))
            await feed.poll_once()
            assert len(changes) == 250
            for _ in range(250):
                await changes.get()
            # When the held event commits, and the feed reads again
            commit.set()
            await asyncio.wait_for(holder, timeout=30)
            await feed.poll_once()
            # Then it is sent (the feed read back 200 ids behind the newest and missed it), once
            assert len(changes) == 1
            assert _about(await changes.get()) == (late, 1, "nudge")
            await feed.poll_once()
            assert len(changes) == 0
    finally:
        commit.set()
        await feed.close()
