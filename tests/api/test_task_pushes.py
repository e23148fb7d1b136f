"""`tasksChanged` pushes a task when something about it changes, once per change, and tells the
one whose list it leaves (found by a review: every step of a journey after its first call fell
due pushed that call again, unchanged, to every watcher; a call handed to a supervisor stayed on
the follow-up staff's live list; a doctor's complication task was never pushed with the recheck
it is settled by)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from schema.aftercare import complication
from tests.api import aftercare_documents as docs
from tests.api.alert_support import event_row
from tests.api.flow import JourneyDriver, new_key
from tests.api.live import HandFed, pushed_task, reading
from tests.api.task_watch import in_follow_up
from tests.store.money_rows import journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
# (the journeys written by hand here carry no facts: a call's purpose is read from them)
TASK_MOVES = "subscription { tasksChanged { change task { id assigneeRole followUpId } } }"


async def test_a_call_no_event_changed_is_not_pushed_again_with_each_later_event(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given follow-up staff watching their list
    watch = clinic.api.subscription(docs.TASKS_CHANGED, clinic.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # When a journey is handed over, and its two follow-ups fall due, one after the other
        journey_id = (await clinic.drive_to("FOLLOW_UP"))["id"]
        seen: list[tuple[str, str, int]] = []
        while not any(follow_up == "fu-2" for follow_up, _, _ in seen):
            task = (await pushes.next())["task"]
            if task is not None and task["journeyId"] == journey_id:
                seen.append((task["followUpId"], task["status"], task["attempts"]))
    # Then the first call is pushed once, as it fell due: the second's falling due did not
    # change it
    assert [s for s in seen if s[0] == "fu-1"] == [("fu-1", "OPEN", 0)], seen


def _call(
    journey_id: str, clinic_id: str, follow_up_id: str, seq: int, **more: Any
) -> FollowUpTask:
    return FollowUpTask(
        id=f"{follow_up_id}-{journey_id}",
        clinic_id=clinic_id,
        journey_id=journey_id,
        follow_up_id=follow_up_id,
        kind="FOLLOW_UP_CALL",
        label="24h",
        status="OPEN",
        due_at=datetime.now(UTC),
        assignee_role="FOLLOW_UP_STAFF",
        journey_seq=seq,
        updated_at=datetime.now(UTC),
        **more,
    )


async def test_a_call_handed_to_a_supervisor_leaves_the_list_of_the_staff_watching_it(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a call on the follow-up staff's shared list, missed twice, and one of them watching
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id = await journey(clinic_id, now)
    facts = await in_follow_up(journey_id, clinic_id)
    await event_row(journey_id, 1, facts, now, "follow_up_due").save()
    first_call = _call(journey_id, clinic_id, "fu-1", 1, attempts=2)
    await first_call.save()
    watch = hand_fed.api.subscription(TASK_MOVES, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        # When a colleague's third missed call hands it to a supervisor (with its event)
        async with in_transaction():
            await event_row(journey_id, 2, facts, now, "complete_follow_up").save()
            await FollowUpTask.filter(id=first_call.id).update(
                assignee_role="SUPERVISOR", attempts=3, escalated=True, journey_seq=2
            )
        await hand_fed.feed.poll_once()
        # and then the next call falls due for them
        async with in_transaction():
            await event_row(journey_id, 3, facts, now, "follow_up_due").save()
            await _call(journey_id, clinic_id, "fu-2", 3).save()
        await hand_fed.feed.poll_once()
        left, added = await pushes.next(), await pushes.next()
    # Then they hear that the first left their list (a supervisor's now), then of the next
    assert (left["change"], left["task"]["followUpId"]) == ("LEFT", "fu-1")
    assert left["task"]["assigneeRole"] == "SUPERVISOR"
    assert (added["change"], added["task"]["followUpId"]) == ("CHANGED", "fu-2")


async def test_the_doctor_watching_their_list_hears_of_the_recheck_a_complication_opened(
    driver: JourneyDriver, hand_fed: HandFed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey's first call due, and the treating doctor watching their list
    journey_id = (await driver.drive_to("FOLLOW_UP"))["id"]
    await driver.wait_until_due(journey_id, 1)
    # (the feed reads just after the call is recorded, before its recheck is opened, as its
    # tick may)
    opening = complication.open_linked_recheck

    async def read_by_the_feed_first(*args: Any, **kwargs: Any) -> str:
        await hand_fed.feed.poll_once()
        return await opening(*args, **kwargs)

    monkeypatch.setattr(complication, "open_linked_recheck", read_by_the_feed_first)
    watch = hand_fed.api.subscription(docs.TASKS_CHANGED, driver.token(Role.EXPERT))
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        # When a complication is reported on the call
        report = {
            "journeyId": journey_id,
            "followUpId": "fu-1",
            "note": "swelling",
            "idempotencyKey": new_key(),
        }
        token = driver.token(Role.FOLLOW_UP_STAFF)
        data = await driver.api.run(docs.REPORT_COMPLICATION, token, input=report)
        recheck = data["reportComplication"]["recheckJourney"]["id"]
        first = await pushed_task(pushes, kind="COMPLICATION")
        await hand_fed.feed.poll_once()
        linked = await pushed_task(pushes, id=first["id"], linkedJourneyId=recheck)
    # Then they hear of the task as it fell due, and then with the recheck it waits for
    assert first["linkedJourneyId"] is None
    assert linked["linkedJourneyId"] == recheck
