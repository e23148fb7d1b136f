"""The supervisor's list of the ward's overdue tasks (`overdueWardTasks`), behind the cockpit's
count: each reading or round late by its own schedule, earliest due first, a page at a time,
naming its journey, kind, due time and assignee. Through the real server, with operations ended
hours or days ago as `test_ward_tasks` writes them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.roles import Role
from tests.api import ward_task_support as ward
from tests.api.aftercare_documents import COMPLETE_TASK
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.harness import TEST_CLINIC_ZONE
from tests.api.post_op_support import surgical_type, yesterday_evening
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
OVERDUE = """
query Overdue($clinicId: ID!, $first: Int!, $after: String) {
  overdueWardTasks(clinicId: $clinicId, first: $first, after: $after) {
    __typename
    ... on FollowUpTaskConnection {
      edges { cursor node { id kind label dueAt overdue status assigneeRole
        journey { id } assignee { id displayName role } } }
      pageInfo { hasNextPage endCursor }
    }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""


async def _all_pages(clinic: JourneyDriver, clinic_id: str, first: int) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = await run(
            clinic, OVERDUE, Role.SUPERVISOR, clinicId=clinic_id, first=first, after=after
        )
        assert page["__typename"] == "FollowUpTaskConnection", page
        assert len(page["edges"]) <= first
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_the_supervisor_lists_the_ward_s_overdue_tasks_longest_due_first(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an operation ended at 22:30 the day before yesterday (its six readings, from 23:30
    # on the hour, and its round of yesterday missed)
    # and one that ended two hours and forty minutes ago (its first two readings late, the rest
    # and the round still ahead)
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client()
    type_key = await surgical_type(clinic)
    long_ago = yesterday_evening() - timedelta(days=1, minutes=30)
    old = await ward.operated(clinic, client, type_key, long_ago)
    ended = datetime.now(UTC) - timedelta(hours=2, minutes=40)
    recent = await ward.operated(clinic, client, type_key, ended)
    # When the supervisor reads the list, three at a time
    listed = await _all_pages(clinic, clinic_id, 3)
    # Then it holds the nine the cockpit counts, earliest due first, every one overdue and open
    assert await ward.stats(clinic) == (9, 9)
    assert [(t["journey"]["id"], t["kind"], t["label"]) for t in listed] == [
        (old, "WARD_READING", "1h"),
        (old, "WARD_ROUND", yesterday_evening().astimezone(TEST_CLINIC_ZONE).date().isoformat()),
        *[(old, "WARD_READING", f"{hour}h") for hour in range(2, 7)],
        (recent, "WARD_READING", "1h"),
        (recent, "WARD_READING", "2h"),
    ]
    due = [datetime.fromisoformat(t["dueAt"]) for t in listed]
    assert due == sorted(due)
    assert {(t["overdue"], t["status"]) for t in listed} == {(True, "OPEN")}
    # And each names who owes it: the round the doctor who operated, a reading any nurse
    doctor = clinic.staff[Role.EXPERT]
    (round_task,) = [t for t in listed if t["kind"] == "WARD_ROUND"]
    assert round_task["assignee"]["id"] == doctor.global_id
    assert round_task["assignee"]["role"] == "EXPERT"
    readings = [t for t in listed if t["kind"] == "WARD_READING"]
    assert {(t["assigneeRole"], t["assignee"] is None) for t in readings} == {("NURSE", True)}
    # When the doctor closes the round with what came of it
    note = {"taskId": round_task["id"], "note": "seen at home", "idempotencyKey": str(uuid.uuid4())}
    closed = await run(clinic, COMPLETE_TASK, Role.EXPERT, input=note)
    assert closed["__typename"] == "TaskCompleted", closed
    # Then it leaves the list with the count
    again = await _all_pages(clinic, clinic_id, 100)
    assert [t["id"] for t in again] == [t["id"] for t in listed if t["kind"] != "WARD_ROUND"]
    assert await ward.stats(clinic) == (8, 8)


async def test_the_list_is_the_supervisor_s_of_the_own_clinic_in_bounded_pages(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    # A nurse is refused, another clinic is not found, a page is 1 to 100
    nurse = await run(clinic, OVERDUE, Role.NURSE, clinicId=clinic_id, first=20)
    assert nurse["__typename"] == "NotAuthorized", nurse
    elsewhere = await run(clinic, OVERDUE, Role.SUPERVISOR, clinicId="another-clinic", first=20)
    assert elsewhere["__typename"] == "NotFound", elsewhere
    too_many = await run(clinic, OVERDUE, Role.SUPERVISOR, clinicId=clinic_id, first=101)
    assert too_many["__typename"] == "ValidationFailed", too_many
    # And a clinic with no operation lists none
    empty = await run(clinic, OVERDUE, Role.SUPERVISOR, clinicId=clinic_id, first=20)
    assert empty["__typename"] == "FollowUpTaskConnection", empty
    assert (empty["edges"], empty["pageInfo"]["hasNextPage"]) == ([], False)
