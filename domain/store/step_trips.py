"""The request path's statements around a journey step, sent in two trips instead of five.

Before its step a mutation reads the journey's row, claims its idempotency key and, when the
step will go on to the workflow, keeps what staff recorded as a draft; after it, it settles the
key and reads the row the step left. Each group goes to the database together
(`store.one_trip`): one trip to SQLite's thread. Neither needs a transaction (the claim's unique
row decides a race, a draft and a settlement stand on their own), so on PostgreSQL the
statements run one by one, but for the settlement, which rides with the row's read after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from domain.store import records
from domain.store.journey_sql import row_plan
from domain.store.models import Journey
from domain.store.one_trip import Plan, in_one_trip
from domain.store.records import Draft, KeyClaim, KeyRequest
from domain.store.sql import is_postgres

# Whether the step goes on to the workflow, given the journey's row and the key's claim: only
# then is its draft kept (a retry that was answered, a reused key, an ended journey keep none).
GoesOn = Callable[[Journey, KeyClaim | None], bool]


class BeforeStep(NamedTuple):
    row: Journey | None
    claim: KeyClaim | None
    record_id: str | None  # the draft's, when one was asked for and the step goes on


async def row_and_claim(
    journey_id: str,
    clinic_id: str,
    request: KeyRequest | None,
    draft: tuple[Draft, GoesOn] | None = None,
) -> BeforeStep:
    """The journey's row if it is `clinic_id`'s, and then, only if it is, the key's claim
    (None without a `request`): a journey the caller cannot see claims nothing. With a
    `draft`, the draft is written after them when its test says the step goes on."""

    def plan(postgres: bool) -> Plan[BeforeStep]:
        row = yield from row_plan(postgres, journey_id, clinic_id)
        if row is None:
            return BeforeStep(None, None, None)
        claim = None if request is None else (yield from records.claim_plan(postgres, request))
        if draft is None or not draft[1](row, claim):
            return BeforeStep(row, claim, None)
        return BeforeStep(row, claim, (yield from records.draft_plan(postgres, draft[0])))

    return await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)


async def settled_row(journey_id: str, settled_key: tuple[str, str] | None) -> Journey | None:
    """Settles `settled_key` (account, key) with the journey as its result, then reads the
    journey's row as the step left it: on PostgreSQL one statement (the settlement is an
    `Unread` write, and the row's read does not look at the key)."""

    def plan(postgres: bool) -> Plan[Journey | None]:
        if settled_key is not None:
            account_id, key = settled_key
            yield from records.settle_plan(postgres, account_id, key, journey_id)
        return (yield from row_plan(postgres, journey_id))

    return await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)
