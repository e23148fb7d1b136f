"""The test clinics' day. The server files a clinic's records, opens its desk's day and lets the
checks of the day lapse at the clinic's own midnight: a test that ran across it would see two
days, and fail for reasons of the clock (its check of the day lapsed, its desk's board a new one).
So no test starts in the last minutes of a clinic's day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The zone `create_clinic` leaves a clinic in (the clinics' default). It runs ahead of UTC late
# in the evening: a test that took UTC's date would fail for an hour or two each night.
TEST_CLINIC_ZONE = ZoneInfo("Europe/Warsaw")

# Longer than any one test takes on a loaded machine (the longest, the PostgreSQL run's
# schemathesis documents, about two and a half minutes).
LAST_MINUTES_OF_THE_DAY = timedelta(minutes=3)


def wait_for_the_next_day(now: datetime) -> timedelta:
    """How long a test about to start at `now` waits: past the clinic's next midnight if that is
    less than `LAST_MINUTES_OF_THE_DAY` away (a second past it, so the new day has begun),
    otherwise not at all."""
    here = now.astimezone(TEST_CLINIC_ZONE)
    midnight = datetime.combine(here.date() + timedelta(days=1), time.min, TEST_CLINIC_ZONE)
    left = midnight.astimezone(UTC) - now.astimezone(UTC)
    return left + timedelta(seconds=1) if left < LAST_MINUTES_OF_THE_DAY else timedelta(0)
