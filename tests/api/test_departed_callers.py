"""A clinic whose consultants call their own clients: a consultant who has left the clinic (the
account deactivated) calls nobody, so the journey's calls and its recheck reminder go to the
clinic's follow-up staff, whose list someone reads. So with the other tasks written for someone
who has left: an invitation back goes to the supervisors, a complication to any doctor."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.models import StaffAccount
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.flow import JourneyDriver, consultants_call_their_clients
from tests.api.harness import Staff, demo_password_hash
from tests.api.test_booked_rechecks import TASKS, _hand_over
from tests.api.test_rechecks_and_invitations import CLOSE_NOT_CONVERTED, _report_complication

Clinic = Callable[[], Awaitable[JourneyDriver]]

DEACTIVATE = """
mutation($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) {
  __typename ... on StaffAccountPayload { active } ... on UserError { code message } } }
"""


async def _tasks(driver: JourneyDriver, role: Role, jid: str) -> list[tuple[str, str, str]]:
    return await _tasks_of(driver, driver.token(role), jid)


async def _tasks_of(driver: JourneyDriver, token: str, jid: str) -> list[tuple[str, str, str]]:
    data = await driver.api.run(TASKS, token)
    assert data["myTasks"]["__typename"] == "FollowUpTaskConnection", data
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return sorted(
        (node["kind"], node["followUpId"] or "", node["assigneeRole"])
        for node in nodes
        if node["journeyId"] == jid
    )


async def another_expert(driver: JourneyDriver) -> Staff:
    """A second doctor of the driver's clinic, signed in."""
    clinic = (await StaffAccount.get(id=driver.staff[Role.EXPERT].account_id)).clinic_id
    username = f"{driver.staff[Role.EXPERT].username}-2"
    password_hash = await asyncio.to_thread(demo_password_hash)
    await StaffAccount.create(
        id=f"staff-{username}",
        clinic_id=clinic,
        username=username,
        display_name="Second Expert",
        role=Role.EXPERT.value,
        password_hash=password_hash,
    )
    login = {"username": username, "password": DEMO_PASSWORD}
    signed_in = (await driver.api.run(documents.LOGIN, input=login))["login"]
    staff_id, token = signed_in["staff"]["id"], signed_in["token"]
    return Staff(f"staff-{username}", staff_id, username, Role.EXPERT, token)


async def test_the_calls_of_a_consultant_who_left_go_to_follow_up_staff(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic whose consultants call their clients, and a journey at its handover
    driver = await fresh_clinic()
    await consultants_call_their_clients(driver)
    jid = (await driver.drive_to("HANDOVER"))["id"]
    # When the journey's consultant leaves the clinic, and the client is handed over with a
    # recheck booked
    leaving = {"staffId": driver.staff[Role.CONSULTANT].global_id, "active": False}
    left = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=leaving)
    assert left["updateStaffAccount"] == {"__typename": "StaffAccountPayload", "active": False}
    recheck = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    await driver.ok(
        documents.HAND_OVER, Role.NURSE, **_hand_over(jid, nextRecheckAt=recheck.isoformat())
    )
    await driver.wait_until_due(jid, 2)
    # Then both calls and the reminder are on the follow-up staff's list, none on the account
    # nobody signs in to any more
    assert await _tasks(driver, Role.FOLLOW_UP_STAFF, jid) == [
        ("FOLLOW_UP_CALL", "fu-1", "FOLLOW_UP_STAFF"),
        ("FOLLOW_UP_CALL", "fu-2", "FOLLOW_UP_STAFF"),
        ("RECHECK", "", "FOLLOW_UP_STAFF"),
    ]
    # And follow-up staff make the call
    done = await driver.complete_follow_up(jid, "fu-1")
    assert [f["status"] for f in done["followUps"]] == ["DONE", "DUE"]


async def test_an_invitation_written_after_its_consultant_left_goes_to_the_supervisors(
    fresh_clinic: Clinic,
) -> None:
    # Given a consultation recorded, and its consultant leaving the clinic
    driver = await fresh_clinic()
    jid = (await driver.drive_to("CONSULTATION"))["id"]
    await driver.consult(jid)
    leaving = {"staffId": driver.staff[Role.CONSULTANT].global_id, "active": False}
    left = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=leaving)
    assert left["updateStaffAccount"] == {"__typename": "StaffAccountPayload", "active": False}
    # When a supervisor closes the journey as not converted
    await driver.ok(CLOSE_NOT_CONVERTED, Role.SUPERVISOR, journeyId=jid, reason="thinking")
    # Then the invitation back is the supervisors', not the departed account's
    assert await _tasks(driver, Role.SUPERVISOR, jid) == [("INVITATION", "", "SUPERVISOR")]
    assert (
        await FollowUpTask.filter(assignee_id=driver.staff[Role.CONSULTANT].account_id).count() == 0
    )


async def test_a_complication_whose_doctors_both_left_goes_to_any_doctor(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey a nurse treated, its first call due, a second doctor in the clinic, and
    # the expert who approved its plan leaving
    driver = await fresh_clinic()
    other = await another_expert(driver)
    jid = (await driver.drive_to("FOLLOW_UP"))["id"]
    await driver.wait_until_due(jid, 1)
    leaving = {"staffId": driver.staff[Role.EXPERT].global_id, "active": False}
    left = await driver.api.run(DEACTIVATE, driver.token(Role.ADMIN), input=leaving)
    assert left["updateStaffAccount"] == {"__typename": "StaffAccountPayload", "active": False}
    # When a complication is reported on the call
    await _report_complication(driver, jid, "swelling growing since yesterday")
    # Then any doctor of the clinic has it, and the other doctor sees it on their list
    assert await _tasks_of(driver, other.token, jid) == [("COMPLICATION", "fu-1", "EXPERT")]
