"""A journey has one phone survey (seed 001: the client's verdict on the treatment, asked after
it). Before, each new idempotency key recorded another, and each counted in the clinic's and
the treating doctor's averages; a second is now `Conflict`, and the results count each
journey's first survey only (a journey may hold more, recorded before the rule)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from domain.roles import Role
from domain.store.aftercare import SurveyResponse
from domain.store.models import StaffAccount
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import clinic_month

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
GOOD = {"impression": 5, "trustInDoctor": 5, "priceJustified": 4, "quality": 5}
POOR = {"impression": 1, "trustInDoctor": 1, "priceJustified": 1, "quality": 1}


async def _survey(driver: JourneyDriver, journey_id: str, scores: dict[str, int]) -> Any:
    answer = {"journeyId": journey_id, **scores, "idempotencyKey": new_key()}
    data = await driver.api.run(
        docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=answer
    )
    return data["recordSurvey"]


async def _results(driver: JourneyDriver) -> Any:
    supervisor = driver.staff[Role.SUPERVISOR]
    clinic_id = (await StaffAccount.get(id=supervisor.account_id)).clinic_id
    data = await driver.api.run(
        docs.SURVEY_RESULTS, supervisor.token, clinicId=clinic_id, month=clinic_month()
    )
    return data["surveyResults"]


async def test_a_second_survey_of_a_journey_is_refused_and_not_counted(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treated journey whose survey was recorded
    driver = await fresh_clinic()
    journey = await driver.drive_to("FOLLOW_UP")
    first = await _survey(driver, journey["id"], GOOD)
    assert first["__typename"] == "SurveyRecorded", first
    # When follow-up staff record another survey of it, under a new key
    second = await _survey(driver, journey["id"], POOR)
    # Then it is refused, nothing written, and the averages count the journey once
    assert second["__typename"] == "Conflict", second
    assert "already recorded" in second["message"]
    raw = decode_id(journey["id"], "Journey")
    assert await SurveyResponse.filter(journey_id=raw).count() == 1
    summary = await _results(driver)
    assert summary["overall"] == {
        "responses": 1,
        "impression": 5.0,
        "trustInDoctor": 5.0,
        "lowResponses": 0,
    }
    expert = driver.staff[Role.EXPERT].account_id
    assert summary["byDoctor"] == [{"key": expert, "averages": {"responses": 1, "quality": 5.0}}]


async def test_a_journey_surveyed_twice_before_the_rule_counts_its_first_survey(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey's survey, and a later one of the same journey kept from before the rule
    driver = await fresh_clinic()
    journey = await driver.drive_to("FOLLOW_UP")
    first = await _survey(driver, journey["id"], GOOD)
    kept = await SurveyResponse.get(id=first["survey"]["id"])
    await SurveyResponse.create(
        id=str(uuid.uuid4()),
        clinic_id=kept.clinic_id,
        journey_id=kept.journey_id,
        client_id=kept.client_id,
        doctor_id=kept.doctor_id,
        procedure_type=kept.procedure_type,
        month=kept.month,
        scores=POOR,
        recorded_by=kept.recorded_by,
        recorded_at=datetime.now(UTC),
    )
    # When a supervisor reads the month's results
    summary = await _results(driver)
    # Then the journey counts once, with its first survey
    assert summary["overall"]["responses"] == 1, summary
    assert summary["overall"]["impression"] == 5.0
    assert summary["byDoctor"][0]["averages"] == {"responses": 1, "quality": 5.0}
    assert summary["byProcedureType"] == [{"key": "UNSPECIFIED", "averages": {"responses": 1}}]


async def test_surveys_of_one_journey_sent_at_once_record_one(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treated journey
    driver = await fresh_clinic()
    journey = await driver.drive_to("FOLLOW_UP")
    # When three surveys of it, each under its own key, are sent at once
    answers = await asyncio.gather(*(_survey(driver, journey["id"], GOOD) for _ in range(3)))
    # Then one is recorded and two are refused
    kinds = sorted(answer["__typename"] for answer in answers)
    assert kinds == ["Conflict", "Conflict", "SurveyRecorded"], answers
    raw = decode_id(journey["id"], "Journey")
    assert await SurveyResponse.filter(journey_id=raw).count() == 1
