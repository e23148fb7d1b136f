"""`setSeniorTitle`: a doctor's senior professional title on their account (seed 004 三.4: a
complex procedure is led by a doctor holding one, `domain.procedures.complex_lead`).

Set by an administrator (any account, as the other account changes) or by a supervisor (their
own clinic's accounts only; another clinic's is not found). Once per idempotency key: the value
and the key's settlement are written together, so a retry after a lost answer never writes it
again over a change made since. Each change is an audit entry in the caller's clinic's chain,
its subject `staff:<account id>`, as the administration's.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.procedures.complex_lead import title_problem
from domain.roles import Role, known_role
from domain.store import records
from domain.store.models import StaffAccount
from schema import idempotency
from schema.audit.collector import note_access
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.staff.types import StaffMember


@strawberry.input(description="Give a doctor a senior professional title, or take it away.")
class SetSeniorTitleInput:
    staff_id: strawberry.ID = strawberry.field(
        description="The account's `StaffMember.id`; a supervisor's own clinic's only."
    )
    senior_title: bool = strawberry.field(
        description="true: the doctor holds a senior professional title (高级职称) and may lead "
        "a complex procedure; a doctor's (EXPERT) only, `ValidationFailed` on `seniorTitle` "
        "for another role. false: none (whatever the role)."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The account after the change.")
class SeniorTitlePayload:
    staff: StaffMember = strawberry.field(description="The account, `seniorTitle` as it is now.")


SeniorTitleResult = Annotated[
    SeniorTitlePayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("SeniorTitleResult", description="The account, or why not."),
]


def _invalid(problems: list[FieldProblem]) -> ValidationFailed:
    failed = from_domain(DomainValidationFailed(problems))
    assert isinstance(failed, ValidationFailed)
    return failed


async def _account(info: Info[Context, None], staff_id: str) -> StaffAccount | None:
    """The account the id names: any for an administrator, the caller's clinic's for others."""
    claims = info.context.claims
    raw = decode_id(staff_id, "StaffMember")
    if claims is None or raw is None:
        return None
    if claims.role is Role.ADMIN:
        return await StaffAccount.get_or_none(id=raw)
    return await StaffAccount.get_or_none(id=raw, clinic_id=claims.clinic_id)


async def set_senior_title(
    info: Info[Context, None], input: SetSeniorTitleInput
) -> SeniorTitleResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return _invalid([bad_key])
    row = await _account(info, input.staff_id)
    if row is None:
        refusal = not_found("staff account")
        return await idempotency.refusal_or_conflict(info, claims.account_id, input, refusal)
    problem = title_problem(known_role(row.role), input.senior_title)
    if problem is not None:
        # A retry of a change made before the account's role changed is answered as it was.
        invalid = _invalid([FieldProblem("seniorTitle", problem, Code.INCONSISTENT)])
        refused = await idempotency.refusal_answer(info, claims.account_id, input, invalid)
        if refused is not None:
            return refused
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger) or idempotency.answered(ledger) not in (None, row.id):
        return idempotency.conflict()
    if idempotency.answered(ledger) is None:
        written: list[bool] = []

        async def replace() -> None:
            await StaffAccount.filter(id=row.id).update(senior_title=input.senior_title)
            written.append(True)

        await idempotency.replace_and_settle(claims.account_id, input, str(row.id), replace)
        if written:  # not an attempt that found its request settled by another
            note_access(f"staff:{row.id}", info.field_name)
    return SeniorTitlePayload(staff=StaffMember.from_row(await StaffAccount.get(id=row.id)))
