"""The days each clinic is closed besides weekends (`domain.clinic_days`), a row a day.

A setting, not a record: the supervisor replaces a year's list whole, and what it changes is
only what is counted from then on (a complaint keeps the due time it was given when received).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from tortoise import fields
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.clinic_days import MAX_DAYS_OFF_PER_YEAR, DayOff
from domain.store.models import Clinic


class ClinicDayOff(Model):
    """A day the clinic is closed, with why (a public holiday's name, a closure)."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    day = fields.DateField()
    reason = fields.CharField(max_length=200, null=True)
    set_by = fields.CharField(max_length=64)
    set_at = fields.DatetimeField()

    class Meta:
        table = "clinic_day_off"
        unique_together = (("clinic_id", "day"),)


async def days_off_from(clinic_id: str, first: date) -> set[date]:
    """The clinic's closed days from `first` to the end of the year after: more than any count
    of a few working days can reach, as a year lists at most `MAX_DAYS_OFF_PER_YEAR`."""
    last = date(first.year + 1, 12, 31)
    rows = ClinicDayOff.filter(clinic_id=clinic_id, day__gte=first, day__lte=last)
    return {row.day for row in await rows.limit(3 * MAX_DAYS_OFF_PER_YEAR).only("day")}


async def days_off_of_year(clinic_id: str, year: int) -> list[ClinicDayOff]:
    """The year's list, by day."""
    query = ClinicDayOff.filter(
        clinic_id=clinic_id, day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)
    )
    return await query.order_by("day").limit(MAX_DAYS_OFF_PER_YEAR)


async def replace_year(
    clinic_id: str, year: int, days: Sequence[DayOff], set_by: str, at: datetime
) -> None:
    """The year's list becomes `days`, in one transaction: a reader sees the old or the new.
    Under the clinic's row lock, so two lists sent at once are applied one after the other
    (on PostgreSQL both would delete, then one insert would meet the other's rows)."""
    async with in_transaction() as connection:
        await Clinic.filter(id=clinic_id).select_for_update().using_db(connection).first()
        await (
            ClinicDayOff.filter(
                clinic_id=clinic_id, day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)
            )
            .using_db(connection)
            .delete()
        )
        await ClinicDayOff.bulk_create(
            [
                ClinicDayOff(
                    id=str(uuid.uuid4()),
                    clinic_id=clinic_id,
                    day=entry.day,
                    reason=entry.reason,
                    set_by=set_by,
                    set_at=at,
                )
                for entry in days
            ],
            using_db=connection,
        )
