"""The phone survey honours the client's wish not to be asked about her results and impressions
(seed 001's service card, PHONE_WISHES `askAboutResults` false, read as her follow-up calls read
it): `recordSurvey` refuses it, `ValidationFailed` on `journeyId` (NOT_ALLOWED_NOW), nothing
written and the key left unclaimed, as any refusal of its input; a wish changed back lets it
through, and a survey recorded while she allowed it is answered as it was on retry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.aftercare import FollowUpTask, SurveyResponse
from domain.store.models import IdempotencyKey
from schema.ids import decode_id
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_call_wishes import _amend, _card, _wishes

Clinic = Callable[[], Awaitable[JourneyDriver]]
# Low enough to alert a supervisor, so a refusal that wrote anything would show a task.
POOR = {"impression": 2, "trustInDoctor": 1, "priceJustified": 2, "quality": 1}
NOT_ASKED = "she asked not to be asked about her results and impressions (service card)"
RECORD_SURVEY = """
mutation Survey($input: RecordSurveyInput!) {
  recordSurvey(input: $input) {
    __typename
    ... on SurveyRecorded { alerted survey { id impression quality } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message code } }
  }
}
"""


async def _survey(driver: JourneyDriver, journey_id: str, key: str) -> Any:
    answer = {"journeyId": journey_id, **POOR, "idempotencyKey": key}
    data = await driver.api.run(RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=answer)
    return data["recordSurvey"]


async def _treated(driver: JourneyDriver, asked: bool | None) -> tuple[str, str]:
    """A client with the given phone wish (None: none stated), her journey handed over."""
    client = await driver.register_client()
    if asked is not None:
        await _card(driver, client, asked)
    journey = await driver.drive_to("FOLLOW_UP", await driver.start(client))
    return client, str(journey["id"])


async def _written(journey_id: str) -> tuple[int, int]:
    """Her journey's surveys and low-score tasks."""
    raw = decode_id(journey_id, "Journey")
    surveys = await SurveyResponse.filter(journey_id=raw).count()
    low = await FollowUpTask.filter(journey_id=raw, kind="LOW_SURVEY_SCORE").count()
    return surveys, low


async def test_a_client_not_to_be_asked_is_not_surveyed_until_she_allows_it(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    # Given a treated client who asked staff not to ask her about her results
    client, jid = await _treated(driver, asked=False)
    key = new_key()
    # When follow-up staff record her survey
    refused = await _survey(driver, jid, key)
    # Then it is refused on the journey, for that reason, and nothing is written
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "journeyId", "message": NOT_ASKED, "code": "NOT_ALLOWED_NOW"}
    ]
    assert await _written(jid) == (0, 0)
    assert not await IdempotencyKey.filter(key=key).exists()
    # And its retry with the same key is refused the same way
    assert await _survey(driver, jid, key) == refused
    # When she changes her wish back, letting staff ask
    await _card(driver, client, True)
    # Then the retry goes through, and its own retry is answered as it was
    taken = await _survey(driver, jid, key)
    assert taken["__typename"] == "SurveyRecorded", taken
    assert taken["alerted"] is True
    assert await _survey(driver, jid, key) == taken
    assert await _written(jid) == (1, 1)


async def test_her_wish_is_read_as_her_calls_read_it(fresh_clinic: Clinic) -> None:
    driver = await fresh_clinic()
    # Given a client whose wish not to be asked was corrected into letting staff ask
    client, corrected = await _treated(driver, asked=None)
    wish = await _card(driver, client, False)
    await _amend(driver, wish["id"], **_wishes(True))
    # And one who let staff ask, then asked them not to
    later = await driver.register_client()
    await _card(driver, later, True)
    await _card(driver, later, False)
    refused_journey = str((await driver.drive_to("FOLLOW_UP", await driver.start(later)))["id"])
    # When follow-up staff record their surveys
    taken = await _survey(driver, corrected, new_key())
    refused = await _survey(driver, refused_journey, new_key())
    # Then the corrected wish lets it through and the latest wish refuses it
    assert taken["__typename"] == "SurveyRecorded", taken
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"][0]["code"] == "NOT_ALLOWED_NOW"


async def test_a_survey_taken_before_she_said_no_is_answered_on_retry(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    # Given a survey recorded while the client let staff ask
    client, jid = await _treated(driver, asked=True)
    key = new_key()
    first = await _survey(driver, jid, key)
    assert first["__typename"] == "SurveyRecorded", first
    # When she then asks not to be asked, and the caller's app retries the survey with its key
    await _card(driver, client, False)
    retry = await _survey(driver, jid, key)
    # Then it is answered as the first time, and the journey holds that one survey
    assert retry == first
    assert await _written(jid) == (1, 1)


SURVEY_WISH_SURVEY = """
mutation Three($first: RecordSurveyInput!, $wish: AddServiceCardEntryInput!,
               $second: RecordSurveyInput!) {
  a: recordSurvey(input: $first) { __typename }
  b: addServiceCardEntry(input: $wish) { __typename }
  c: recordSurvey(input: $second) {
    __typename
    ... on ValidationFailed { problems { field message code } }
  }
}
"""


async def test_a_wish_recorded_earlier_in_the_same_request_is_honoured(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    # Given a client with two treated journeys who let staff ask
    client, first = await _treated(driver, asked=True)
    second = str((await driver.drive_to("FOLLOW_UP", await driver.start(client)))["id"])
    # When one request records the first survey, her wish not to be asked, then the second
    answers = await driver.api.run(
        SURVEY_WISH_SURVEY,
        driver.token(Role.FOLLOW_UP_STAFF),
        first={"journeyId": first, **POOR, "idempotencyKey": new_key()},
        wish={"clientId": client, **_wishes(False), "idempotencyKey": new_key()},
        second={"journeyId": second, **POOR, "idempotencyKey": new_key()},
    )
    # Then the second survey reads the wish the request wrote, not the one it read before
    assert [answers[n]["__typename"] for n in "ab"] == ["SurveyRecorded", "ClientEntryPayload"]
    assert answers["c"]["__typename"] == "ValidationFailed", answers["c"]
    assert answers["c"]["problems"][0]["message"] == NOT_ASKED
    assert await _written(second) == (0, 0)
