"""A member of staff who leaves the clinic (the account deactivated) or takes another role hands
on the open tasks they may no longer do, with that change: a journey's last call, which no later
event of the journey would move, and an invitation back stayed for months on a list nobody
reads; so did a complication written to a doctor who then left."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from schema.feed import JourneyFeed
from schema.ids import decode_id
from server.seed import DEMO_PASSWORD
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver, consultants_call_their_clients, new_key
from tests.api.harness import running_api
from tests.api.live import HandFed, reading
from tests.api.test_booked_rechecks import TASKS
from tests.api.test_departed_callers import DEACTIVATE, another_expert
from tests.api.test_rechecks_and_invitations import CLOSE_NOT_CONVERTED, _report_complication

Clinic = Callable[[], Awaitable[JourneyDriver]]
TASK_MOVES = "subscription { tasksChanged { change task { id assigneeRole followUpId } } }"


async def _tasks(driver: JourneyDriver, token: str) -> list[tuple[str, str, str, str | None]]:
    """(kind, journey, follow-up, assignee) of each open task on the list `token` reads."""
    data = await driver.api.run(TASKS, token)
    assert data["myTasks"]["__typename"] == "FollowUpTaskConnection", data
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return sorted(
        (n["kind"], n["journeyId"], n["followUpId"] or "", n["assigneeId"]) for n in nodes
    )


async def _consultant_with_open_tasks(driver: JourneyDriver) -> tuple[str, str]:
    """A clinic whose consultants call their clients; its consultant holds a treated journey's
    two calls, both due (the second its last: no event of the journey comes after it), and the
    invitation back of a consultation that did not convert. The two journeys' ids."""
    await consultants_call_their_clients(driver)
    treated = (await driver.drive_to("FOLLOW_UP"))["id"]
    await driver.wait_until_due(treated, 2)
    consulted = (await driver.drive_to("CONSULTATION"))["id"]
    await driver.consult(consulted)
    await driver.ok(CLOSE_NOT_CONVERTED, Role.CONSULTANT, journeyId=consulted, reason="later")
    me = driver.staff[Role.CONSULTANT].account_id
    assert await _tasks(driver, driver.token(Role.CONSULTANT)) == [
        ("FOLLOW_UP_CALL", treated, "fu-1", me),
        ("FOLLOW_UP_CALL", treated, "fu-2", me),
        ("INVITATION", consulted, "", me),
    ]
    return treated, consulted


async def _held_by(account_id: str) -> int:
    return await FollowUpTask.filter(assignee_id=account_id, status="OPEN").count()


async def _taken_over_and_done(driver: JourneyDriver, treated: str, consulted: str) -> None:
    """The calls are the follow-up staff's, the invitation the supervisors'; each does theirs."""
    assert await _tasks(driver, driver.token(Role.FOLLOW_UP_STAFF)) == [
        ("FOLLOW_UP_CALL", treated, "fu-1", None),
        ("FOLLOW_UP_CALL", treated, "fu-2", None),
    ]
    (invitation,) = await _tasks(driver, driver.token(Role.SUPERVISOR))
    assert invitation == ("INVITATION", consulted, "", None)
    await driver.complete_follow_up(treated, "fu-1")
    assert (await driver.complete_follow_up(treated, "fu-2"))["stage"] == "COMPLETED"
    data = await driver.api.run(TASKS, driver.token(Role.SUPERVISOR))
    (task_id,) = [edge["node"]["id"] for edge in data["myTasks"]["edges"]]
    done = {"taskId": task_id, "note": "invited for spring", "idempotencyKey": new_key()}
    closed = await driver.api.run(docs.COMPLETE_TASK, driver.token(Role.SUPERVISOR), input=done)
    assert closed["completeTask"]["task"]["status"] == "DONE", closed


@pytest.fixture
async def hand_fed_api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[HandFed]:
    """An API whose feed reads only when the test tells it to (for a clinic of its own)."""
    feed = JourneyFeed(interval_seconds=3600)
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed) as watched:
        yield HandFed(feed, watched, "")


async def test_a_deactivated_consultant_s_open_tasks_go_to_who_takes_them_over(
    fresh_clinic: Clinic, hand_fed_api: HandFed
) -> None:
    # Given a consultant holding a journey's last call and an invitation back, and the follow-up
    # staff watching their list
    driver = await fresh_clinic()
    treated, consulted = await _consultant_with_open_tasks(driver)
    token = driver.token(Role.FOLLOW_UP_STAFF)
    async with reading(hand_fed_api.api.subscription(TASK_MOVES, token), "tasksChanged") as pushes:
        await hand_fed_api.watching()
        # When the consultant's account is deactivated
        leaving = {"staffId": driver.staff[Role.CONSULTANT].global_id, "active": False}
        left = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=leaving)
        assert left["updateStaffAccount"] == {"__typename": "StaffAccountPayload", "active": False}
        await hand_fed_api.feed.poll_once()
        # Then the follow-up staff hear at once of both calls, now theirs
        heard = [(await pushes.next()) for _ in range(2)]
    assert sorted(
        (p["change"], p["task"]["followUpId"], p["task"]["assigneeRole"]) for p in heard
    ) == [
        ("CHANGED", "fu-1", "FOLLOW_UP_STAFF"),
        ("CHANGED", "fu-2", "FOLLOW_UP_STAFF"),
    ]
    # And the account holds none of its tasks
    assert await _held_by(driver.staff[Role.CONSULTANT].account_id) == 0
    # And the calls are made, and the invitation closed, by those who took them over
    await _taken_over_and_done(driver, treated, consulted)


async def test_a_consultant_made_a_cashier_hands_on_the_tasks_a_cashier_does_not_do(
    fresh_clinic: Clinic,
) -> None:
    # Given a consultant holding a journey's last call and an invitation back
    driver = await fresh_clinic()
    treated, consulted = await _consultant_with_open_tasks(driver)
    # When the account is made a cashier's
    consultant = driver.staff[Role.CONSULTANT]
    change = {"staffId": consultant.global_id, "role": "CASHIER"}
    changed = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=change)
    assert changed["updateStaffAccount"]["__typename"] == "StaffAccountPayload", changed
    # Then it holds none of the tasks (a cashier has no task list to read them on)
    assert await _held_by(consultant.account_id) == 0
    # And made a consultant again, the account gets none of them back
    back = {"staffId": consultant.global_id, "role": "CONSULTANT"}
    again = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=back)
    assert again["updateStaffAccount"]["__typename"] == "StaffAccountPayload", again
    login = {"username": consultant.username, "password": DEMO_PASSWORD}
    signed_in = (await driver.api.run(documents.LOGIN, input=login))["login"]
    assert signed_in["staff"]["role"] == "CONSULTANT", signed_in
    assert await _tasks(driver, signed_in["token"]) == []
    # And the calls are made, and the invitation closed, by those who took them over
    await _taken_over_and_done(driver, treated, consulted)


async def _complication_of(driver: JourneyDriver, performer: str) -> tuple[str, dict[str, Any]]:
    """A journey treated by `performer` (approved by the clinic's expert), a complication
    reported on its first call: the journey's id and the doctor's task."""
    jid = (await driver.drive_to("TREATMENT"))["id"]  # paid
    await driver.start_treatment(jid)
    await driver.ok(
        documents.COMPLETE_TREATMENT,
        Role.NURSE,
        journeyId=jid,
        performerId=performer,
        procedure="fillers and toxin",
        products=[{"name": "Filler X", "lotNumber": "LOT-42", "dose": "1 ml"}],
    )
    await driver.hand_over(jid)
    await driver.wait_until_due(jid, 1)
    await _report_complication(driver, jid, "swelling growing since yesterday")
    task = await FollowUpTask.get(journey_id=decode_id(jid, "Journey"), kind="COMPLICATION")
    return jid, {"id": task.id, "assignee": (task.assignee_role, task.assignee_id)}


async def test_a_complication_of_a_doctor_who_left_goes_to_the_approving_expert(
    fresh_clinic: Clinic,
) -> None:
    # Given a complication on the list of the doctor who treated (not the approving expert)
    driver = await fresh_clinic()
    treating = await another_expert(driver)
    _, task = await _complication_of(driver, treating.global_id)
    assert task["assignee"] == ("EXPERT", treating.account_id)
    # When the treating doctor leaves the clinic
    leaving = {"staffId": treating.global_id, "active": False}
    left = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=leaving)
    assert left["updateStaffAccount"]["__typename"] == "StaffAccountPayload", left
    # Then it is the approving expert's, who closes it
    approving = driver.staff[Role.EXPERT]
    moved = await FollowUpTask.get(id=task["id"])
    assert (moved.assignee_role, moved.assignee_id) == ("EXPERT", approving.account_id)
    done = {"taskId": task["id"], "note": "seen: settling", "idempotencyKey": new_key()}
    closed = await driver.api.run(docs.COMPLETE_TASK, approving.token, input=done)
    assert closed["completeTask"]["task"]["status"] == "DONE", closed
    assert await _held_by(treating.account_id) == 0


async def test_a_complication_of_the_approving_expert_who_left_goes_to_any_doctor(
    fresh_clinic: Clinic,
) -> None:
    # Given a complication on the approving expert's list (a nurse treated), and a second doctor
    driver = await fresh_clinic()
    other = await another_expert(driver)
    _, task = await _complication_of(driver, driver.staff[Role.NURSE].global_id)
    approving = driver.staff[Role.EXPERT]
    assert task["assignee"] == ("EXPERT", approving.account_id)
    # When the approving expert leaves the clinic
    leaving = {"staffId": approving.global_id, "active": False}
    left = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=leaving)
    assert left["updateStaffAccount"]["__typename"] == "StaffAccountPayload", left
    # Then any doctor of the clinic has it, and the other doctor closes it
    moved = await FollowUpTask.get(id=task["id"])
    assert (moved.assignee_role, moved.assignee_id) == ("EXPERT", None)
    assert await _held_by(approving.account_id) == 0
    done = {"taskId": task["id"], "note": "seen: settling", "idempotencyKey": new_key()}
    closed = await driver.api.run(docs.COMPLETE_TASK, other.token, input=done)
    assert closed["completeTask"]["task"]["status"] == "DONE", closed
