"""A clinic whose day is not UTC's, for tests of what turns at the clinic's midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from domain.roles import Role
from domain.store.models import Clinic, StaffAccount
from tests.api.flow import JourneyDriver


async def far_from_utc(driver: JourneyDriver) -> date:
    """Moves the driver's clinic to a zone whose day is not UTC's now, an hour or more before
    its own midnight (so that no day turns while a test runs); its today. Kiritimati (UTC+14)
    is a day ahead from 10:00 UTC until UTC's midnight, Pago Pago (UTC-11) a day behind from
    UTC's midnight until 11:00 UTC, taken until 10:00."""
    now = datetime.now(UTC)
    zone = "Pacific/Kiritimati" if now.hour >= 10 else "Pacific/Pago_Pago"
    account = await StaffAccount.get(id=driver.staff[Role.SUPERVISOR].account_id)
    await Clinic.filter(id=account.clinic_id).update(timezone=zone)
    today = now.astimezone(ZoneInfo(zone)).date()
    assert today != now.date()
    return today
