"""The shared change feed on the real database: a subscriber that falls behind is bounded, and
told to resync instead of being sent everything it missed; a task changed without a journey
event reaches its clinic's subscribers once, and only if it came after they subscribed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.store.aftercare import TaskChangeLog
from domain.store.models import JourneyEvent
from schema.feed import JourneyFeed, TaskTouched
from schema.mailbox import RESYNC

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LIMIT = 3


async def _events(journey_id: str, seqs: range) -> None:
    for seq in seqs:
        await JourneyEvent.create(
            journey_id=journey_id,
            seq=seq,
            action="nudge",
            to_stage="TRIAGE",
            actor_id="supervisor-1",
            actor_role="SUPERVISOR",
            at=NOW,
            summary="nudge",
        )


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
