"""Where consultant credit, partner statements and the key-item ranking read money from.

Two writers record a payment. Since itemised bills, every `recordPayment` writes a `Payment`
row (with or without a bill; the rest of a bill after the treatment writes only that row) and
refunds are `Refund` rows. Before them, and whenever the row was not written after the journey
accepted the payment (a crash between the two, not retried), the payment is only the journey's
record. `recorded_payments` reads the rows, then each journey record of a payment that no row
stands for; a record and a row are one payment when they name the same journey, amount and
currency (paired oldest first, per journey; not by time: the journey's clock is the
workflow's, which a test server skips ahead of the wall clock the row is stamped with).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.expressions import Subquery

from domain.journey.table import Action
from domain.money.credit import Movement
from domain.money.money import is_currency, minor_units
from domain.store.billing import Payment
from domain.store.billing_reads import JourneyIds, journeys_in, money_moved
from domain.store.models import Clinic, Journey, JourneyEvent, JourneyRecord

# (clinic, from, until, only these journeys or None for all) -> the money that moved, in order.
MovementSource = Callable[
    [str, datetime | None, datetime | None, JourneyIds | None], Awaitable[list[Movement]]
]


def _places(currency: str) -> int:
    return minor_units(currency) if is_currency(currency) else 2


def _payment_amount(amount_minor: int, currency: str, bill_id: str | None) -> Decimal:
    """A bill's payment is kept at the currency's minor units, one without a bill in cents
    (as the plan's price was)."""
    places = _places(currency) if bill_id is not None else 2
    return Decimal(amount_minor).scaleb(-places)


def _minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(_places(currency)))


async def recorded_payments(
    clinic_id: str,
    start: datetime | None,
    end: datetime | None,
    journey_ids: JourneyIds | None = None,
) -> list[Movement]:
    """Payments (> 0) and refunds (< 0) in [start, end), oldest first, each counted once,
    in the currency's minor units."""
    return [movement for movement, _ in await movements_by_bill(clinic_id, start, end, journey_ids)]


async def movements_by_bill(
    clinic_id: str,
    start: datetime | None,
    end: datetime | None,
    journey_ids: JourneyIds | None = None,
) -> list[tuple[Movement, str | None]]:
    """`recorded_payments`, each with the bill it was paid against (None: without a bill)."""
    movements: list[tuple[Movement, str | None]] = []
    for moved in await money_moved(clinic_id, start, end, journey_ids):
        amount = moved.amount_minor
        if moved.bill_id is None and moved.amount_minor > 0:
            amount = _minor(_payment_amount(amount, moved.currency, None), moved.currency)
        movement = Movement(
            moved.journey_id, moved.at, amount, moved.currency, moved.credited_as_of
        )
        movements.append((movement, moved.bill_id))
    movements += [(m, None) for m in await _records_without_row(clinic_id, start, end, journey_ids)]
    return sorted(movements, key=lambda pair: (pair[0].at, pair[0].journey_id))


def amount_of(movement: Movement) -> Decimal:
    """A movement's amount in its currency (its minor units back to a decimal)."""
    return Decimal(movement.amount_minor).scaleb(-_places(movement.currency))


async def _payment_records(
    clinic_id: str,
    start: datetime | None,
    end: datetime | None,
    journey_ids: JourneyIds | None,
) -> list[tuple[JourneyEvent, Decimal, str]]:
    """The journeys' payment records in [start, end): (event, amount, currency), oldest first."""
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
        events = events.filter(journey_id__in=journeys_in(journey_ids))
    rows = await events.order_by("at", "id")
    if not rows:
        return []
    records = await JourneyRecord.filter(id__in=[r.record_id for r in rows if r.record_id])
    bodies = {str(r.id): r.body for r in records}
    found = []
    for event in rows:
        body = bodies.get(event.record_id or "")
        if body:
            found.append((event, Decimal(str(body["amount"])), str(body["currency"])))
    return found


async def _records_without_row(
    clinic_id: str,
    start: datetime | None,
    end: datetime | None,
    journey_ids: JourneyIds | None,
) -> list[Movement]:
    in_window = await _payment_records(clinic_id, start, end, journey_ids)
    if not in_window:
        return []
    # Pairing runs over the journeys' whole history, so a record and its row are paired the
    # same way whatever window asks (a record late in one month, its row early in the next).
    journeys = sorted({event.journey_id for event, _, _ in in_window})
    records = await _payment_records(clinic_id, None, None, journeys)
    rows: dict[str, list[Payment]] = defaultdict(list)
    for row in await Payment.filter(clinic_id=clinic_id, journey_id__in=journeys).order_by(
        "recorded_at", "id"
    ):
        rows[row.journey_id].append(row)
    unpaired: set[int] = set()
    for event, amount, currency in records:
        match = next(
            (
                row
                for row in rows[event.journey_id]
                if row.currency == currency
                and _payment_amount(row.amount_minor, row.currency, row.bill_id) == amount
            ),
            None,
        )
        if match is None:
            unpaired.add(event.id)
        else:
            rows[event.journey_id].remove(match)
    return [
        Movement(event.journey_id, event.at, _minor(amount, currency), currency)
        for event, amount, currency in in_window
        if event.id in unpaired
    ]


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
