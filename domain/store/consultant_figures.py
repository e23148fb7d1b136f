"""A consultant's month (seed 004): first visits received, how many became deals, the average
ticket and the revenue credited to them under the desk's attribution rules. Here the month's
rows are read; `domain.money.consultant_month` folds them.

The reads name the journeys the month's money moved on by subquery (of its payment and refund
rows), not by a list of ids built here and sent back, and read only the columns the fold takes,
as plain values: a model per row, each of its dates parsed, cost more than the statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from domain.journey.stages import VisitCategory
from domain.money.consultant_month import ConsultantMonth, MonthRows, fold_consultant_months
from domain.money.credit import Share
from domain.report_folds import fold_off_the_loop
from domain.store.billing_reads import journeys_moving_money
from domain.store.models import Journey
from domain.store.money_movements import MovementSource, month_bounds, recorded_payments
from domain.store.triage_models import RevenueCredit, TriageEntry
from domain.triage.entries import EntryKind

Splits = dict[str, list[tuple[datetime, list[Share]]]]
# Journeys named by a subquery or by their ids -> rows whose first column is the journey.
JourneyRead = Callable[[Subquery | list[str]], Awaitable[list[tuple[Any, ...]]]]


async def consultant_months(
    clinic_id: str, month: str, source: MovementSource = recorded_payments
) -> list[ConsultantMonth]:
    """`month` is "YYYY-MM" in the clinic's calendar; consultants by id. First visits are
    the month's first-visit journeys; revenue is the money taken in the month."""
    start, end = await month_bounds(clinic_id, month)
    first_visits = await first_visits_between(clinic_id, start, end)
    their_money = await source(clinic_id, None, None, list(first_visits))
    month_money = await source(clinic_id, start, end, None)
    paying = {m.journey_id for m in month_money}
    moved = journeys_moving_money(clinic_id, start, end)
    # Every journey has its row: those found through the subqueries are those they name.
    journeys, named = await _rows_of(paying, moved, _journeys, None)
    splits = with_journey_consultants(await splits_of(paying, moved, named), journeys)
    rows = MonthRows(first_visits, their_money, month_money, splits)
    return await fold_off_the_loop(fold_consultant_months, rows)


def _first_visits_opened(clinic_id: str, start: datetime, end: datetime) -> QuerySet[Journey]:
    return Journey.filter(
        clinic_id=clinic_id,
        visit_category=VisitCategory.FIRST_VISIT.value,
        started_at__gte=start,
        started_at__lt=end,
    )


async def first_visits_between(clinic_id: str, start: datetime, end: datetime) -> dict[str, str]:
    """First-visit journeys opened in [start, end) -> the consultant who received them: the
    desk's assignment, else (picked by staff without the desk) the journey's consultant."""
    opened = _first_visits_opened(clinic_id, start, end)
    journeys = await opened.values_list("id", "consultant_id")
    # By their ids, not by a subquery of the month's journeys: on tables PostgreSQL has never
    # analysed it takes that subquery for a row or two and probes the clinic's whole log once
    # per journey (seconds for 3,000). The same holds for their money.
    ids = sorted(str(journey_id) for journey_id, _consultant in journeys)
    entries = TriageEntry.filter(
        clinic_id=clinic_id, kind=EntryKind.ASSIGNED.value, journey_id__in=ids
    )
    by_desk: dict[str, str] = {}
    for journey_id, consultant_id in await entries.order_by("seq").values_list(
        "journey_id", "consultant_id"
    ):
        if consultant_id and journey_id:
            by_desk.setdefault(journey_id, consultant_id)
    received = {str(j): by_desk.get(str(j)) or consultant for j, consultant in journeys}
    return {journey_id: c for journey_id, c in received.items() if c}


async def _rows_of(
    journey_ids: set[str], among: Sequence[Subquery], read: JourneyRead, named: set[str] | None
) -> tuple[list[tuple[Any, ...]], set[str]]:
    """`read`'s rows of the journeys, each once, and the journeys the subqueries `among` name:
    read through them, then by id the journeys they do not name. `named`, when None, is taken
    to be those `read` found through them (a read that finds a row for every journey)."""
    rows: dict[tuple[Any, ...], None] = {}
    for journeys in among:
        rows.update(dict.fromkeys(row for row in await read(journeys) if row[0] in journey_ids))
    if named is None:
        named = {row[0] for row in rows}
    rest = journey_ids - named
    if rest:
        rows.update(dict.fromkeys(await read(sorted(rest))))
    return list(rows), named


async def _journeys(journeys: Subquery | list[str]) -> list[tuple[Any, ...]]:
    return list(
        await Journey.filter(id__in=journeys).values_list("id", "consultant_id", "started_at")
    )


async def _revenue_credits(journeys: Subquery | list[str]) -> list[tuple[Any, ...]]:
    credits = RevenueCredit.filter(journey_id__in=journeys)
    columns = ("journey_id", "id", "entry_seq", "consultant_id", "percent", "at")
    return list(await credits.values_list(*columns))


async def splits_of(journey_ids: set[str], among: Sequence[Subquery], named: set[str]) -> Splits:
    """Each journey's revenue splits in the order the desk recorded them: read through the
    subqueries `among`, which name the journeys `named`, and by id for the rest."""
    by_entry: dict[tuple[str, int], list[tuple[Any, ...]]] = defaultdict(list)
    credits, _named = await _rows_of(journey_ids, among, _revenue_credits, named)
    for row in sorted(credits, key=lambda row: (row[2], row[1])):
        by_entry[(row[0], row[2])].append(row)
    splits: Splits = defaultdict(list)
    for (journey_id, _seq), rows in by_entry.items():
        shares = [
            Share(consultant_id, percent) for _j, _id, _s, consultant_id, percent, _at in rows
        ]
        # A stand-in split three ways is 33/33/33: the odd percent goes to the first.
        shares[0] = Share(shares[0].consultant_id, shares[0].percent + 100 - _total(shares))
        splits[journey_id].append((rows[0][5], shares))
    return splits


def _total(shares: list[Share]) -> int:
    return sum(s.percent for s in shares)


def with_journey_consultants(splits: Splits, journeys: list[tuple[Any, ...]]) -> Splits:
    """A journey the desk never split (staff picked its consultant directly) is credited whole
    to the journey's consultant, the owner of the relationship. `journeys`: (id, consultant,
    started_at) of the journeys the month's money moved on."""
    for journey_id, consultant_id, started_at in journeys:
        if str(journey_id) not in splits and consultant_id is not None:
            splits[str(journey_id)] = [(started_at, [Share(consultant_id, 100)])]
    return splits


async def paid_by_journey(clinic_id: str, journey_ids: list[str]) -> dict[str, int]:
    """Net money each journey has taken to date, in minor units (for the key-item ranking)."""
    paid: dict[str, int] = defaultdict(int)
    for movement in await recorded_payments(clinic_id, None, None, journey_ids):
        paid[movement.journey_id] += movement.amount_minor
    return paid
