"""The exactly-once sweep (`tests.api.exactly_once`) tells a journey's timers from the request.

A follow-up of the named journey may fall due between two snapshots of a request's check: its
event and its call's task are the timer's, not a second write of the request (the sweep once
reported a retried `recordSurvey` as having written them, when the canary's second call fell due
during it). A write of the request's journey by anyone else is still counted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.audit_support import clinic_of
from tests.api.exactly_once import Sweep
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
SURVEY = {"impression": 5, "trustInDoctor": 4, "priceJustified": 5, "quality": 5, "comment": "ok"}
# The attempt the sweep sends third: the retry, after the two at once were answered.
RETRY = 3


def _due(journey: dict[str, Any]) -> int:
    return [f["status"] for f in journey["followUps"]].count("DUE")


async def _surveyed(
    driver: JourneyDriver, before_the_retry: Callable[[str], Awaitable[None]]
) -> list[str]:
    """A journey just handed over, its survey checked by the sweep; `before_the_retry(journey)`
    runs before the retry is sent. The sweep's problems."""
    journey = (await driver.drive_to("FOLLOW_UP"))["id"]
    sent = 0

    async def send(attempt: dict[str, Any]) -> dict[str, Any]:
        nonlocal sent
        sent += 1
        if sent == RETRY:
            await before_the_retry(journey)
        data = await driver.api.run(
            docs.RECORD_SURVEY, driver.token(Role.FOLLOW_UP_STAFF), input=attempt
        )
        return data["recordSurvey"]  # type: ignore[no-any-return]

    # Its own clinic's rows only: an earlier test's desk on the same database may still be
    # recording (a crowd of arrivals' 50 entries once landed during the retry here)
    sweep = Sweep(clinics={await clinic_of(driver)})
    answer = await sweep.check("recordSurvey", send, {"journeyId": journey, **SURVEY})
    assert answer["__typename"] == "SurveyRecorded", answer
    return sweep.problems


async def test_a_follow_up_falling_due_during_a_check_is_not_the_requests_write(
    fresh_clinic: FreshClinic,
) -> None:
    driver = await fresh_clinic()

    async def next_follow_up_due(journey: str) -> None:
        # After the race's snapshot: the journey's next follow-up falls due before the retry
        due = _due(await driver.journey(journey))
        assert due < 2, "both follow-ups fell due before the retry: nothing left to fall due"
        await driver.wait_until_due(journey, due + 1)

    # Given a journey just handed over, whose next follow-up falls due between the snapshots
    # of its survey's race and of its retry
    # When the survey is checked by the sweep
    problems = await _surveyed(driver, next_follow_up_due)
    # Then the follow-up's event and call task are not counted as the retry's
    assert problems == []


async def test_another_write_of_the_journey_during_a_check_is_counted(
    fresh_clinic: FreshClinic,
) -> None:
    driver = await fresh_clinic()

    async def a_call_made(journey: str) -> None:
        await driver.wait_until_due(journey, 1)
        await driver.ok(
            documents.COMPLETE_FOLLOW_UP,
            Role.FOLLOW_UP_STAFF,
            journeyId=journey,
            followUpId="fu-1",
            outcome="NOT_REACHED",
            idempotencyKey=new_key(),
        )

    # Given a journey just handed over, a missed call of it recorded between the survey's race
    # and its retry (an event by staff, as a retry writing again would add, with its record
    # and its own key)
    # When the survey is checked by the sweep
    problems = await _surveyed(driver, a_call_made)
    # Then the sweep reports them as the retry's, naming the event (the call's task, updated,
    # adds no row)
    written = "recordSurvey: the retry wrote {'IdempotencyKey': 1, 'JourneyEvent': 1, "
    (problem,) = problems
    assert problem.startswith(written + "'JourneyRecord': 1}: "), problem
    assert problem.endswith(" complete_follow_up by FOLLOW_UP_STAFF"), problem
