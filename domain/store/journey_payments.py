"""`Journey.payments`: each listed journey's payments (with a bill or without) and the refunds
against them, for many journeys at once.

A journey's payments are few (a deposit, top-ups, a year of installments), but nothing stops a
runaway one, and a page may list many journeys: so the read is bounded, not only the answer.
The database numbers each journey's payments by receipt (a window function, as
`store.per_client` does) and sends the first `MAX_JOURNEY_PAYMENTS` of each, and the refunds of
those payments only: two statements per thousand journeys of a clinic, whatever they hold.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from tortoise import connections

from domain.money.catalog import DEFAULT_SETTINGS
from domain.store.billing import ClinicBilling, Payment, Refund
from domain.store.sql import as_models, columns_of, is_postgres, marks

# The answer's bound per journey, oldest first.
MAX_JOURNEY_PAYMENTS = 100
# Journeys per statement: PostgreSQL takes at most 32,767 parameters in one.
JOURNEYS_PER_QUERY = 1000

# (journey id, clinic id): a journey's money is read only within its clinic.
JourneyKey = tuple[str, str]


@dataclass(frozen=True)
class JourneyPayments:
    """A journey's payments, with a bill or without (oldest first, at most
    MAX_JOURNEY_PAYMENTS), the refunds against them, and its clinic's locale to show them in."""

    payments: list[Payment]
    refunds: list[Refund]
    locale: str


def _numbered(columns: str, clinic: str, journeys: str) -> str:
    """The clinic's payments of the journeys, each journey's numbered by receipt from 1."""
    return (
        f"SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY journey_id ORDER BY receipt_number,"
        f" id) AS place FROM payment WHERE clinic_id = {clinic} AND journey_id IN ({journeys})"
    )


@functools.cache
def _statements(postgres: bool, journeys: int) -> tuple[str, str]:
    """(payments, refunds): the first payments of each journey, and the refunds against them;
    parameters: the clinic, the journeys, the bound."""
    places = marks(postgres, journeys + 2)
    clinic, bound = places[0], places[-1]
    listed = ", ".join(places[1:-1])
    columns = ", ".join(f'"{c}"' for c in columns_of(Payment))
    payments = (
        f"SELECT {columns} FROM ({_numbered(columns, clinic, listed)}) AS numbered"
        f" WHERE place <= {bound} ORDER BY journey_id, place"
    )
    refund_columns = ", ".join(f'"{c}"' for c in columns_of(Refund))
    shown = f"SELECT id FROM ({_numbered('id', clinic, listed)}) AS numbered WHERE place <= {bound}"
    refunds = (
        f"SELECT {refund_columns} FROM refund WHERE payment_id IN ({shown})"
        " ORDER BY recorded_at, id"
    )
    return payments, refunds


async def payments_of_journeys(keys: list[JourneyKey]) -> list[JourneyPayments]:
    """Each journey's payments, for a list of journeys at once: a few queries per clinic."""
    journeys_of: dict[str, set[str]] = defaultdict(set)
    for journey_id, clinic_id in keys:
        journeys_of[clinic_id].add(journey_id)
    payments: dict[JourneyKey, list[Payment]] = defaultdict(list)
    refunds: dict[JourneyKey, list[Refund]] = defaultdict(list)
    locales: dict[str, str] = {}
    db = connections.get("default")
    for clinic_id, journey_ids in journeys_of.items():
        chosen = sorted(journey_ids)
        for start in range(0, len(chosen), JOURNEYS_PER_QUERY):
            chunk = chosen[start : start + JOURNEYS_PER_QUERY]
            paid_sql, refunds_sql = _statements(is_postgres(db), len(chunk))
            values = [clinic_id, *chunk, MAX_JOURNEY_PAYMENTS]
            for payment in as_models(Payment, await db.execute_query_dict(paid_sql, values)):
                payments[(payment.journey_id, clinic_id)].append(payment)
            for refund in as_models(Refund, await db.execute_query_dict(refunds_sql, values)):
                refunds[(refund.journey_id, clinic_id)].append(refund)
        settings = await ClinicBilling.get_or_none(clinic_id=clinic_id)
        locales[clinic_id] = settings.locale if settings else DEFAULT_SETTINGS.locale
    return [JourneyPayments(payments[key], refunds[key], locales[key[1]]) for key in keys]
