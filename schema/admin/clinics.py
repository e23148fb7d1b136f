"""`createClinic`, for the ADMIN role only: a clinic under the id the administrator chooses.

A retry with the same `idempotencyKey` answers the first result; the same key with another input
is a `Conflict`, as is an id another request's clinic holds. The new clinic is an audit entry in
the administrator's clinic's chain, its subject `clinic:<id>`.
"""

from __future__ import annotations

from strawberry.types import Info
from tortoise.transactions import in_transaction

from domain.errors import Conflict as DomainConflict
from domain.store import administration as accounts
from domain.store import records
from domain.store.models import Clinic as ClinicRow
from schema import idempotency
from schema.admin.mutations import invalid_input
from schema.admin.types import (
    Clinic,
    ClinicPayload,
    ClinicResult,
    CreateClinicInput,
)
from schema.audit.collector import note_access
from schema.context import Context
from schema.errors import (
    from_domain,
)


async def create_clinic(info: Info[Context, None], input: CreateClinicInput) -> ClinicResult:
    bad_key = records.key_problem(input.idempotency_key)
    problems = accounts.clinic_problems(str(input.clinic_id), input.name, input.timezone)
    if bad_key or problems:
        return invalid_input([*problems, *([bad_key] if bad_key else [])])
    claims = info.context.claims
    ledger = await idempotency.claim(info, claims.account_id, input) if claims else None
    if idempotency.reused(ledger):
        return idempotency.conflict()
    row, made_here = await _clinic_of_this_request(info, input)
    if row is None:
        return from_domain(DomainConflict(f"clinic {input.clinic_id} exists"))  # type: ignore[return-value]
    if made_here:
        note_access(f"clinic:{row.id}", info.field_name)  # one entry for the one change
    return ClinicPayload(clinic=Clinic.from_row(row))


async def _clinic_of_this_request(
    info: Info[Context, None], input: CreateClinicInput
) -> tuple[ClinicRow | None, bool]:
    """The clinic this request makes, and whether this attempt made it; None when its id is
    another request's clinic.

    The clinic's id is the caller's, so a clinic found under it tells nothing of who made it.
    The key is settled in the transaction that makes the clinic: of the attempts of one request
    (a retry racing the first, or one after a lost answer), the one that settles it makes the
    clinic, and the others find it settled and answer that clinic. (Looked up first, the first
    attempt, overtaken by its retry, took the clinic the retry made for another request's.)"""
    clinic_id = str(input.clinic_id)
    settled = (
        idempotency.settled_key(info.context.claims.account_id, input)
        if info.context.claims
        else None
    )
    try:
        async with in_transaction():
            if settled is not None and not await records.settle_unsettled(*settled, clinic_id):
                return await ClinicRow.get_or_none(id=clinic_id), False  # another attempt's
            if await ClinicRow.exists(id=clinic_id):
                raise _Taken  # rolls the key's settlement back: the request made nothing
            return await accounts.create_clinic(clinic_id, input.name, input.timezone), True
    except _Taken:
        return None, False


class _Taken(Exception):
    """The clinic id is another request's clinic."""
