"""The wait that keeps a test from running across the test clinics' midnight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.clinic_day import LAST_MINUTES_OF_THE_DAY, TEST_CLINIC_ZONE, wait_for_the_next_day


@pytest.mark.parametrize(
    ("local", "wait"),
    [
        # Two minutes before the clinic's midnight: past it, and a second into the new day
        (datetime(2026, 12, 7, 23, 58), timedelta(minutes=2, seconds=1)),
        (datetime(2026, 12, 7, 23, 59, 59), timedelta(seconds=2)),
        # Far enough from it (the margin exactly, or the new day begun): no wait
        (datetime(2026, 12, 8, 0, 0, 0), timedelta(0)),
        (datetime(2026, 12, 7, 23, 57), timedelta(0)),
        (datetime(2026, 12, 7, 12, 0), timedelta(0)),
        # In summer time too (the zone's offset, not UTC's midnight)
        (datetime(2026, 7, 1, 23, 59), timedelta(minutes=1, seconds=1)),
    ],
)
def test_a_test_waits_only_in_the_last_minutes_of_the_clinic_s_day(
    local: datetime, wait: timedelta
) -> None:
    # Given the time in UTC, as the suite reads it
    now = local.replace(tzinfo=TEST_CLINIC_ZONE).astimezone(UTC)
    # Then the wait runs to just past the clinic's midnight, or is none
    assert wait_for_the_next_day(now) == wait
    assert wait_for_the_next_day(now) <= LAST_MINUTES_OF_THE_DAY + timedelta(seconds=1)


def test_utc_s_midnight_is_not_the_clinic_s() -> None:
    # Given two minutes to midnight in UTC (an hour or two into the clinic's day), Then no wait
    assert wait_for_the_next_day(datetime(2026, 12, 7, 23, 58, tzinfo=UTC)) == timedelta(0)
