"""A ward's record marked entered in error gives back the task it settled (seed 003: a reading
of every hour; seed 000: a record in error is void, not erased). The nurse's list must not say a
reading was taken when the record that said so is void: the reading is open again, with the
mark, and `tasksChanged` pushes it, unless another observation of that hour still stands. A
round marked in error gives back the round; an observation corrected to another hour gives back
the hour it left, in the correction's transaction. Through the real server, as `test_ward_tasks`."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.client_file import ClientEntry
from schema.clients import file_corrections
from schema.ids import decode_id
from tests.api import ward_task_support as ward
from tests.api.aftercare_documents import COMPLETE_TASK, TASKS_CHANGED
from tests.api.client_file_support import MARK_ENTERED_IN_ERROR
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.live import pushed_task, pushed_task_done, reading
from tests.api.post_op_support import (
    AMEND,
    RECORD_OBSERVATION,
    RECORD_WARD_ROUND,
    observation_in_the_first_hours,
    surgical_type,
    yesterday_evening,
)
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _observed(clinic: JourneyDriver, jid: str, at: datetime) -> str:
    """The nurse's observation of the journey at `at`: its entry id."""
    input = observation_in_the_first_hours(jid, at)
    recorded = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=input)
    assert recorded["__typename"] == "ClientEntryPayload", recorded
    return str(recorded["entry"]["id"])


async def _mark(clinic: JourneyDriver, role: Role, entry_id: str) -> None:
    mark = {"entryId": entry_id, "reason": "another client's chart", "idempotencyKey": _key()}
    marked = await run(clinic, MARK_ENTERED_IN_ERROR, role, input=mark)
    assert marked["__typename"] == "ClientEntryPayload", marked


def _key() -> str:
    return str(uuid.uuid4())


async def _status(jid: str, label: str) -> str:
    task = await FollowUpTask.get(journey_id=ward.raw(jid), label=label)
    return task.status


async def _charted_at_1_55_to_move_to_1_05(clinic: JourneyDriver) -> tuple[str, dict[str, Any]]:
    """A journey 2:40 after its operation, the second hour's reading settled by an observation
    charted at 1:55 after it: the journey, and the nurse's correction of the observation to
    1:05 (the first hour's reading), not sent."""
    client = await clinic.register_client()
    ended = datetime.now(UTC) - timedelta(hours=2, minutes=40)
    jid = await ward.operated(clinic, client, await surgical_type(clinic), ended)
    observation = observation_in_the_first_hours(jid, ended + timedelta(hours=1, minutes=55))
    recorded = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=observation)
    assert recorded["__typename"] == "ClientEntryPayload", recorded
    corrected = {k: v for k, v in observation.items() if k not in ("journeyId", "idempotencyKey")}
    corrected["observedAt"] = (ended + timedelta(hours=1, minutes=5)).isoformat()
    amend = {"entryId": recorded["entry"]["id"], "reason": "time misread", "idempotencyKey": _key()}
    return jid, {**amend, "postOpObservation": corrected}


async def test_a_reading_marked_in_error_is_open_again_and_pushed(
    api: Api, fresh_clinic: FreshClinic, held: contextlib.AsyncExitStack
) -> None:
    # Given an operation that ended two hours and forty minutes ago, its second hour's reading
    # taken and settled, the nurses watching their list
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    ended = datetime.now(UTC) - timedelta(hours=2, minutes=40)
    jid = await ward.operated(clinic, client, await surgical_type(clinic), ended)
    watch = api.subscription(TASKS_CHANGED, clinic.token(Role.NURSE))
    watched = await held.enter_async_context(reading(watch, "tasksChanged"))
    entry_id = await _observed(clinic, jid, ended + timedelta(hours=2) - timedelta(minutes=5))
    await pushed_task_done(watched, journeyId=jid, kind="WARD_READING", label="2h")
    assert await ward.stats(clinic) == (1, 1)
    # When the nurse marks that observation entered in error
    await _mark(clinic, Role.NURSE, entry_id)
    # Then the reading is open again, and overdue (its half hour has passed): pushed so
    again = await pushed_task(
        watched, journeyId=jid, kind="WARD_READING", label="2h", status="OPEN"
    )
    assert (again["status"], again["overdue"]) == ("OPEN", True)
    late = await ward.ward_tasks(clinic, Role.NURSE, jid, overdue=True)
    assert [task["label"] for task in late] == ["1h", "2h"]
    assert await ward.stats(clinic) == (2, 2)
    # And it closes as a missed reading does, with what came of it
    note = {
        "taskId": again["id"],
        "note": "taken on paper; chart corrected",
        "idempotencyKey": _key(),
    }
    closed = await run(clinic, COMPLETE_TASK, Role.NURSE, input=note)
    assert closed["__typename"] == "TaskCompleted", closed
    assert await ward.stats(clinic) == (1, 1)


async def test_a_reading_stays_done_while_another_observation_of_its_hour_stands(
    api: Api, fresh_clinic: FreshClinic, held: contextlib.AsyncExitStack
) -> None:
    # Given two observations within the second hour's half hours, and the first hour's
    # reading missed and closed by hand before an observation of it was charted late
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    ended = datetime.now(UTC) - timedelta(hours=2, minutes=40)
    jid = await ward.operated(clinic, client, await surgical_type(clinic), ended)
    hour = ended + timedelta(hours=2)
    early = await _observed(clinic, jid, hour - timedelta(minutes=20))
    late = await _observed(clinic, jid, hour + timedelta(minutes=10))
    (missed,) = await ward.ward_tasks(clinic, Role.NURSE, jid, overdue=True)
    note = {"taskId": missed["id"], "note": "client asleep", "idempotencyKey": _key()}
    assert (await run(clinic, COMPLETE_TASK, Role.NURSE, input=note))["__typename"] == (
        "TaskCompleted"
    )
    charted = await _observed(clinic, jid, ended + timedelta(hours=1))
    # When the earlier observation of the second hour, and the late one of the first, are
    # marked in error
    await _mark(clinic, Role.NURSE, early)
    await _mark(clinic, Role.SUPERVISOR, charted)
    # Then the second hour's reading stays done (the later observation still stands), and the
    # first hour's stays closed with what came of it
    assert (await _status(jid, "2h"), await _status(jid, "1h")) == ("DONE", "DONE")
    assert await ward.stats(clinic) == (0, 0)
    # When the other observation of the second hour is marked in error too
    watch = api.subscription(TASKS_CHANGED, clinic.token(Role.NURSE))
    watched = await held.enter_async_context(reading(watch, "tasksChanged"))
    await _mark(clinic, Role.NURSE, late)
    # Then nothing stands for it: it is open again, and the nurses hear of it
    again = await pushed_task(
        watched, journeyId=jid, kind="WARD_READING", label="2h", status="OPEN"
    )
    assert again["status"] == "OPEN"
    assert await ward.stats(clinic) == (1, 1)


async def test_a_round_marked_in_error_is_the_doctor_s_again(
    api: Api, fresh_clinic: FreshClinic, held: contextlib.AsyncExitStack
) -> None:
    # Given an operation yesterday evening, the doctor's round of this day recorded and settled
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    jid = await ward.operated(clinic, client, await surgical_type(clinic), yesterday_evening())
    visit: dict[str, Any] = {
        "journeyId": jid,
        "visitedAt": datetime.now(UTC).isoformat(),
        "recoveringAsExpected": True,
        "findings": "swelling as expected, wound clean",
        "nextStep": "discharge; dressing on day 3",
        "idempotencyKey": _key(),
    }
    done = await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=visit)
    assert done["__typename"] == "ClientEntryPayload", done
    assert await ward.ward_tasks(clinic, Role.EXPERT, jid) == []
    watch = api.subscription(TASKS_CHANGED, clinic.token(Role.EXPERT))
    watched = await held.enter_async_context(reading(watch, "tasksChanged"))
    # When the doctor marks it entered in error
    await _mark(clinic, Role.EXPERT, str(done["entry"]["id"]))
    # Then the round is on the doctor's list again, pushed, due and still within its day
    again = await pushed_task(watched, journeyId=jid, kind="WARD_ROUND", status="OPEN")
    assert (again["status"], again["overdue"]) == ("OPEN", False)
    (task,) = await ward.ward_tasks(clinic, Role.EXPERT, jid)
    assert task["id"] == again["id"]


async def test_an_observation_corrected_to_another_hour_gives_back_the_hour_it_left(
    api: Api, fresh_clinic: FreshClinic, held: contextlib.AsyncExitStack
) -> None:
    # Given the second hour's reading settled by an observation charted at 1:55 after the
    # operation, the nurses watching their list
    clinic = await fresh_clinic()
    jid, amend = await _charted_at_1_55_to_move_to_1_05(clinic)
    watch = api.subscription(TASKS_CHANGED, clinic.token(Role.NURSE))
    watched = await held.enter_async_context(reading(watch, "tasksChanged"))
    # When the nurse corrects its time: it was taken at 1:05, the first hour's reading
    amended = await run(clinic, AMEND, Role.NURSE, input=amend)
    assert amended["__typename"] == "ClientEntryPayload", amended
    # Then the first hour's reading is done, and the second's is owed again: both pushed, in
    # either order (a push of the earlier DONE of the second may come first to a list that began
    # watching just after it: pushes merge by id)
    wanted = {("1h", "DONE"), ("2h", "OPEN")}
    heard: dict[tuple[str, str], dict[str, Any]] = {}
    while not wanted <= heard.keys():
        task = await pushed_task(watched, journeyId=jid)
        heard[(task["label"], task["status"])] = task
    assert heard[("2h", "OPEN")]["overdue"] is True
    assert (await _status(jid, "1h"), await _status(jid, "2h")) == ("DONE", "OPEN")
    late = await ward.ward_tasks(clinic, Role.NURSE, jid, overdue=True)
    assert [task["label"] for task in late] == ["2h"]


async def test_a_correction_whose_tasks_could_not_be_moved_is_not_written(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the second hour's reading settled by an observation charted at 1:55 after the
    # operation, the first hour's owed
    clinic = await fresh_clinic()
    jid, amend = await _charted_at_1_55_to_move_to_1_05(clinic)
    entry_id = decode_id(amend["entryId"], "ClientEntry")

    # When the nurse corrects its time to 1:05 and the tasks cannot be moved (the database
    # connection lost between the correction and its tasks)
    async def lost(*_: Any) -> int:
        raise ConnectionResetError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(file_corrections, "settle_ward_tasks", lost)
        with pytest.raises(TransportQueryError):
            await run(clinic, AMEND, Role.NURSE, input=amend)
    # Then nothing of it stands: the observation uncorrected, each hour's reading as it was
    assert await ClientEntry.exists(id=entry_id)
    assert not await ClientEntry.exists(amends_id=entry_id)
    assert (await _status(jid, "1h"), await _status(jid, "2h")) == ("OPEN", "DONE")
    # When she sends it again, under the same key
    amended = await run(clinic, AMEND, Role.NURSE, input=amend)
    # Then it is written with what it brings about: the first hour done, the second owed again
    assert amended["__typename"] == "ClientEntryPayload", amended
    assert (await _status(jid, "1h"), await _status(jid, "2h")) == ("DONE", "OPEN")
