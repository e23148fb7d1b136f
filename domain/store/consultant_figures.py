"""A consultant's month (seed 004): first visits received, how many became deals, the average
ticket and the revenue credited to them under the desk's attribution rules. Here the month's
rows are read; `domain.money.consultant_month` folds them."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from domain.journey.stages import VisitCategory
from domain.money.consultant_month import ConsultantMonth, MonthRows, fold_consultant_months
from domain.money.credit import Share
from domain.report_folds import fold_off_the_loop
from domain.store.models import Journey
from domain.store.money_movements import MovementSource, month_bounds, recorded_payments
from domain.store.triage_models import RevenueCredit, TriageEntry
from domain.triage.entries import EntryKind


async def splits_of(journey_ids: list[str]) -> dict[str, list[tuple[datetime, list[Share]]]]:
    """Each journey's revenue splits in the order the desk recorded them."""
    by_entry: dict[tuple[str, int], list[RevenueCredit]] = defaultdict(list)
    for row in await RevenueCredit.filter(journey_id__in=journey_ids).order_by("entry_seq", "id"):
        by_entry[(row.journey_id, row.entry_seq)].append(row)
    splits: dict[str, list[tuple[datetime, list[Share]]]] = defaultdict(list)
    for (journey_id, _seq), rows in by_entry.items():
        shares = [Share(r.consultant_id, r.percent) for r in rows]
        # A stand-in split three ways is 33/33/33: the odd percent goes to the first.
        shares[0] = Share(shares[0].consultant_id, shares[0].percent + 100 - _total(shares))
        splits[journey_id].append((rows[0].at, shares))
    return splits


def _total(shares: list[Share]) -> int:
    return sum(s.percent for s in shares)


async def consultant_months(
    clinic_id: str, month: str, source: MovementSource = recorded_payments
) -> list[ConsultantMonth]:
    """`month` is "YYYY-MM" in the clinic's calendar; consultants by id. First visits are
    the month's first-visit journeys; revenue is the money taken in the month."""
    start, end = await month_bounds(clinic_id, month)
    first_visits = await first_visits_between(clinic_id, start, end)
    their_money = await source(clinic_id, None, None, list(first_visits))
    month_money = await source(clinic_id, start, end, None)
    splits = await with_journey_consultants(
        await splits_of(sorted({m.journey_id for m in month_money})),
        {m.journey_id for m in month_money},
    )
    rows = MonthRows(first_visits, their_money, month_money, splits)
    return await fold_off_the_loop(fold_consultant_months, rows)


async def first_visits_between(clinic_id: str, start: datetime, end: datetime) -> dict[str, str]:
    """First-visit journeys opened in [start, end) -> the consultant who received them: the
    desk's assignment, else (picked by staff without the desk) the journey's consultant."""
    journeys = await Journey.filter(
        clinic_id=clinic_id,
        visit_category=VisitCategory.FIRST_VISIT.value,
        started_at__gte=start,
        started_at__lt=end,
    )
    ids = [str(j.id) for j in journeys]
    by_desk: dict[str, str] = {}
    entries = TriageEntry.filter(
        clinic_id=clinic_id, kind=EntryKind.ASSIGNED.value, journey_id__in=ids
    )
    for entry in await entries.order_by("seq"):
        if entry.consultant_id and entry.journey_id:
            by_desk.setdefault(entry.journey_id, entry.consultant_id)
    received = {str(j.id): by_desk.get(str(j.id)) or j.consultant_id for j in journeys}
    return {journey_id: c for journey_id, c in received.items() if c}


async def with_journey_consultants(
    splits: dict[str, list[tuple[datetime, list[Share]]]], journey_ids: set[str]
) -> dict[str, list[tuple[datetime, list[Share]]]]:
    """A journey the desk never split (staff picked its consultant directly) is credited whole
    to the journey's consultant, the owner of the relationship."""
    unsplit = [j for j in journey_ids if j not in splits]
    for journey in await Journey.filter(id__in=unsplit, consultant_id__not_isnull=True):
        splits[str(journey.id)] = [(journey.started_at, [Share(journey.consultant_id or "", 100)])]
    return splits


async def paid_by_journey(clinic_id: str, journey_ids: list[str]) -> dict[str, int]:
    """Net money each journey has taken to date, in minor units (for the key-item ranking)."""
    paid: dict[str, int] = defaultdict(int)
    for movement in await recorded_payments(clinic_id, None, None, journey_ids):
        paid[movement.journey_id] += movement.amount_minor
    return paid
