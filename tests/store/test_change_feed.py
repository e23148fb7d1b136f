"""The shared change feed on the real database: a subscriber that falls behind is bounded, and
told to resync instead of being sent everything it missed; a task changed without a journey
event reaches its clinic's subscribers once, and only if it came after they subscribed."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.store.aftercare import TaskChangeLog
from domain.store.models import Journey, JourneyEvent
from schema.feed import ClinicChange, JourneyFeed, TaskTouched
from schema.mailbox import RESYNC
from tests.store.money_rows import clinic, journey

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
                assert [await changes.get()] == [ClinicChange(journey_id, 2, "nudge")]
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
            assert await changes.get() == ClinicChange(journey_id, 1, "nudge")
    finally:
        await feed.close()
