"""`Journey.payments`: a page of each listed journey's payments (with a bill or without) and the
refunds against them, for many journeys at once.

A journey's payments are few (a deposit, top-ups, a year of installments), but nothing stops a
runaway one, and a page may list many journeys: so the read is bounded, not only the answer.
The database numbers each journey's payments after the page's start by receipt (a window
function, as `store.per_client` does) and sends the first `first` of each, and the first refunds
of those payments only (`store.bill_lists.first_refunds`): two statements per thousand journeys
of a clinic asked for the same page, whatever they hold.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from tortoise import connections

from domain.money.catalog import DEFAULT_SETTINGS
from domain.store.bill_lists import first_refunds
from domain.store.billing import ClinicBilling, Payment, Refund
from domain.store.sql import as_models, columns_of, is_postgres, marks

# Journeys per statement: PostgreSQL takes at most 32,767 parameters in one.
JOURNEYS_PER_QUERY = 1000


class JourneyPage(NamedTuple):
    """Which payments of a journey: at most `first`, after the receipt `after_receipt` (0: from
    the first). A journey's money is read only within its clinic."""

    journey_id: str
    clinic_id: str
    first: int
    after_receipt: int = 0


@dataclass(frozen=True)
class JourneyPayments:
    """A page of a journey's payments, with a bill or without (oldest first), the refunds
    against them, and its clinic's locale to show them in."""

    payments: list[Payment]
    refunds: list[Refund]
    locale: str


def _numbered(columns: str, clinic: str, journeys: str, after: str) -> str:
    """The clinic's payments of the journeys after a receipt, each journey's numbered from 1."""
    return (
        f"SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY journey_id ORDER BY receipt_number,"
        f" id) AS place FROM payment WHERE clinic_id = {clinic} AND journey_id IN ({journeys})"
        f" AND receipt_number > {after}"
    )


@functools.cache
def _statements(postgres: bool, journeys: int) -> tuple[str, str]:
    """(payments, refunds): a page of each journey's payments, and the refunds against them;
    parameters: the clinic, the journeys, the receipt the page starts after, its size."""
    places = marks(postgres, journeys + 3)
    clinic, after, bound = places[0], places[-2], places[-1]
    listed = ", ".join(places[1:-2])
    columns = ", ".join(f'"{c}"' for c in columns_of(Payment))
    payments = (
        f"SELECT {columns} FROM ({_numbered(columns, clinic, listed, after)}) AS numbered"
        f" WHERE place <= {bound} ORDER BY journey_id, place"
    )
    shown = (
        f"SELECT id FROM ({_numbered('id', clinic, listed, after)}) AS numbered"
        f" WHERE place <= {bound}"
    )
    return payments, first_refunds(shown)


async def payments_of_journeys(pages: list[JourneyPage]) -> list[JourneyPayments]:
    """Each page of a journey's payments, for a list of journeys at once: a few queries per
    clinic and page asked."""
    journeys_of: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for page in pages:
        journeys_of[(page.clinic_id, page.first, page.after_receipt)].add(page.journey_id)
    payments: dict[JourneyPage, list[Payment]] = defaultdict(list)
    refunds: dict[JourneyPage, list[Refund]] = defaultdict(list)
    locales: dict[str, str] = {}
    db = connections.get("default")
    for (clinic_id, first, after), journey_ids in journeys_of.items():
        chosen = sorted(journey_ids)
        for start in range(0, len(chosen), JOURNEYS_PER_QUERY):
            chunk = chosen[start : start + JOURNEYS_PER_QUERY]
            paid_sql, refunds_sql = _statements(is_postgres(db), len(chunk))
            values = [clinic_id, *chunk, after, first]
            for payment in as_models(Payment, await db.execute_query_dict(paid_sql, values)):
                payments[JourneyPage(payment.journey_id, clinic_id, first, after)].append(payment)
            for refund in as_models(Refund, await db.execute_query_dict(refunds_sql, values)):
                refunds[JourneyPage(refund.journey_id, clinic_id, first, after)].append(refund)
        if clinic_id not in locales:
            settings = await ClinicBilling.get_or_none(clinic_id=clinic_id)
            locales[clinic_id] = settings.locale if settings else DEFAULT_SETTINGS.locale
    return [JourneyPayments(payments[p], refunds[p], locales[p.clinic_id]) for p in pages]
