"""The ward's tasks after an operation (seed 003): the hourly readings of the vital signs and
the doctor's round of the next day are tasks on the ward's lists from the operation's end, a
record settles its task, and one missed is overdue by its own schedule on the list and in the
supervisor's counts. Through the real server: an operation driven through the API writes the
tasks; hours and days are not waited for, so the later states are operations ended hours or days
ago, read model and tasks written as the operation's event writes them."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from tests.api import ward_task_support as ward
from tests.api.aftercare_documents import COMPLETE_TASK, TASKS_CHANGED
from tests.api.flow import JourneyDriver
from tests.api.harness import TEST_CLINIC_ZONE, Api
from tests.api.live import pushed_task, pushed_task_done, reading
from tests.api.post_op_support import (
    RECORD_OBSERVATION,
    RECORD_WARD_ROUND,
    observation_in_the_first_hours,
    operate,
    surgery_under_way,
    surgical_type,
    yesterday_evening,
)
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_the_operation_puts_the_ward_s_readings_and_round_on_their_lists(
    api: Api, fresh_clinic: FreshClinic, held: contextlib.AsyncExitStack
) -> None:
    # Given a surgery under way, and the nurses watching their list
    clinic = await fresh_clinic()
    jid = await surgery_under_way(clinic)
    watch = api.subscription(TASKS_CHANGED, clinic.token(Role.NURSE))
    watched = await held.enter_async_context(reading(watch, "tasksChanged"))
    # When the surgeon completes the operation
    await operate(clinic, jid)
    ended = await ward.ended(jid)
    # Then the nurses' list holds a reading for each of the first 6 hours, due on the hour
    readings = await ward.ward_tasks(clinic, Role.NURSE, jid)
    assert [(t["kind"], t["label"], t["status"], t["overdue"]) for t in readings] == [
        ("WARD_READING", f"{hour}h", "OPEN", False) for hour in range(1, 7)
    ]
    due = [datetime.fromisoformat(t["dueAt"]) for t in readings]
    assert due == [ended + timedelta(hours=hour) for hour in range(1, 7)]
    assert {(t["assigneeRole"], t["assigneeId"]) for t in readings} == {("NURSE", None)}
    assert await ward.stats(clinic) == (0, 0)
    # And the doctor who operated has the next day's round on his list
    (round_task,) = await ward.ward_tasks(clinic, Role.EXPERT, jid)
    assert (round_task["kind"], round_task["assigneeId"]) == (
        "WARD_ROUND",
        clinic.staff[Role.EXPERT].account_id,
    )
    day = ended.astimezone(TEST_CLINIC_ZONE).date() + timedelta(days=1)
    midnight = datetime.combine(day, time.min, TEST_CLINIC_ZONE)
    assert (round_task["label"], round_task["overdue"]) == (day.isoformat(), False)
    assert datetime.fromisoformat(round_task["dueAt"]) == midnight
    # And the nurses heard of the readings with the operation
    pushed = await pushed_task(watched, journeyId=jid, kind="WARD_READING", label="6h")
    assert pushed["status"] == "OPEN"


async def test_a_reading_missed_is_overdue_for_the_ward_and_the_supervisor(
    api: Api, fresh_clinic: FreshClinic, held: contextlib.AsyncExitStack
) -> None:
    # Given an operation that ended two hours and forty minutes ago, the nurses watching
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    watch = api.subscription(TASKS_CHANGED, clinic.token(Role.NURSE))
    watched = await held.enter_async_context(reading(watch, "tasksChanged"))
    ended = datetime.now(UTC) - timedelta(hours=2, minutes=40)
    jid = await ward.operated(clinic, client, await surgical_type(clinic), ended)
    # When the nurse records the second hour's reading (five minutes before it), not the first's
    second = ended + timedelta(hours=2) - timedelta(minutes=5)
    recorded = await run(
        clinic, RECORD_OBSERVATION, Role.NURSE, input=observation_in_the_first_hours(jid, second)
    )
    assert recorded["__typename"] == "ClientEntryPayload", recorded
    # Then the second hour's reading is settled, and the nurses hear of it
    done = await pushed_task_done(watched, journeyId=jid, kind="WARD_READING", label="2h")
    assert done["overdue"] is False
    # And the first hour's is overdue, on the nurses' list and in the supervisor's counts
    late = await ward.ward_tasks(clinic, Role.NURSE, jid, overdue=True)
    assert [(t["label"], t["overdue"]) for t in late] == [("1h", True)]
    ahead = await ward.ward_tasks(clinic, Role.NURSE, jid, overdue=False)
    assert [t["label"] for t in ahead] == ["3h", "4h", "5h", "6h"]
    assert await ward.stats(clinic) == (1, 1)
    # When the nurse closes the missed reading with what came of it
    closed = await run(
        clinic,
        COMPLETE_TASK,
        Role.NURSE,
        input={"taskId": late[0]["id"], "note": "client asleep; pulse taken at the 2h round"},
    )
    assert closed["__typename"] == "TaskCompleted", closed
    # Then it is off the list and out of the counts
    assert await ward.ward_tasks(clinic, Role.NURSE, jid, overdue=True) == []
    assert await ward.stats(clinic) == (0, 0)


async def test_the_next_day_round_is_overdue_once_the_day_after_the_operation_ends(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client operated on the evening before yesterday, the round of yesterday not done
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    type_key = await surgical_type(clinic)
    missed = await ward.operated(clinic, client, type_key, yesterday_evening() - timedelta(days=1))
    # Then the round is overdue on the doctor's list, and the supervisor counts it with the six
    # readings nobody took
    (late,) = await ward.ward_tasks(clinic, Role.EXPERT, missed, overdue=True)
    assert (late["kind"], late["overdue"]) == ("WARD_ROUND", True)
    assert await ward.stats(clinic) == (7, 7)
    # When the doctor closes it with what came of it, Then it leaves the count
    note = {"taskId": late["id"], "note": "seen on the phone; came in on day 3"}
    closed = await run(clinic, COMPLETE_TASK, Role.EXPERT, input=note)
    assert closed["__typename"] == "TaskCompleted", closed
    assert await ward.stats(clinic) == (6, 6)
    # Given another operation yesterday evening: the round is due, not overdue
    jid = await ward.operated(clinic, client, type_key, yesterday_evening())
    (task,) = await ward.ward_tasks(clinic, Role.EXPERT, jid)
    assert datetime.fromisoformat(task["dueAt"]) <= datetime.now(UTC)
    assert task["overdue"] is False
    assert await ward.ward_tasks(clinic, Role.EXPERT, jid, overdue=True) == []
    # When the doctor records the round
    visit = {
        "journeyId": jid,
        "visitedAt": datetime.now(UTC).isoformat(),
        "recoveringAsExpected": True,
        "findings": "swelling as expected, wound clean",
        "nextStep": "discharge; dressing on day 3",
        "idempotencyKey": str(uuid.uuid4()),
    }
    done = await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=visit)
    assert done["__typename"] == "ClientEntryPayload", done
    # Then the round is settled: off the doctor's list, never counted
    assert await ward.ward_tasks(clinic, Role.EXPERT, jid) == []
    assert (await FollowUpTask.get(id=task["id"])).status == "DONE"
    assert (await ward.stats(clinic))[1] == 6 + await _late_readings(jid)


async def _late_readings(jid: str) -> int:
    """The journey's readings overdue now (yesterday evening's operation: by the hour)."""
    limit = datetime.now(UTC) - timedelta(minutes=30)
    return await FollowUpTask.filter(
        journey_id=ward.raw(jid), kind="WARD_READING", status="OPEN", due_at__lte=limit
    ).count()
