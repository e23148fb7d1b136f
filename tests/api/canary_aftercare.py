"""The canary's after-care: a complication on the first call, the survey (its low score's task
closed with a note), a missed second call, and, once the follow-ups are closed, a warranty
claim and, the client calling in after the calls, a complication (served by the claim's
recheck); each with its words marked."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from tests.api.harness import eventually

FOLLOW_UPS = "query J($id: ID!) { journey(id: $id) { ... on Journey { followUps { status } } } }"
CARD = "query W($id: ID!) { journey(id: $id) { ... on Journey { warrantyCard { number } } } }"
RECHECK = "... on ComplicationReported { recheckJourney { id } }"
CLAIMED = "... on WarrantyClaimed { recheckJourney { id } }"
CALL_TAKEN = "... on ComplicationCallTaken { recheckJourney { id } }"
TASKS = "query T { myTasks { ... on FollowUpTaskConnection { edges { node { id kind } } } } }"


async def _due(visit: Any, journey: str, count: int) -> None:
    await eventually(
        lambda: visit.api.run(FOLLOW_UPS, visit.token(Role.SUPERVISOR), id=journey),
        lambda data: [f["status"] for f in data["journey"]["followUps"]].count("DUE") >= count,
        timeout=30,
        what=f"{count} follow-up(s) due",
    )


async def follow_up_with_aftercare(visit: Any, journey: str) -> dict[str, Any]:
    """Runs the journey's follow-ups to the end; answers the journey as closed."""
    policy = {"followUpAssignee": "FOLLOW_UP_STAFF", "overdueAfterHours": 24, "warrantyDays": 365}
    await visit.call(Role.SUPERVISOR, "setAftercarePolicy", "AftercarePolicyPayload", **policy)
    await _due(visit, journey, 1)
    reported = await visit.call(
        Role.FOLLOW_UP_STAFF,
        "reportComplication",
        "ComplicationReported",
        RECHECK,
        journeyId=journey,
        followUpId="fu-1",
    )
    recheck = reported["recheckJourney"]["id"]
    visit.journeys.append(recheck)
    survey = {"impression": 5, "trustInDoctor": 5, "priceJustified": 1, "quality": 4}
    await visit.call(
        Role.FOLLOW_UP_STAFF, "recordSurvey", "SurveyRecorded", journeyId=journey, **survey
    )
    listed = await visit.api.run(TASKS, visit.token(Role.SUPERVISOR))
    nodes = [edge["node"] for edge in listed["myTasks"]["edges"]]
    (low,) = [node["id"] for node in nodes if node["kind"] == "LOW_SURVEY_SCORE"]
    await visit.call(Role.SUPERVISOR, "completeTask", "TaskCompleted", taskId=low)
    await _due(visit, journey, 1)  # the second call (the first is done)
    missed = {"followUpId": "fu-2", "outcome": "NOT_REACHED"}
    await visit.step(Role.FOLLOW_UP_STAFF, "completeFollowUp", journey, **missed)
    done: dict[str, Any] = await visit.step(Role.SUPERVISOR, "closeFollowUps", journey)
    # The recheck is seen to; then the client claims the warranty.
    await visit.step(Role.FRONT_DESK, "cancelJourney", recheck)
    card = await visit.api.run(CARD, visit.token(Role.FRONT_DESK), id=journey)
    number = card["journey"]["warrantyCard"]["number"]
    claimed = await visit.call(
        Role.FRONT_DESK, "claimWarranty", "WarrantyClaimed", CLAIMED, warrantyNumber=number
    )
    visit.journeys.append(claimed["recheckJourney"]["id"])
    called = await visit.call(
        Role.NURSE, "reportComplicationCall", "ComplicationCallTaken", CALL_TAKEN, journeyId=journey
    )
    assert called["recheckJourney"]["id"] == claimed["recheckJourney"]["id"]
    return done
