"""The handbooks' rules for the treatment's end and the after-care, checked through the API (found
by a review against the seeds; each test failed on the code before its rule):
- the phone survey is the client's verdict after the treatment (seed 001 part I, "Телефонный
  опрос пациентов после лечения"), not taken while it is under way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.journey.stages import TREATED_STAGES, Stage
from domain.roles import Role
from domain.store.aftercare import SurveyResponse
from schema.aftercare import survey
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
SCORES = {"impression": 5, "trustInDoctor": 5, "priceJustified": 4, "quality": 5}


async def _survey(driver: JourneyDriver, journey_id: str, key: str | None = None) -> Any:
    answer = {"journeyId": journey_id, **SCORES, "idempotencyKey": key or new_key()}
    data = await driver.api.run(
        docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=answer
    )
    return data["recordSurvey"]


async def test_the_survey_waits_for_the_treatment_to_be_done(fresh_clinic: FreshClinic) -> None:
    # Given a journey whose treatment has begun and is still under way
    driver = await fresh_clinic()
    journey = await driver.drive_to("TREATMENT")
    started = await driver.start_treatment(journey["id"])
    assert started["stage"] == "TREATMENT"
    # When follow-up staff record the client's survey of it
    refused = await _survey(driver, journey["id"])
    # Then it is refused, and nothing is written
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["journeyId"]
    raw = decode_id(journey["id"], "Journey")
    assert await SurveyResponse.filter(journey_id=raw).count() == 0
    # And once the treatment is done and the client handed over, it is taken
    await driver.complete_treatment(journey["id"])
    handed = await driver.hand_over(journey["id"])
    assert handed["stage"] == "FOLLOW_UP"
    taken = await _survey(driver, journey["id"])
    assert taken["__typename"] == "SurveyRecorded", taken


async def test_a_survey_taken_during_the_treatment_before_the_rule_is_answered_on_retry(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a survey a release before took while the treatment was under way
    driver = await fresh_clinic()
    journey = await driver.drive_to("TREATMENT")
    await driver.start_treatment(journey["id"])
    key = new_key()
    with monkeypatch.context() as before:
        before.setattr(survey, "TREATED_STAGES", TREATED_STAGES | {Stage.TREATMENT})
        first = await _survey(driver, journey["id"], key)
    assert first["__typename"] == "SurveyRecorded", first
    # When the caller's app retries it with its key, the treatment still under way
    retry = await _survey(driver, journey["id"], key)
    # Then it is answered as the first time, and the journey holds that one survey
    assert retry == first
    raw = decode_id(journey["id"], "Journey")
    assert await SurveyResponse.filter(journey_id=raw).count() == 1
