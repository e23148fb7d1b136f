"""A consultant's month (seed 004): first visits received, how many became deals, the average
ticket and the revenue credited to them under the desk's attribution rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from domain.journey.stages import VisitCategory
from domain.money.credit import Share, credit_movements
from domain.store.models import Journey
from domain.store.money_movements import MovementSource, month_bounds, recorded_payments
from domain.store.triage_models import RevenueCredit, TriageEntry
from domain.triage.entries import EntryKind


@dataclass
class ConsultantMonth:
    consultant_id: str
    first_visits: int = 0
    # First visits of the month whose journey has taken money (to date).
    deals: int = 0
    # currency -> minor units credited in the month (payments less refunds).
    revenue_minor: dict[str, int] = field(default_factory=dict)
    # currency -> how many journeys the month's credit came from.
    paying_journeys: dict[str, int] = field(default_factory=dict)

    @property
    def conversion_rate(self) -> float:
        return self.deals / self.first_visits if self.first_visits else 0.0

    def average_ticket_minor(self, currency: str) -> int:
        count = self.paying_journeys.get(currency, 0)
        return self.revenue_minor.get(currency, 0) // count if count else 0


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
    figures: dict[str, ConsultantMonth] = {}

    def of(consultant_id: str) -> ConsultantMonth:
        return figures.setdefault(consultant_id, ConsultantMonth(consultant_id))

    start, end = await month_bounds(clinic_id, month)
    first_visits = await first_visits_between(clinic_id, start, end)
    paid_to_date: dict[str, int] = defaultdict(int)
    for movement in await source(clinic_id, None, None, list(first_visits)):
        paid_to_date[movement.journey_id] += movement.amount_minor
    for journey_id, consultant_id in first_visits.items():
        of(consultant_id).first_visits += 1
        of(consultant_id).deals += paid_to_date[journey_id] > 0
    movements = await source(clinic_id, start, end, None)
    splits = await with_journey_consultants(
        await splits_of(sorted({m.journey_id for m in movements})),
        {m.journey_id for m in movements},
    )
    journeys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for credit in credit_movements(movements, splits):
        row, currency = of(credit.consultant_id), credit.movement.currency
        row.revenue_minor[currency] = row.revenue_minor.get(currency, 0) + credit.amount_minor
        journeys[(credit.consultant_id, currency)].add(credit.movement.journey_id)
    for (consultant_id, currency), ids in journeys.items():
        figures[consultant_id].paying_journeys[currency] = len(ids)
    return sorted(figures.values(), key=lambda f: f.consultant_id)


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
