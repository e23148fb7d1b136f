"""After-care through the API: the follow-up task lists, three missed calls escalating, the
survey's alert and results, complications and warranty claims opening linked rechecks.

The suite's follow-ups fall due 2 s and 4 s after handover (tests.api.conftest)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.roles import Role
from domain.store.aftercare import TaskClosing, WarrantyCard
from domain.store.models import Clinic, StaffAccount
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import clinic_month, eventually
from tests.api.live import WAIT, Pushes, pushed_task, pushed_task_done, reading


async def _tasks(driver: JourneyDriver, role: Role, **filters: Any) -> list[dict[str, Any]]:
    data = await driver.api.run(docs.MY_TASKS, driver.token(role), **filters)
    result = data["myTasks"]
    assert result["__typename"] == "FollowUpTaskConnection", result
    return [edge["node"] for edge in result["edges"]]


def _first_call(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tasks of the first call (the second falls due two seconds after it)."""
    return [task for task in tasks if task["followUpId"] == "fu-1"]


async def _miss(driver: JourneyDriver, journey_id: str, follow_up_id: str) -> None:
    await driver.ok(
        documents.COMPLETE_FOLLOW_UP,
        Role.FOLLOW_UP_STAFF,
        journeyId=journey_id,
        followUpId=follow_up_id,
        outcome="NOT_REACHED",
    )


async def test_due_calls_are_tasks_that_three_misses_escalate_and_low_scores_alert(
    fresh_clinic: Any, held: contextlib.AsyncExitStack
) -> None:
    driver: JourneyDriver = await fresh_clinic()
    supervisor = driver.staff[Role.SUPERVISOR]
    clinic_id = (await StaffAccount.get(id=supervisor.account_id)).clinic_id
    # This clinic counts a task overdue as soon as it falls due.
    policy = {
        "followUpAssignee": "FOLLOW_UP_STAFF",
        "overdueAfterHours": 0,
        "warrantyDays": 365,
        "idempotencyKey": new_key(),
    }
    set_policy = await driver.api.run(docs.SET_POLICY, supervisor.token, input=policy)
    assert set_policy["setAftercarePolicy"]["policy"]["overdueAfterHours"] == 0
    # Follow-up staff watch their list from before her journey reaches its follow-ups (served
    # before it goes on): the first call falls due two seconds after, which a loaded machine's
    # subscription opened after the journey had missed.
    caller = driver.token(Role.FOLLOW_UP_STAFF)
    caller_watch = driver.api.subscription(docs.TASKS_CHANGED, caller)
    calls = await held.enter_async_context(reading(caller_watch, "tasksChanged"))
    journey = await driver.drive_to("FOLLOW_UP")
    jid = journey["id"]
    assert await _tasks(driver, Role.FOLLOW_UP_STAFF) == []  # nothing is due yet
    # A supervisor watches their list from now on: a task closed by hand is pushed too.
    sup_watch = driver.api.subscription(docs.TASKS_CHANGED, supervisor.token)
    watched = await held.enter_async_context(reading(sup_watch, "tasksChanged"))
    # Follow-up staff hear of the call as it falls due.
    update = await calls.next()
    assert update["change"] == "CHANGED"
    assert (update["task"]["journeyId"], update["task"]["followUpId"]) == (jid, "fu-1")
    await driver.wait_until_due(jid, 1)

    (call,) = _first_call(await _tasks(driver, Role.FOLLOW_UP_STAFF, due=True))
    assert (call["kind"], call["followUpId"], call["label"]) == ("FOLLOW_UP_CALL", "fu-1", "2s")
    assert (call["assigneeRole"], call["assigneeId"], call["attempts"]) == (
        "FOLLOW_UP_STAFF",
        None,
        0,
    )
    assert call["journeyId"] == jid and not call["escalated"]
    assert await _tasks(driver, Role.CONSULTANT) == []  # the clinic's calls are not theirs

    # A missed call is retried later: no longer due now, on the list for later.
    await _miss(driver, jid, "fu-1")
    assert _first_call(await _tasks(driver, Role.FOLLOW_UP_STAFF, due=True)) == []
    (later,) = _first_call(await _tasks(driver, Role.FOLLOW_UP_STAFF, due=False))
    assert later["attempts"] == 1 and later["status"] == "OPEN"
    assert later["dueAt"] > call["dueAt"]
    await _miss(driver, jid, "fu-1")
    await _miss(driver, jid, "fu-1")
    # The third miss hands the call to a supervisor.
    assert _first_call(await _tasks(driver, Role.FOLLOW_UP_STAFF)) == []
    (escalated,) = await _tasks(driver, Role.SUPERVISOR)
    assert escalated["id"] == call["id"]
    assert (escalated["assigneeRole"], escalated["attempts"], escalated["escalated"]) == (
        "SUPERVISOR",
        3,
        True,
    )

    # fu-2 falls due and, a second later, is overdue; the escalated retry is not yet.
    await driver.wait_until_due(jid, 2)

    async def overdue() -> list[dict[str, Any]]:
        return await _tasks(driver, Role.FOLLOW_UP_STAFF, overdue=True)

    (late,) = await eventually(overdue, lambda found: len(found) == 1, timeout=10, what="late")
    assert late["followUpId"] == "fu-2" and late["overdue"]
    assert await _tasks(driver, Role.FOLLOW_UP_STAFF, overdue=False) == []
    stats = await driver.api.run(docs.OVERDUE_COUNT, supervisor.token, clinicId=clinic_id)
    assert stats["journeyStats"]["overdueTasks"] == 1

    # The survey: a low score puts a task on the supervisors' list; results per doctor.
    scores = {"impression": 4, "trustInDoctor": 5, "priceJustified": 2, "quality": 4}
    answer = {"journeyId": jid, **scores, "comment": "a bit pricey", "idempotencyKey": new_key()}
    recorded = await driver.api.run(
        docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=answer
    )
    survey = recorded["recordSurvey"]
    assert survey["__typename"] == "SurveyRecorded", survey
    assert survey["alerted"] and survey["survey"]["lowScores"] == ["priceJustified"]
    again = await driver.api.run(
        docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=answer
    )
    assert again["recordSurvey"]["survey"]["id"] == survey["survey"]["id"]
    bad = {**answer, "quality": 6, "idempotencyKey": new_key()}
    refused = await driver.api.run(
        docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=bad
    )
    assert refused["recordSurvey"]["problems"] == [
        {"field": "quality", "message": "a whole number from 1 to 5"}
    ]
    kinds = sorted(task["kind"] for task in await _tasks(driver, Role.SUPERVISOR))
    assert kinds == ["FOLLOW_UP_CALL", "LOW_SURVEY_SCORE"]
    # and is pushed to the supervisors watching `tasksChanged`
    pushed = await asyncio.wait_for(pushed_task(watched, kind="LOW_SURVEY_SCORE"), timeout=WAIT)
    assert pushed["status"] == "OPEN"
    await _close_the_low_score_task(driver, clinic_id, late["id"], watched)
    month = clinic_month()
    results = await driver.api.run(
        docs.SURVEY_RESULTS, supervisor.token, clinicId=clinic_id, month=month
    )
    summary = results["surveyResults"]
    assert summary["overall"] == {
        "responses": 1,
        "impression": 4.0,
        "trustInDoctor": 5.0,
        "lowResponses": 1,
    }
    assert summary["byDoctor"] == [
        {"key": driver.staff[Role.EXPERT].account_id, "averages": {"responses": 1, "quality": 4.0}}
    ]
    assert summary["byProcedureType"] == [{"key": "UNSPECIFIED", "averages": {"responses": 1}}]


async def _close_the_low_score_task(
    driver: JourneyDriver, clinic_id: str, call_id: str, watched: Pushes
) -> None:
    """A supervisor closes the low score with a note: off the list and out of the overdue count,
    pushed DONE to the supervisors watching `tasksChanged`; a nurse may not, a call is closed by
    its own outcome, a key reused for another note clashes."""
    supervisor = driver.staff[Role.SUPERVISOR]
    (low,) = [t for t in await _tasks(driver, Role.SUPERVISOR) if t["kind"] == "LOW_SURVEY_SCORE"]
    assert low["overdue"]  # this clinic allows no time past due

    async def close(role: Role, task_id: str, note: str, key: str) -> dict[str, Any]:
        done = {"taskId": task_id, "note": note, "idempotencyKey": key}
        data = await driver.api.run(docs.COMPLETE_TASK, driver.token(role), input=done)
        return data["completeTask"]  # type: ignore[no-any-return]

    async def overdue_tasks() -> int:
        stats = await driver.api.run(docs.OVERDUE_COUNT, supervisor.token, clinicId=clinic_id)
        return stats["journeyStats"]["overdueTasks"]  # type: ignore[no-any-return]

    before = await overdue_tasks()
    nurse = await close(Role.NURSE, low["id"], "called back", new_key())
    assert nurse["__typename"] == "NotAuthorized", nurse
    call = await close(Role.FOLLOW_UP_STAFF, call_id, "called", new_key())
    assert call["__typename"] == "TransitionNotAllowed" and "completeFollowUp" in call["message"]
    blank = await close(Role.SUPERVISOR, low["id"], "  ", new_key())
    assert blank["problems"] == [{"field": "note", "message": "required"}]
    key = new_key()
    closed = await close(Role.SUPERVISOR, low["id"], "refund of the difference agreed", key)
    assert closed["__typename"] == "TaskCompleted", closed
    assert closed["task"] == {
        "id": low["id"],
        "kind": "LOW_SURVEY_SCORE",
        "status": "DONE",
        "overdue": False,
    }
    done = await asyncio.wait_for(pushed_task_done(watched, id=low["id"]), timeout=WAIT)
    assert (done["kind"], done["overdue"]) == ("LOW_SURVEY_SCORE", False)
    retried = await close(Role.SUPERVISOR, low["id"], "refund of the difference agreed", key)
    assert retried == closed
    clash = await close(Role.SUPERVISOR, low["id"], "another note", key)
    assert clash["__typename"] == "Conflict", clash
    twice = await close(Role.SUPERVISOR, low["id"], "again", new_key())
    assert twice["__typename"] == "TransitionNotAllowed" and "already" in twice["message"]
    record = await TaskClosing.get(task_id=low["id"])
    assert (record.closed_by, record.note) == (
        supervisor.account_id,
        "refund of the difference agreed",
    )
    assert [t["kind"] for t in await _tasks(driver, Role.SUPERVISOR)] == ["FOLLOW_UP_CALL"]
    assert await overdue_tasks() == before - 1


async def test_a_complication_alerts_the_doctor_and_opens_a_linked_recheck(
    driver: JourneyDriver,
) -> None:
    journey = await driver.drive_to("FOLLOW_UP")
    jid = journey["id"]
    await driver.wait_until_due(jid, 1)
    # A complication is not a plain call's outcome: it has its own mutation.
    plain = await driver.act(
        documents.COMPLETE_FOLLOW_UP,
        Role.FOLLOW_UP_STAFF,
        journeyId=jid,
        followUpId="fu-1",
        outcome="COMPLICATION",
    )
    assert plain["problems"] == [
        {"field": "outcome", "message": "a complication is reported with reportComplication"}
    ]
    report = {
        "journeyId": jid,
        "followUpId": "fu-1",
        "note": "swelling growing since yesterday",
        "idempotencyKey": new_key(),
    }
    data = await driver.api.run(
        docs.REPORT_COMPLICATION, driver.token(Role.FOLLOW_UP_STAFF), input=report
    )
    reported = data["reportComplication"]
    assert reported["__typename"] == "ComplicationReported", reported
    assert reported["journey"]["followUps"][0] == {"id": "fu-1", "status": "DONE"}
    recheck = reported["recheckJourney"]
    assert (recheck["stage"], recheck["visitCategory"], recheck["linkedJourneyId"]) == (
        "RECEPTION",
        "RECHECK",
        jid,
    )
    assert recheck["consultant"]["id"] == driver.staff[Role.CONSULTANT].global_id
    # The treating doctor has it on their list at once, with the recheck linked.
    doctor_tasks = await _tasks(driver, Role.EXPERT, due=True)
    (alert,) = [task for task in doctor_tasks if task["journeyId"] == jid]
    assert alert["kind"] == "COMPLICATION" and alert["escalated"]
    assert alert["assigneeId"] == driver.staff[Role.EXPERT].account_id
    assert alert["linkedJourneyId"] == recheck["id"]
    # A retry answers the same recheck; the same key with another note is a conflict.
    again = await driver.api.run(
        docs.REPORT_COMPLICATION, driver.token(Role.FOLLOW_UP_STAFF), input=report
    )
    assert again["reportComplication"]["recheckJourney"]["id"] == recheck["id"]
    other = {**report, "note": "something else"}
    clash = await driver.api.run(
        docs.REPORT_COMPLICATION, driver.token(Role.FOLLOW_UP_STAFF), input=other
    )
    assert clash["reportComplication"]["code"] == "CONFLICT"
    # A warranty claim while that recheck is open is served by it, not by a second one.
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=jid)
    number = data["journey"]["warrantyCard"]["number"]
    claim = {"warrantyNumber": number, "reason": "still swollen", "idempotencyKey": new_key()}
    answer = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    assert answer["claimWarranty"]["recheckJourney"]["id"] == recheck["id"]
    # At triage the doctor who examines is picked: recorded as the expert, the owner kept.
    await driver.ok(documents.CHECK_IN, Role.FRONT_DESK, journeyId=recheck["id"])
    doctor = driver.staff[Role.EXPERT]
    assigned = await driver.ok(
        documents.ASSIGN_CONSULTANT,
        Role.FRONT_DESK,
        journeyId=recheck["id"],
        consultantId=doctor.global_id,
    )
    assert assigned["consultant"]["id"] == driver.staff[Role.CONSULTANT].global_id
    owner = driver.staff[Role.CONSULTANT].account_id
    summary = f"assigned to {owner}, examined by {doctor.account_id}"
    assert assigned["history"][-1]["summary"] == summary
    # The recheck ends (here: the client did not come): the doctor's task goes with it, and the
    # doctor watching their list hears so.
    doctor_watch = driver.api.subscription(docs.TASKS_CHANGED, driver.token(Role.EXPERT))
    async with reading(doctor_watch, "tasksChanged") as watched:
        await driver.ok(
            documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=recheck["id"], reason="no need"
        )
        settled = await asyncio.wait_for(pushed_task(watched, id=alert["id"]), timeout=WAIT)
    assert settled["status"] == "CLOSED"
    left = await _tasks(driver, Role.EXPERT)
    assert alert["id"] not in [task["id"] for task in left]


async def test_a_warranty_claim_inside_its_period_opens_a_recheck_and_outside_is_refused(
    driver: JourneyDriver,
) -> None:
    journey = await driver.drive_to("HANDOVER")
    jid = journey["id"]
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=jid)
    card = data["journey"]["warrantyCard"]
    assert card["number"].startswith("W-") and card["terms"]
    # It covers its last day whole, in the clinic's calendar (the leaflet's "valid until")
    front_desk = await StaffAccount.get(id=driver.staff[Role.FRONT_DESK].account_id)
    zone = ZoneInfo((await Clinic.get(id=front_desk.clinic_id)).timezone)
    last_moment = datetime.fromisoformat(card["endsAt"]).astimezone(zone)
    assert (last_moment.hour, last_moment.minute, last_moment.second) == (23, 59, 59)
    claim = {"warrantyNumber": card["number"], "reason": "asymmetry", "idempotencyKey": new_key()}
    answer = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    claimed = answer["claimWarranty"]
    assert claimed["__typename"] == "WarrantyClaimed", claimed
    recheck = claimed["recheckJourney"]
    assert (recheck["visitCategory"], recheck["linkedJourneyId"]) == ("RECHECK", jid)
    assert recheck["consultant"]["id"] == driver.staff[Role.CONSULTANT].global_id

    # A card whose period ended a month ago: refused, naming the day, nothing opened.
    ended = datetime.now(UTC) - timedelta(days=30)
    old = await WarrantyCard.create(
        number=f"W-OLD-{new_key()[-12:]}",
        clinic_id=front_desk.clinic_id,
        journey_id=f"old-{new_key()}",
        client_id="nobody",
        issued_at=ended - timedelta(days=365),
        ends_at=ended,
        terms="one year",
    )
    late = {"warrantyNumber": old.number, "reason": "asymmetry", "idempotencyKey": new_key()}
    answer = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=late)
    ended_on = ended.astimezone(zone).date().isoformat()  # in the clinic's calendar
    assert answer["claimWarranty"] == {
        "__typename": "WarrantyExpired",
        "code": "WARRANTY_EXPIRED",
        "message": f"the warranty ended on {ended_on}",
        "endedOn": ended_on,
    }
