"""The request path's statements around a journey step, sent in two trips instead of four.

Before its step a mutation reads the journey's row and claims its idempotency key; after it, it
settles the key and reads the row the step left. Each pair goes to the database together
(`store.one_trip`): one trip to SQLite's thread instead of two. Neither pair needs a transaction
(the claim's unique row decides a race, a settlement stands on its own), so on PostgreSQL the
statements run as they did one by one.
"""

from __future__ import annotations

from domain.store import records
from domain.store.journey_sql import row_plan
from domain.store.models import Journey
from domain.store.one_trip import Plan, in_one_trip
from domain.store.records import KeyClaim, KeyRequest
from domain.store.sql import is_postgres

RowAndClaim = tuple[Journey | None, KeyClaim | None]


async def row_and_claim(journey_id: str, clinic_id: str, request: KeyRequest | None) -> RowAndClaim:
    """The journey's row if it is `clinic_id`'s, and then, only if it is, the key's claim
    (None without a `request`): a journey the caller cannot see claims nothing."""

    def plan(postgres: bool) -> Plan[RowAndClaim]:
        row = yield from row_plan(postgres, journey_id, clinic_id)
        if row is None or request is None:
            return row, None
        return row, (yield from records.claim_plan(postgres, request))

    return await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)


async def settled_row(journey_id: str, settled_key: tuple[str, str] | None) -> Journey | None:
    """Settles `settled_key` (account, key) with the journey as its result, then reads the
    journey's row as the step left it."""

    def plan(postgres: bool) -> Plan[Journey | None]:
        if settled_key is not None:
            account_id, key = settled_key
            yield from records.settle_plan(postgres, account_id, key, journey_id)
        return (yield from row_plan(postgres, journey_id))

    return await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)
