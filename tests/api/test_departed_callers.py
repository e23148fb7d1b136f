"""A clinic whose consultants call their own clients: a consultant who has left the clinic (the
account deactivated) calls nobody, so the journey's calls and its recheck reminder go to the
clinic's follow-up staff, whose list someone reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from domain.roles import Role
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_booked_rechecks import TASKS, _hand_over

Clinic = Callable[[], Awaitable[JourneyDriver]]

DEACTIVATE = """
mutation($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) {
  __typename ... on StaffAccountPayload { active } ... on UserError { code message } } }
"""


async def _tasks(driver: JourneyDriver, role: Role, jid: str) -> list[tuple[str, str, str]]:
    data = await driver.api.run(TASKS, driver.token(role))
    assert data["myTasks"]["__typename"] == "FollowUpTaskConnection", data
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return sorted(
        (node["kind"], node["followUpId"] or "", node["assigneeRole"])
        for node in nodes
        if node["journeyId"] == jid
    )


async def test_the_calls_of_a_consultant_who_left_go_to_follow_up_staff(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic whose consultants call their clients, and a journey at its handover
    driver = await fresh_clinic()
    policy = {
        "followUpAssignee": "OWNING_CONSULTANT",
        "overdueAfterHours": 24,
        "warrantyDays": 365,
        "idempotencyKey": new_key(),
    }
    set_policy = await driver.api.run(docs.SET_POLICY, driver.token(Role.SUPERVISOR), input=policy)
    assert set_policy["setAftercarePolicy"]["__typename"] == "AftercarePolicyPayload", set_policy
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
