"""A supervisors' task raised by a low survey score, for the tests of closing a task."""

from __future__ import annotations

from domain.roles import Role
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key


async def low_score_task(driver: JourneyDriver) -> str:
    """A journey driven to its follow-ups and rated low on price: the supervisors' task it
    raises, its id."""
    journey = await driver.drive_to("FOLLOW_UP")
    scores = {"impression": 4, "trustInDoctor": 5, "priceJustified": 1, "quality": 4}
    survey = {"journeyId": journey["id"], **scores, "idempotencyKey": new_key()}
    token = driver.token(Role.FOLLOW_UP_STAFF)
    recorded = await driver.api.run(docs.RECORD_SURVEY, token, input=survey)
    assert recorded["recordSurvey"]["__typename"] == "SurveyRecorded", recorded
    tasks = await driver.api.run(docs.MY_TASKS, driver.token(Role.SUPERVISOR))
    (low,) = [
        edge["node"]
        for edge in tasks["myTasks"]["edges"]
        if edge["node"]["journeyId"] == journey["id"] and edge["node"]["kind"] == "LOW_SURVEY_SCORE"
    ]
    return str(low["id"])
