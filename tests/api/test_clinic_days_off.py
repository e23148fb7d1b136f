"""A clinic's closed days besides weekends (`clinicDaysOff`, `setClinicDaysOff`): a supervisor
lists a year's, the list replaces the year's, and a complaint's first answer counts working days
without them, while one received before the change keeps its due time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import schema.complaints.days_off
from domain.roles import Role
from tests.api.complaint_support import complaint, taken
from tests.api.flow import JourneyDriver, new_key

Clinic = Callable[[], Awaitable[JourneyDriver]]
WARSAW = ZoneInfo("Europe/Warsaw")  # the test clinics' zone (the clinic row's default)
ANSWER = """
    __typename
    ... on ClinicDaysOff { year days { day reason } }
    ... on ValidationFailed { problems { field message } }
    ... on UserError { code message }
"""
SET = f"""
mutation Set($input: SetClinicDaysOffInput!) {{ setClinicDaysOff(input: $input) {{ {ANSWER} }} }}
"""
READ = f"query Read($year: Int!) {{ clinicDaysOff(year: $year) {{ {ANSWER} }} }}"


async def _set(driver: JourneyDriver, role: Role, **input: Any) -> dict[str, Any]:
    sent = {"idempotencyKey": new_key(), **input}
    return (await driver.api.run(SET, driver.token(role), input=sent))["setClinicDaysOff"]  # type: ignore[no-any-return]


async def _read(driver: JourneyDriver, role: Role, year: int) -> dict[str, Any]:
    return (await driver.api.run(READ, driver.token(role), year=year))["clinicDaysOff"]  # type: ignore[no-any-return]


async def _close(driver: JourneyDriver, *days: date) -> None:
    """The clinic closed on `days`, each year's list sent whole."""
    for year in sorted({day.year for day in days}):
        listed = [{"day": day.isoformat(), "reason": "holiday"} for day in days if day.year == year]
        answer = await _set(driver, Role.SUPERVISOR, year=year, days=listed)
        assert answer["__typename"] == "ClinicDaysOff", answer


def _a_recent_thursday() -> datetime:
    """A Thursday afternoon in Warsaw, a week or two back: within the 30 days a complaint may
    be entered late, whatever day the test runs."""
    day = datetime.now(WARSAW).date() - timedelta(days=7)
    while day.weekday() != 3:
        day -= timedelta(days=1)
    return datetime.combine(day, time(15), WARSAW)


async def test_a_complaint_received_before_a_closed_friday_and_monday_is_due_two_days_later(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic closed the Friday and the Monday after a Thursday, and a complaint it had
    # received that Thursday before it listed them
    clinic = await fresh_clinic()
    client_id = await clinic.register_client()
    thursday = _a_recent_thursday()
    received = thursday.astimezone(UTC).isoformat()
    before = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=received))
    friday, monday = (thursday + timedelta(days=n) for n in (1, 4))
    await _close(clinic, friday.date(), monday.date())

    # When another complaint of that Thursday is entered
    after = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=received))

    # Then its first answer is due at the end of Wednesday (Tuesday and Wednesday count), while
    # the one received before the list keeps the end of Monday
    wednesday_ends = datetime.combine((thursday + timedelta(days=7)).date(), time.min, WARSAW)
    monday_ends = datetime.combine((thursday + timedelta(days=5)).date(), time.min, WARSAW)
    assert datetime.fromisoformat(after["firstAnswerDueAt"]) == wednesday_ends
    assert datetime.fromisoformat(before["firstAnswerDueAt"]) == monday_ends


async def test_a_year_s_list_replaces_the_year_s_and_is_read_by_the_clinic_s_staff(
    fresh_clinic: Clinic,
) -> None:
    # Given a year's closed days listed
    clinic = await fresh_clinic()
    year = datetime.now(WARSAW).year + 1
    first = [
        {"day": f"{year}-05-01", "reason": "Labour Day"},
        {"day": f"{year}-01-01", "reason": "New Year"},
    ]
    assert (await _set(clinic, Role.SUPERVISOR, year=year, days=first))["days"] == [
        {"day": f"{year}-01-01", "reason": "New Year"},
        {"day": f"{year}-05-01", "reason": "Labour Day"},
    ]

    # When the year is listed again, and another year too
    again = await _set(clinic, Role.SUPERVISOR, year=year, days=[{"day": f"{year}-12-24"}])
    await _set(clinic, Role.SUPERVISOR, year=year + 1, days=[{"day": f"{year + 1}-01-01"}])

    # Then the year holds the new list only, the other year its own, as any of its staff reads
    assert again["days"] == [{"day": f"{year}-12-24", "reason": None}]
    for role in (Role.FRONT_DESK, Role.NURSE, Role.SUPERVISOR):
        read = await _read(clinic, role, year)
        assert (read["year"], read["days"]) == (year, again["days"])
    assert [d["day"] for d in (await _read(clinic, Role.NURSE, year + 1))["days"]] == [
        f"{year + 1}-01-01"
    ]
    # And another clinic's staff see none of it
    other = await fresh_clinic()
    assert (await _read(other, Role.SUPERVISOR, year))["days"] == []


async def test_only_a_supervisor_sets_them_and_a_bad_list_changes_nothing(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic with one closed day listed for next year
    clinic = await fresh_clinic()
    year = datetime.now(WARSAW).year + 1
    kept = [{"day": f"{year}-01-01", "reason": "New Year"}]
    await _set(clinic, Role.SUPERVISOR, year=year, days=kept)

    # When the desk tries to set them, and a supervisor sends lists that are wrong
    by_desk = await _set(clinic, Role.FRONT_DESK, year=year, days=[])
    wrong = await _set(
        clinic,
        Role.SUPERVISOR,
        year=year,
        days=[{"day": f"{year + 1}-01-01"}, {"day": f"{year}-01-02"}, {"day": f"{year}-01-02"}],
    )
    too_far = await _set(clinic, Role.SUPERVISOR, year=year + 9, days=[])
    read_too_far = await _read(clinic, Role.SUPERVISOR, year + 9)

    # Then each is refused as data, naming what is wrong, and the year's list stands
    assert by_desk["__typename"] == "NotAuthorized"
    assert wrong["__typename"] == "ValidationFailed"
    assert [p["field"] for p in wrong["problems"]] == ["days[0].day", "days[2].day"]
    assert [p["field"] for p in too_far["problems"]] == ["year"]
    assert [p["field"] for p in read_too_far["problems"]] == ["year"]
    assert (await _read(clinic, Role.SUPERVISOR, year))["days"] == kept


class _TwoYearsOn(datetime):
    """The clock of a retry sent two years after its first attempt (a year's list sent on the
    last evening of December, its answer lost, retried after New Year is the same case)."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime.now(tz) + timedelta(days=2 * 366)


async def test_a_retry_after_the_year_moved_on_is_answered_as_the_first_time(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given this year's closed days set under a key
    clinic = await fresh_clinic()
    year = datetime.now(WARSAW).year
    sent = {"idempotencyKey": new_key(), "year": year, "days": [{"day": f"{year}-12-24"}]}
    first = await clinic.api.run(SET, clinic.token(Role.SUPERVISOR), input=sent)

    # When the same request is retried once that year is no longer one a list may be set for
    monkeypatch.setattr(schema.complaints.days_off, "datetime", _TwoYearsOn)
    retried = await clinic.api.run(SET, clinic.token(Role.SUPERVISOR), input=sent)
    fresh = await _set(clinic, Role.SUPERVISOR, year=year, days=[])

    # Then the retry is answered as the first attempt was, while a new request is refused
    assert first["setClinicDaysOff"]["__typename"] == "ClinicDaysOff"
    assert retried == first
    assert [p["field"] for p in fresh["problems"]] == ["year"]
