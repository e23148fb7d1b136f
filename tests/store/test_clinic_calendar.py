"""A clinic's closed days (`domain.store.clinic_calendar`): a year's list replaced whole, even
by two supervisors at once, and read from a day on for counting working days."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

from domain.clinic_days import DayOff
from domain.store.clinic_calendar import days_off_from, days_off_of_year, replace_year
from domain.store.models import Clinic

AT = datetime(2026, 12, 1, tzinfo=UTC)


async def _clinic() -> str:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name="Calendar clinic")
    return clinic_id


async def test_two_lists_of_one_year_sent_at_once_leave_one_of_them_whole() -> None:
    # Given a clinic, and two supervisors each sending a list of its 2027 at the same moment
    clinic_id = await _clinic()
    first = [DayOff(date(2027, 1, 1), "New Year"), DayOff(date(2027, 5, 1), "Labour Day")]
    second = [DayOff(date(2027, 1, 1), "Nowy Rok"), DayOff(date(2027, 11, 11))]

    # When both replace the year together (on PostgreSQL both would delete, then one insert
    # would meet the other's rows, were they not taken one after the other)
    await asyncio.gather(
        *(replace_year(clinic_id, 2027, days, "staff-1", AT) for days in (first, second) * 3)
    )

    # Then the year holds one list whole, not a mix or a doubled day
    held = [DayOff(row.day, row.reason) for row in await days_off_of_year(clinic_id, 2027)]
    assert held in (first, second)


async def test_the_days_counted_from_a_day_reach_into_the_next_year_and_no_other_clinic() -> None:
    # Given a clinic with days in three years, and another clinic with a day of its own
    clinic_id, other_id = await _clinic(), await _clinic()
    await replace_year(
        clinic_id, 2026, [DayOff(date(2026, 12, 24)), DayOff(date(2026, 1, 6))], "s", AT
    )
    await replace_year(clinic_id, 2027, [DayOff(date(2027, 1, 1))], "s", AT)
    await replace_year(clinic_id, 2028, [DayOff(date(2028, 1, 1))], "s", AT)
    await replace_year(other_id, 2026, [DayOff(date(2026, 12, 28))], "s", AT)

    # When the days are read from 23 December 2026 on
    days = await days_off_from(clinic_id, date(2026, 12, 23))

    # Then they are this clinic's from that day to the end of the next year
    assert days == {date(2026, 12, 24), date(2027, 1, 1)}
