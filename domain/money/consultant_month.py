"""A consultant's month (seed 004) folded from rows read beforehand: first visits received, how
many became deals, and the revenue credited under the desk's attribution rules. Plain data in
and out, nothing read: a report folds it off the event loop (`domain.report_folds`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from domain.money.credit import Movement, Share, credit_movements


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


@dataclass(frozen=True)
class MonthRows:
    """What a month's figures are folded from."""

    # The month's first-visit journeys -> the consultant who received each.
    first_visits: dict[str, str]
    # Those journeys' money to date, whatever the month: which of them became deals.
    their_money: list[Movement]
    # The money taken in the month, oldest first.
    month_money: list[Movement]
    # Each journey of the month's money -> its revenue splits in the order recorded.
    splits: dict[str, list[tuple[datetime, list[Share]]]]


def fold_consultant_months(rows: MonthRows) -> list[ConsultantMonth]:
    """The month's figures by consultant id."""
    figures: dict[str, ConsultantMonth] = {}

    def of(consultant_id: str) -> ConsultantMonth:
        return figures.setdefault(consultant_id, ConsultantMonth(consultant_id))

    paid_to_date: dict[str, int] = defaultdict(int)
    for movement in rows.their_money:
        paid_to_date[movement.journey_id] += movement.amount_minor
    for journey_id, consultant_id in rows.first_visits.items():
        of(consultant_id).first_visits += 1
        of(consultant_id).deals += paid_to_date[journey_id] > 0
    journeys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for credit in credit_movements(rows.month_money, rows.splits):
        row, currency = of(credit.consultant_id), credit.movement.currency
        row.revenue_minor[currency] = row.revenue_minor.get(currency, 0) + credit.amount_minor
        journeys[(credit.consultant_id, currency)].add(credit.movement.journey_id)
    for (consultant_id, currency), ids in journeys.items():
        figures[consultant_id].paying_journeys[currency] = len(ids)
    return sorted(figures.values(), key=lambda f: f.consultant_id)
