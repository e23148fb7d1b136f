"""The ward's records after an operation (seed 003), checked against the operation's end:
the observation within 24 hours, flat and fasting asked for 6 hours after a general anaesthesia,
vital signs with believable values, the ward round on the next day of the clinic's calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.client_file.post_op import Operation, check_observation, check_ward_round

WARSAW = ZoneInfo("Europe/Warsaw")
# 22:30 in Warsaw on 2 March: the next day in the clinic's calendar begins 90 minutes later.
ENDED = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
OPERATION = Operation("j1", ENDED, WARSAW)
VITALS = {
    "systolic": 118,
    "diastolic": 76,
    "pulse": 72,
    "respiratory_rate": 16,
    "temperature_celsius": 36.84,
}


def _observation(after: timedelta, **fields: object) -> dict[str, object]:
    return {"observed_at": ENDED + after, "anaesthesia": "LOCAL", "vitals": VITALS, **fields}


def _fields(problems: list[object]) -> list[str]:
    return [p.field for p in problems]  # type: ignore[attr-defined]


def test_an_observation_keeps_its_journey_time_and_vital_signs() -> None:
    body, problems = check_observation(
        _observation(timedelta(hours=7)), OPERATION, ENDED + timedelta(hours=8)
    )
    assert problems == []
    assert body["journey_id"] == "j1"
    assert body["observed_at"] == "2026-03-03T04:30:00+00:00"
    assert body["vitals"] == {**VITALS, "temperature_celsius": 36.8, "oxygen_saturation": None}
    assert (body["lying_flat"], body["nil_by_mouth"], body["note"]) == (None, None, None)


def test_an_observation_lies_between_the_operation_s_end_and_24_hours_after_it_and_now() -> None:
    now = ENDED + timedelta(hours=30)
    for after in (timedelta(minutes=-1), timedelta(hours=24, minutes=1)):
        _, problems = check_observation(_observation(after), OPERATION, now)
        assert _fields(problems) == ["observedAt"], after
    _, problems = check_observation(_observation(timedelta(hours=2)), OPERATION, ENDED)
    assert _fields(problems) == ["observedAt"]
    assert "future" in problems[0].message


def test_a_general_anaesthesia_asks_flat_and_fasting_for_6_hours_and_not_after() -> None:
    now = ENDED + timedelta(hours=10)
    early = _observation(timedelta(hours=1), anaesthesia="GENERAL")
    _, problems = check_observation(early, OPERATION, now)
    assert _fields(problems) == ["lyingFlat", "nilByMouth"]
    told = {**early, "lying_flat": True, "nil_by_mouth": False}
    body, problems = check_observation(told, OPERATION, now)
    assert problems == [] and (body["lying_flat"], body["nil_by_mouth"]) == (True, False)
    late = {**told, "observed_at": ENDED + timedelta(hours=6)}
    _, problems = check_observation(late, OPERATION, now)
    assert _fields(problems) == ["lyingFlat", "nilByMouth"]
    local = {**told, "anaesthesia": "LOCAL"}
    _, problems = check_observation(local, OPERATION, now)
    assert _fields(problems) == ["lyingFlat", "nilByMouth"]


def test_vital_signs_need_their_values_and_believable_ones() -> None:
    now = ENDED + timedelta(hours=2)
    _, problems = check_observation(
        {**_observation(timedelta(hours=1)), "vitals": None}, OPERATION, now
    )
    assert _fields(problems) == ["vitals"]
    bad = {
        **VITALS,
        "systolic": 600,
        "pulse": None,
        "temperature_celsius": 29.9,
        "oxygen_saturation": 101,
    }
    _, problems = check_observation(
        {**_observation(timedelta(hours=1)), "vitals": bad}, OPERATION, now
    )
    assert _fields(problems) == [
        "vitals.systolic",
        "vitals.pulse",
        "vitals.temperatureCelsius",
        "vitals.oxygenSaturation",
    ]
    upside_down = {**VITALS, "systolic": 80, "diastolic": 90}
    _, problems = check_observation(
        {**_observation(timedelta(hours=1)), "vitals": upside_down}, OPERATION, now
    )
    assert _fields(problems) == ["vitals.diastolic"]


def _round(at: datetime, **fields: object) -> dict[str, object]:
    return {
        "visited_at": at,
        "recovering_as_expected": True,
        "findings": "swelling as expected",
        "next_step": "discharge",
        **fields,
    }


def test_the_ward_round_is_on_the_next_day_of_the_clinic_s_calendar() -> None:
    now = ENDED + timedelta(days=3)
    # 23:59 in Warsaw is still the day of the operation, though UTC has it on 2 March too
    same_day = datetime(2026, 3, 2, 22, 59, tzinfo=UTC)
    _, problems = check_ward_round(_round(same_day), OPERATION, now)
    assert _fields(problems) == ["visitedAt"]
    assert problems[0].message == "on the day after the operation (2026-03-03)"
    # 00:30 in Warsaw on 3 March is the next day, though UTC is still on 2 March
    body, problems = check_ward_round(
        _round(datetime(2026, 3, 2, 23, 30, tzinfo=UTC)), OPERATION, now
    )
    assert problems == []
    assert body == {
        "journey_id": "j1",
        "visited_at": "2026-03-02T23:30:00+00:00",
        "recovering_as_expected": True,
        "findings": "swelling as expected",
        "next_step": "discharge",
    }
    two_days_on = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
    _, problems = check_ward_round(_round(two_days_on), OPERATION, now)
    assert _fields(problems) == ["visitedAt"]


def test_the_ward_round_says_what_was_found_and_what_is_next() -> None:
    at = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    blank = _round(at, findings=" ", next_step=None, recovering_as_expected=None)
    _, problems = check_ward_round(blank, OPERATION, at + timedelta(minutes=5))
    assert _fields(problems) == ["recoveringAsExpected", "findings", "nextStep"]
    _, problems = check_ward_round(_round(at), OPERATION, at - timedelta(minutes=1))
    assert _fields(problems) == ["visitedAt"]
