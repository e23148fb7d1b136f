"""Reads of the money tables that several parts of the system share (bills, statements); a
journey's payments are read in `store.journey_payments`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import Subquery

from domain.journey.stages import TERMINAL_STAGES
from domain.money.catalog import PriceItemKind
from domain.money.hundredths import as_minor
from domain.money.refund_kinds import RefundKind
from domain.store.billing import (
    Bill,
    BillLine,
    InstallmentOverdue,
    Payment,
    PriceListItem,
    Refund,
)
from domain.store.models import Journey
from domain.store.sql import as_models, columns_of, encode, is_postgres, marks
from domain.store.version_lists import key_order

# The journeys a read of money is about: their ids, or a subquery of their ids, for a set that
# grows without bound (a partner's referrals over the years): sent as a list, past 32,766 ids
# the read fails (the values one SQL statement may bind: SQLite's default, asyncpg's 32,767).
JourneyIds = Collection[str] | Subquery


def journeys_in(journey_ids: JourneyIds) -> list[str] | Subquery:
    """What a `journey_id__in` filter takes for the journeys."""
    return journey_ids if isinstance(journey_ids, Subquery) else sorted(journey_ids)


# A clinic's price list is short (tens to a few hundred items); this bounds a runaway one.
MAX_ITEMS = 2000


def _in_force_sql(postgres: bool, of_kind: bool) -> str:
    # SQLite's parameters are positional: the day is bound once for each place it stands.
    places = iter(marks(postgres, 5 + of_kind))
    names = ", ".join(f'v."{c}"' for c in columns_of(PriceListItem))
    clinic, day, day_again, day_ended = next(places), next(places), next(places), next(places)
    kind = f" AND v.kind = {next(places)}" if of_kind else ""
    return (
        f"SELECT {names} FROM price_list_item AS v WHERE v.clinic_id = {clinic}"
        f" AND v.valid_from <= {day} AND NOT EXISTS (SELECT 1 FROM price_list_item AS newer"
        " WHERE newer.clinic_id = v.clinic_id AND newer.code = v.code"
        f" AND newer.version > v.version AND newer.valid_from <= {day_again})"
        f" AND (v.valid_to IS NULL OR v.valid_to >= {day_ended}){kind}"
        f" ORDER BY {key_order(postgres, 'v.code')} LIMIT {next(places)}"
    )


async def items_in_force(
    clinic_id: str, on: date, kind: PriceItemKind | None = None
) -> list[PriceListItem]:
    """For each code, the newest version begun by `on`, unless that version has ended (and of
    `kind`, if given: the kind of that version), by code point, at most `MAX_ITEMS` of them.

    The database picks, orders and cuts them: the bound was on the versions read, so once the
    codes first in the order had piled up 2,000 versions the codes after them went missing."""
    db = PriceListItem._meta.db
    day = encode(PriceListItem, "valid_from", on)
    values = [clinic_id, day, day, day, *([kind.value] if kind else []), MAX_ITEMS]
    sql = _in_force_sql(is_postgres(db), kind is not None)
    return as_models(PriceListItem, await db.execute_query_dict(sql, values))


def payment_minor(payment: Payment) -> int:
    """What the payment holds at its currency's minor units, as refunds and bills are kept: one
    without a bill is kept in hundredths (¥1,000 as 100000, `domain.money.hundredths`). One kept
    before amounts were held to their currency (¥1,000.50) counts what the currency can hold
    (¥1,000): never more than was paid."""
    if payment.bill_id is not None:
        return int(payment.amount_minor)
    return as_minor(payment.amount_minor, payment.currency, floor=True)


async def current_bill(journey_id: str) -> Bill | None:
    """The journey's newest bill: a new bill replaces an unconfirmed one."""
    return await Bill.filter(journey_id=journey_id).order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class SettledLine:
    """A bill line and its bill's money in a month: what partner statements and consultant
    figures start from. `paid_minor`/`refunded_minor` are the whole bill's, in that month."""

    bill_id: str
    journey_id: str
    client_id: str
    line: BillLine
    bill_total_minor: int
    paid_minor: int
    refunded_minor: int
    currency: str


async def lines_paid_in(clinic_id: str, start: datetime, end: datetime) -> list[SettledLine]:
    """Every line of every bill of the clinic with a payment or a refund in [start, end),
    with the bill's money in that window (UTC instants; the caller picks the clinic's month)."""
    payments = await Payment.filter(
        clinic_id=clinic_id, bill_id__isnull=False, recorded_at__gte=start, recorded_at__lt=end
    )
    refunds = await Refund.filter(
        clinic_id=clinic_id, bill_id__isnull=False, recorded_at__gte=start, recorded_at__lt=end
    )
    paid: dict[str, int] = defaultdict(int)
    refunded: dict[str, int] = defaultdict(int)
    for payment in payments:
        paid[payment.bill_id or ""] += payment.amount_minor
    for refund in refunds:
        refunded[refund.bill_id or ""] += refund.amount_minor
    bill_ids = sorted(set(paid) | set(refunded))
    bills = {bill.id: bill for bill in await Bill.filter(id__in=bill_ids)}
    lines = await BillLine.filter(bill_id__in=bill_ids).order_by("bill_id", "position")
    return [
        SettledLine(
            bill_id=line.bill_id,
            journey_id=bills[line.bill_id].journey_id,
            client_id=bills[line.bill_id].client_id,
            line=line,
            bill_total_minor=bills[line.bill_id].total_minor,
            paid_minor=paid[line.bill_id],
            refunded_minor=refunded[line.bill_id],
            currency=bills[line.bill_id].currency,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class MoneyMoved:
    """A payment (positive) or a refund (negative) on a journey, in minor units."""

    journey_id: str
    at: datetime
    amount_minor: int
    currency: str
    bill_id: str | None
    # A refund's: when the payment it gives back was taken (`credit.Movement.credited_as_of`).
    credited_as_of: datetime | None = None


async def money_moved(
    clinic_id: str,
    start: datetime | None,
    end: datetime | None,
    journey_ids: JourneyIds | None = None,
) -> list[MoneyMoved]:
    """Payments and refunds of the clinic in [start, end), oldest first: where consultant
    credit and partner statements read the money that moved."""
    payments = Payment.filter(clinic_id=clinic_id)
    refunds = Refund.filter(clinic_id=clinic_id)
    if start is not None:
        payments, refunds = (
            payments.filter(recorded_at__gte=start),
            refunds.filter(recorded_at__gte=start),
        )
    if end is not None:
        payments, refunds = (
            payments.filter(recorded_at__lt=end),
            refunds.filter(recorded_at__lt=end),
        )
    if journey_ids is not None:
        chosen = journeys_in(journey_ids)
        payments, refunds = (
            payments.filter(journey_id__in=chosen),
            refunds.filter(journey_id__in=chosen),
        )
    # The five columns only: a model per row (every column, each date parsed) cost more than
    # the read itself on a month of thousands of payments.
    columns = ("journey_id", "recorded_at", "amount_minor", "currency", "bill_id")
    moved = [
        MoneyMoved(journey_id, at, minor, currency, bill_id)
        for journey_id, at, minor, currency, bill_id in await payments.values_list(*columns)
    ]
    moved += [
        MoneyMoved(journey_id, at, -minor, currency, bill_id, paid_at)
        for journey_id, at, minor, currency, bill_id, paid_at in await refunds.values_list(
            *columns, "payment__recorded_at"
        )
    ]
    return sorted(moved, key=lambda m: (m.at, m.journey_id))


def journeys_moving_money(clinic_id: str, start: datetime, end: datetime) -> list[Subquery]:
    """The journeys with a payment or a refund row of the clinic in [start, end), a subquery
    per table: those of `money_moved`'s movements in the window, named without their ids (a
    journey whose payment is only its journey record, `store.money_movements`, is not among
    them)."""
    return [
        Subquery(
            rows.filter(clinic_id=clinic_id, recorded_at__gte=start, recorded_at__lt=end).values(
                "journey_id"
            )
        )
        for rows in (Payment, Refund)
    ]


async def kept_by_bill(bill_ids: Collection[str]) -> dict[str, int]:
    """What each bill counts against what was due by a date: its payments less the refunds that
    undid them (a refund names its payment's bill, in the bill's minor units). An installment
    so refunded is owed again, as the bill's `outstanding` says; one given back as goodwill
    lowered what is due as much as what is held (`standing.counted_against_due`), so it stays
    paid."""
    chosen = sorted(set(bill_ids))
    kept: dict[str, int] = defaultdict(int)
    paid = Payment.filter(bill_id__in=chosen).values_list("bill_id", "amount_minor")
    for bill_id, minor in await paid:
        kept[str(bill_id)] += int(minor)
    undone = Refund.filter(bill_id__in=chosen).exclude(kind=RefundKind.GOODWILL.value)
    for bill_id, minor in await undone.values_list("bill_id", "amount_minor"):
        kept[str(bill_id)] -= int(minor)
    return kept


async def ended_before_treatment(journey_ids: Collection[str]) -> set[str]:
    """Those of the journeys that ended before their treatment began (refunded, cancelled,
    declined...): the client left, and owes no installment more. One ended after it (completed
    with installments still to pay) still owes them."""
    ended = Journey.filter(
        id__in=sorted(set(journey_ids)), stage__in=[stage.value for stage in TERMINAL_STAGES]
    )
    return {
        str(journey_id)
        for journey_id, facts in await ended.values_list("id", "facts")
        if not (facts or {}).get("treatment_started")
    }


def still_owed(task: InstallmentOverdue, kept: Mapping[str, int], left: Collection[str]) -> bool:
    """The installment task is open: its bill holds less than was due by the installment
    (`kept`, as `kept_by_bill` reads it), and its journey is not among those that ended before
    the treatment (`left`, as `ended_before_treatment` reads it). The supervisor's count and the
    bill's `installments { overdue }` both judge a task by this."""
    return kept[task.bill_id] < task.owed_by_then_minor and task.journey_id not in left


async def overdue_installments(clinic_id: str) -> int:
    """Installment tasks still open (`still_owed`)."""
    tasks = await InstallmentOverdue.filter(clinic_id=clinic_id).limit(MAX_ITEMS)
    if not tasks:
        return 0
    kept = await kept_by_bill({t.bill_id for t in tasks})
    left = await ended_before_treatment({t.journey_id for t in tasks})
    return sum(still_owed(task, kept, left) for task in tasks)


async def price_list_codes(clinic_id: str) -> list[str]:
    """Every code the clinic's price list has named, in any version, in force or not."""
    query = PriceListItem.filter(clinic_id=clinic_id).distinct()
    return [str(code) for code in await query.values_list("code", flat=True)]
