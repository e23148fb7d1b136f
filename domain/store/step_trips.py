"""The request path's statements around a journey step, sent in two trips instead of six.

Before its step a mutation reads the journey's row, claims its idempotency key and, when the
step will go on to the workflow, keeps what staff recorded as a draft; after it, it settles the
key, reads the row the step left and appends the step's audit entries. Each group goes to the
database together (`store.one_trip`): one trip to SQLite's thread. The first needs no
transaction (the claim's unique row decides a race, a draft stands on its own), so on
PostgreSQL its statements run one by one. The second is one transaction on SQLite (the audit
append locks its chain head for it); on PostgreSQL the settlement rides with the row's read
and the audit keeps its own one-statement append.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.audit import Access, Viewer
from domain.store import records
from domain.store.audit_chain import append_accesses, locked_append_plan
from domain.store.audit_models import AuditEntry
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
    `draft`, the draft is written after them when its test says the step goes on, under the
    id its request's claim derives (`records.claimed_draft`): the claim is read first."""

    def plan(postgres: bool) -> Plan[BeforeStep]:
        row = yield from row_plan(postgres, journey_id, clinic_id)
        if row is None:
            return BeforeStep(None, None, None)
        claim = None if request is None else (yield from records.claim_plan(postgres, request))
        if draft is None or not draft[1](row, claim):
            return BeforeStep(row, claim, None)
        named = records.claimed_draft(draft[0], claim)  # its id derived from the claim just read
        return BeforeStep(row, claim, (yield from records.draft_plan(postgres, named)))

    return await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)


async def settled_row(
    journey_id: str,
    settled_key: tuple[str, str] | None,
    audited: tuple[Viewer, Sequence[Access]] | None = None,
) -> Journey | None:
    """Settles `settled_key` (account, key) with the journey as its result, then reads the
    journey's row as the step left it: on PostgreSQL one statement (the settlement is an
    `Unread` write, and the row's read does not look at the key). With `audited` (the viewer
    and its accesses so far), appends their audit entries too: on SQLite in the same trip, one
    transaction with the settlement, so a settled key never lacks its step's entry; on
    PostgreSQL by the audit's own one-statement append (`store.audit_append_pg`) after it."""

    def plan(postgres: bool) -> Plan[Journey | None]:
        if settled_key is not None:
            account_id, key = settled_key
            yield from records.settle_plan(postgres, account_id, key, journey_id)
        return (yield from row_plan(postgres, journey_id))

    connection = Journey._meta.db
    if audited is None or not audited[1]:
        return await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)
    if is_postgres(connection) or AuditEntry._meta.db is not connection:
        row = await in_one_trip(Journey, lambda db: plan(is_postgres(db)), atomic=False)
        await append_accesses(*audited)
        return row

    def plan_audited(db: BaseDBAsyncClient) -> Plan[Journey | None]:
        row = yield from plan(False)
        yield from locked_append_plan(db, *audited)
        return row

    return await in_one_trip(Journey, plan_audited)
