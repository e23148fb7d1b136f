"""The handbooks' rules for the treatment's end and the after-care, checked through the API (found
by a review against the seeds; each test failed on the code before its rule):
- the phone survey is the client's verdict after the treatment (seed 001 part I, "Телефонный
  опрос пациентов после лечения"), not taken while it is under way;
- a surgery's photo schedule has the four photos of seed 003 (before, at the suture removal, at
  three months, at a year), not one before and any one after;
- a photo point named for one of those moments is due at it: the photo before on the day, the
  three months' and the year's when the clinic's labels call them "3m" and "1y".
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.journey.stages import TREATED_STAGES, Stage
from domain.roles import Role
from domain.store.aftercare import SurveyResponse
from domain.store.procedures import ProcedureTypeVersion
from schema.aftercare import survey
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key
from tests.api.procedure_support import (
    SET_TYPE,
    SURGICAL_CHECKLIST,
    SURGICAL_PHOTOS,
    run,
    type_input,
)

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


async def test_a_surgery_s_photo_schedule_has_the_seed_s_four_points(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a surgical type whose photos stop at the suture removal
    clinic = await fresh_clinic()
    short = SURGICAL_PHOTOS[:2]
    surgery = type_input(
        f"bleph-{uuid.uuid4().hex[:6]}",
        category="SURGERY",
        checklist=SURGICAL_CHECKLIST,
        photoSchedule=short,
    )
    # When it is published, Then it is refused on its photo schedule, and nothing is published
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=surgery)
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["photoSchedule"]
    assert "month_3" in refused["problems"][0]["message"]
    assert not await ProcedureTypeVersion.filter(type_key=surgery["typeKey"]).exists()
    # And with a photo before, at the suture removal, at three months and at a year, it is
    published = await run(
        clinic, SET_TYPE, Role.SUPERVISOR, input={**surgery, "photoSchedule": SURGICAL_PHOTOS}
    )
    assert published["__typename"] == "ProcedureTypePayload", published


@pytest.mark.parametrize(
    ("code", "days"), [("before", 14), ("month_3", 30), ("month_3", 120), ("year_1", 182)]
)
async def test_a_photo_named_for_a_moment_of_the_seed_is_due_at_it(
    fresh_clinic: FreshClinic, code: str, days: int
) -> None:
    # Given a surgical type whose photo named for a moment of seed 003 is due at another
    clinic = await fresh_clinic()
    moved = [{**p, "offsetDays": days} if p["code"] == code else p for p in SURGICAL_PHOTOS]
    if code == "before":  # the one on the day is then another point's
        moved.append({"code": "on_the_day", "offsetDays": 0})
    surgery = type_input(
        f"bleph-{uuid.uuid4().hex[:6]}",
        category="SURGERY",
        checklist=SURGICAL_CHECKLIST,
        photoSchedule=moved,
    )
    # When it is published, Then it is refused on that point's offset, and nothing is published
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=surgery)
    assert refused["__typename"] == "ValidationFailed", refused
    index = next(i for i, p in enumerate(moved) if p["code"] == code)
    assert [p["field"] for p in refused["problems"]] == [f"photoSchedule[{index}].offsetDays"]
    assert not await ProcedureTypeVersion.filter(type_key=surgery["typeKey"]).exists()
