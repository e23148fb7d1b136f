"""Where consultant credit and partner statements read money from: today the payments
`recordPayment` attaches to journeys. Bill payments and refunds plug in here (`MovementSource`)
without the figures changing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.expressions import Subquery

from domain.journey.table import Action
from domain.money.credit import Movement
from domain.store.models import Clinic, Journey, JourneyEvent, JourneyRecord

# (clinic, from, until, only these journeys or None for all) -> the money that moved, in order.
MovementSource = Callable[
    [str, datetime | None, datetime | None, Collection[str] | None], Awaitable[list[Movement]]
]


async def recorded_payments(
    clinic_id: str,
    start: datetime | None,
    end: datetime | None,
    journey_ids: Collection[str] | None = None,
) -> list[Movement]:
    """Payments taken in [start, end), from the journey events that attached them."""
    clinic_journeys = Subquery(Journey.filter(clinic_id=clinic_id).values("id"))
    events = JourneyEvent.filter(
        action=Action.RECORD_PAYMENT.value,
        record_id__not_isnull=True,
        journey_id__in=clinic_journeys,
    )
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lt=end)
    if journey_ids is not None:
        events = events.filter(journey_id__in=list(journey_ids))
    rows = await events.order_by("at", "id")
    records = await JourneyRecord.filter(id__in=[r.record_id for r in rows if r.record_id])
    bodies = {str(r.id): r.body for r in records}
    movements = []
    for event in rows:
        body = bodies.get(event.record_id or "")
        if not body:
            continue
        minor = int(Decimal(str(body["amount"])).scaleb(2))
        movements.append(Movement(event.journey_id, event.at, minor, str(body["currency"])))
    return movements


async def month_bounds(clinic_id: str, month: str) -> tuple[datetime, datetime]:
    """The month "YYYY-MM" in the clinic's own calendar, as instants."""
    clinic = await Clinic.get_or_none(id=clinic_id)
    zone = ZoneInfo(clinic.timezone if clinic else "UTC")
    first = date.fromisoformat(f"{month}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    # In UTC: SQLite compares stored instants as text, so both sides share one offset.
    return (
        datetime.combine(first, datetime.min.time(), zone).astimezone(UTC),
        datetime.combine(following, datetime.min.time(), zone).astimezone(UTC),
    )
