"""Reading follow-up tasks is a read of their clients' data, audited as other reads are (found by
a review: `myTasks` and `tasksChanged` answered a client's complication, low survey score or
recheck, by journey, and left no entry, so `whoSawMyFile` never showed who had read them).

One entry per client a task answer names, not one per task or field: an answer's entries are
written in one batch, a push's with the push."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.audit_models import AuditEntry
from domain.store.models import Journey
from schema.ids import encode_id
from tests.api.alert_support import event_row, facts_of
from tests.api.audit_support import clinic_of, entries_of_request, new_request_id, run_traced, seen
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.live import HandFed, pushed_task, reading
from tests.store.money_rows import journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
TASK_READ = "aftercare.task.read"
# Nothing but the task's own fields: no `journey`, whose reading is audited on its own.
OWN_FIELDS = "id kind journeyId followUpId label escalated linkedJourneyId"
MY_TASKS = f"""
query {{
  myTasks {{ __typename ... on FollowUpTaskConnection {{ edges {{ node {{ {OWN_FIELDS} }} }} }} }}
}}
"""
TASKS_CHANGED = f"subscription {{ tasksChanged {{ change task {{ {OWN_FIELDS} }} }} }}"


def _task(
    journey_id: str, clinic_id: str, name: str, due_at: datetime, **more: Any
) -> FollowUpTask:
    values: dict[str, Any] = {
        "kind": "FOLLOW_UP_CALL",
        "label": "24h",
        "status": "OPEN",
        "assignee_role": "FOLLOW_UP_STAFF",
        **more,
    }
    return FollowUpTask(
        id=f"{name}-{journey_id}",
        clinic_id=clinic_id,
        journey_id=journey_id,
        follow_up_id=name,
        due_at=due_at,
        updated_at=due_at,
        **values,
    )


async def _client_of(journey_id: str) -> str:
    return (await Journey.get(id=journey_id)).client_id


async def test_reading_my_tasks_leaves_one_entry_per_client_named(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given follow-up staff with two calls about one client and a complication about another
    clinic = await fresh_clinic()
    clinic_id, now = await clinic_of(clinic), datetime.now(UTC)
    first, second = await journey(clinic_id, now), await journey(clinic_id, now)
    await _task(first, clinic_id, "fu-1", now - timedelta(hours=3)).save()
    await _task(second, clinic_id, "fu-1", now - timedelta(hours=2), kind="COMPLICATION").save()
    await _task(first, clinic_id, "fu-2", now - timedelta(hours=1)).save()
    # When they read their list, without the journeys
    request_id = new_request_id()
    token = clinic.token(Role.FOLLOW_UP_STAFF)
    data = await run_traced(api, MY_TASKS, token, request_id)
    # Then the three tasks were answered, and one entry names each client, in the list's order
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    assert [n["kind"] for n in nodes] == ["FOLLOW_UP_CALL", "COMPLICATION", "FOLLOW_UP_CALL"]
    expected = [(await _client_of(first), TASK_READ), (await _client_of(second), TASK_READ)]
    role = Role.FOLLOW_UP_STAFF
    assert await entries_of_request(request_id) == seen(
        clinic, role, clinic_id, request_id, *expected
    )


async def test_each_push_of_a_task_leaves_its_entry(
    driver: JourneyDriver, hand_fed: HandFed
) -> None:
    # Given a client's journey in follow-up, and follow-up staff watching their list
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    journey_id = await journey(clinic_id, now)
    client_id = await _client_of(journey_id)
    facts = facts_of(Stage.FOLLOW_UP, journey_id, clinic_id)
    watcher = driver.staff[Role.FOLLOW_UP_STAFF]
    watch = hand_fed.api.subscription(TASKS_CHANGED, watcher.token)
    entries = AuditEntry.filter(
        clinic_id=clinic_id, client_id=client_id, actor_id=watcher.account_id
    )
    async with reading(watch, "tasksChanged") as pushes:
        await hand_fed.watching()
        # When one event makes two of its calls due, and the next misses the first call once
        await event_row(journey_id, 1, facts, now, "follow_up_due").save()
        await _task(journey_id, clinic_id, "fu-1", now, journey_seq=1).save()
        await _task(journey_id, clinic_id, "fu-2", now, journey_seq=1).save()
        await hand_fed.feed.poll_once()
        due = [
            await pushed_task(pushes, journeyId=encode_id("Journey", journey_id)) for _ in range(2)
        ]
        # Then each of the two pushes has left its entry by the time it is heard
        assert sorted(t["followUpId"] for t in due) == ["fu-1", "fu-2"]
        assert await entries.count() == 2
        await event_row(journey_id, 2, facts, now, "complete_follow_up").save()
        await FollowUpTask.filter(id=f"fu-1-{journey_id}").update(attempts=1, journey_seq=2)
        await hand_fed.feed.poll_once()
        missed = await pushed_task(pushes, journeyId=encode_id("Journey", journey_id))
    # And so has the third
    assert missed["followUpId"] == "fu-1"
    assert [e.action for e in await entries.order_by("seq")] == [TASK_READ] * 3
