"""After-care of a journey that follows a procedure type, read through the API: the photo
schedule's reminders on the nurses' list, a call's plan, the type's warranty card and the survey
results grouped by the type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.aftercare.tasks import TaskKind, task_id
from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from schema.ids import decode_id
from tests.api.flow import JourneyDriver

TASKS = """
query Tasks { myTasks(first: 100) { ... on FollowUpTaskConnection { edges { node {
  kind status journeyId label photoStage dueAt purpose channel questions
} } } } }
"""
WARRANTY = (
    "query W($id: ID!) { journey(id: $id) { ... on Journey { warrantyCard { terms issuedAt "
    "endsAt } } } }"
)
RESULTS = """
query Results($clinicId: ID!, $month: String!) { surveyResults(clinicId: $clinicId,
  month: $month) { ... on SurveyResults { byProcedureType { key names { language text }
  averages { responses } } } } }
"""
SURVEY = "mutation S($input: RecordSurveyInput!) { recordSurvey(input: $input) { __typename } }"


async def tasks_of_journey(driver: JourneyDriver, role: Role, jid: str) -> list[dict[str, Any]]:
    """The role's open tasks about the journey, by due time."""
    data = await driver.api.run(TASKS, driver.token(role))
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return [node for node in nodes if node["journeyId"] == jid]


async def first_call_falls_due(clinic_id: str, jid: str) -> None:
    """The 24 h call's task as the journey's timer writes it when it falls due (a day is too
    long to wait for against a real server; the workflow tests wait for it on skipped time)."""
    raw = decode_id(jid, "Journey")
    assert raw is not None
    now = datetime.now(UTC)
    await FollowUpTask.create(
        id=task_id(raw, "fu-1", TaskKind.FOLLOW_UP_CALL),
        clinic_id=clinic_id,
        journey_id=raw,
        follow_up_id="fu-1",
        kind=TaskKind.FOLLOW_UP_CALL.value,
        label="24h",
        due_at=now,
        assignee_role=Role.FOLLOW_UP_STAFF.value,
        updated_at=now,
    )
